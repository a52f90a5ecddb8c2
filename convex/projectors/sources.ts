/**
 * Reading the event log for projectors: a bounded, log-ordered batch of the
 * events after a checkpoint's per-stream cursors, merged across streams.
 *
 * Cursor `(ts, key)` per stream: `ts` is the row's commitTs, `key` its
 * {@link rowKey} (creation time, then `_id`). Several rows share one commitTs
 * (all rows of one transaction), so a batch never ends inside a group (a
 * group the read may have cut is left whole to the next batch, or read whole
 * when it is as large as the read) and orders a group by key in memory: the order the
 * transaction appended them (ids are random, so `_id` alone would fold a
 * command's events, or an imported meeting's whole history, in any order);
 * resuming filters the group's keys at or below the cursor. Merging streams
 * uses a horizon: events past the last commitTs read from a stream that has
 * more are left for the next batch, so no stream's event is ever folded after
 * a later one of another stream.
 *
 * Items are stored events; decoding (upcasting, `projections/events/decode.ts`)
 * happens per event inside the fold, so a corrupt row is a poison event for
 * that projector, not a failed batch.
 */

import { comparePosition, type Stream } from "../../projections/core/logEvent";
import type { StoredEvent, StoredEventOf } from "../../projections/events/decode";
import { noteUpdateKey } from "../../projections/events/notes";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { readNoteUpdates } from "../lib/noteLog";
import { openChatRow, openTranscriptRow } from "../lib/personalData";

/** Last consumed position per stream. */
export type StreamCursors = Partial<Record<Stream, { ts: bigint; key: string }>>;

/**
 * One undecoded event: a {@link StoredEvent}. Decode it with `decodeEvent`
 * (`projections/events/decode.ts`), which may throw (a poison event).
 */
export type RawItem = StoredEvent;

const TABLE = {
  meeting: "meetingEvents",
  transcript: "transcriptEvents",
  chat: "chatEvents",
} as const;

type TableStream = keyof typeof TABLE;
type Row = Doc<(typeof TABLE)[TableStream]>;

function after(c: { ts: bigint; key: string } | undefined, ts: bigint, key: string): boolean {
  if (!c) return true;
  return ts > c.ts || (ts === c.ts && key > c.key);
}

/** Why: 16 digits hold `_creationTime` in microseconds until the year 2286, so keys compare as strings. */
const CREATION_KEY_DIGITS = 16;

/**
 * The log key of an event row: its `_creationTime` in whole microseconds
 * (zero-padded), then its `_id`. Rows one transaction inserts get increasing
 * creation times, so within a commitTs group keys sort in append order; equal
 * times fall back to the id.
 */
export function rowKey(row: { _creationTime: number; _id: string }): string {
  const us = Math.round(row._creationTime * 1000);
  return `${String(us).padStart(CREATION_KEY_DIGITS, "0")}:${row._id}`;
}

/** The stored event of an event-table row (no decoding: that is the fold's job). */
export function storedFromRow(stream: TableStream, row: Row): StoredEvent {
  const base = {
    ts: row.commitTs as bigint,
    key: rowKey(row),
    at: row.at,
    actor: row.actor,
    schemaVersion: row.schemaVersion,
    data: row.data as Record<string, unknown>,
  };
  if (stream === "transcript") {
    const r = row as Doc<"transcriptEvents">;
    return { ...base, stream, seq: r.seq, utteranceId: r.utteranceId };
  }
  if (stream === "chat") {
    const r = row as Doc<"chatEvents">;
    return { ...base, stream, kind: r.kind, messageId: r.messageId, authorId: r.authorId };
  }
  return { ...base, stream, kind: (row as Doc<"meetingEvents">).kind };
}

/** The row with its personal text opened (`lib/personalData.ts`): folds see plaintext. */
async function openRow(ctx: QueryCtx, stream: TableStream, row: Row): Promise<Row> {
  if (stream === "transcript") return await openTranscriptRow(ctx, row as Doc<"transcriptEvents">);
  if (stream === "chat") return await openChatRow(ctx, row as Doc<"chatEvents">);
  return row;
}

async function readTable(
  ctx: QueryCtx,
  stream: TableStream,
  meetingId: Id<"meetings">,
  cursor: { ts: bigint; key: string } | undefined,
  limit: number,
  until: bigint | undefined,
): Promise<{ items: RawItem[]; done: boolean }> {
  // Usually one index read: `limit` rows from the cursor's own commitTs on (the rest of its
  // group: a batch may have stopped inside it on a poison event), keeping only whole groups.
  const rows = await rangeFrom(ctx, stream, meetingId, cursor?.ts, true, limit, until);
  const done = rows.length < limit;
  const lastTs = rows[rows.length - 1]?.commitTs as bigint | undefined;
  // The last group may go on past the read: leave it to the next batch (never split a transaction).
  const whole = done ? rows : rows.filter((r) => (r.commitTs as bigint) !== lastTs);
  const fresh = whole.filter((r) => after(cursor, r.commitTs as bigint, rowKey(r)));
  if (done || fresh.length > 0) return { items: await storedItems(ctx, stream, fresh), done };
  // Nothing new outside the last group (a group as large as the read): read it whole.
  return await readGroups(ctx, stream, meetingId, cursor, limit, until);
}

/** Rows of one meeting in commit order from `ts` (`inclusive` or after it), up to `until`. */
async function rangeFrom(
  ctx: QueryCtx,
  stream: TableStream,
  meetingId: Id<"meetings">,
  ts: bigint | undefined,
  inclusive: boolean,
  limit: number,
  until: bigint | undefined,
): Promise<Row[]> {
  return await ctx.db
    .query(TABLE[stream])
    .withIndex("by_meeting_commit", (q) => {
      const m = q.eq("meetingId", meetingId);
      const r =
        ts === undefined
          ? m.gt("commitTs", -1n)
          : inclusive
            ? m.gte("commitTs", ts)
            : m.gt("commitTs", ts);
      return until === undefined ? r : r.lte("commitTs", until);
    })
    .take(limit);
}

/** Rows of one commitTs group (all rows one transaction appended), unbounded like a transaction. */
async function group(ctx: QueryCtx, stream: TableStream, meetingId: Id<"meetings">, ts: bigint) {
  return await ctx.db
    .query(TABLE[stream])
    .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId).eq("commitTs", ts))
    .collect();
}

/** Stored events of `rows` after `cursor`, personal text opened, in log order. */
async function storedItems(ctx: QueryCtx, stream: TableStream, rows: Row[]): Promise<RawItem[]> {
  const items: RawItem[] = [];
  for (const row of rows) items.push(storedFromRow(stream, await openRow(ctx, stream, row)));
  return items.sort(comparePosition);
}

/**
 * The general read when commit groups are as large as `limit`: the rest of the
 * cursor's group, `limit` rows after it and the whole group of the last one.
 */
async function readGroups(
  ctx: QueryCtx,
  stream: TableStream,
  meetingId: Id<"meetings">,
  cursor: { ts: bigint; key: string } | undefined,
  limit: number,
  until: bigint | undefined,
): Promise<{ items: RawItem[]; done: boolean }> {
  const rows: Row[] = cursor ? await group(ctx, stream, meetingId, cursor.ts) : [];
  const next = await rangeFrom(ctx, stream, meetingId, cursor?.ts, false, limit, until);
  rows.push(...next);
  const done = next.length < limit;
  if (!done) {
    // Finish the last commitTs group so the batch never splits a transaction's rows.
    const seen = new Set(next.map((r) => String(r._id)));
    for (const r of await group(
      ctx,
      stream,
      meetingId,
      next[next.length - 1]!.commitTs as bigint,
    )) {
      if (!seen.has(String(r._id))) rows.push(r);
    }
  }
  const fresh = rows.filter((r) => after(cursor, r.commitTs as bigint, rowKey(r)));
  return { items: await storedItems(ctx, stream, fresh), done };
}

async function readNotes(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  cursor: { ts: bigint; key: string } | undefined,
  limit: number,
  until: bigint | undefined,
): Promise<{ items: RawItem[]; done: boolean }> {
  // One note update per meeting per transaction (convex/lib/noteLog.ts), so ts alone is a cursor.
  const { updates, done } = await readNoteUpdates(
    ctx,
    meetingId,
    cursor ? { ts: cursor.ts } : null,
    limit,
    until,
  );
  const items = updates.map(
    (u): StoredEventOf<"notes"> => ({
      stream: "notes",
      ts: u.cursor.ts,
      key: noteUpdateKey(u.clientId, u.clientSeq),
      at: u.at,
      actor: u.actor,
      schemaVersion: u.schemaVersion,
      clientId: u.clientId,
      clientSeq: u.clientSeq,
      update: u.update,
    }),
  );
  return { items, done };
}

/** A merged batch: items in log order, and whether any stream has more after it. */
export type Batch = { items: RawItem[]; more: boolean };

/**
 * Up to about `limit` events per stream after `cursors`, merged in log order
 * and cut at the horizon of the streams that have more. With `until` (a
 * projector run passes its snapshot timestamp) every index range read ends
 * at that commitTs, so appends racing with the run (always committed with a
 * later commitTs) are outside its read set: `more` is then "more up to
 * `until`", and whoever goes idle must look past it (see `run.ts` settle).
 */
export async function readBatch(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  streams: readonly Stream[],
  cursors: StreamCursors,
  limit: number,
  until?: bigint,
): Promise<Batch> {
  let horizon: bigint | null = null;
  let more = false;
  const all: RawItem[] = [];
  for (const s of streams) {
    const r =
      s === "notes"
        ? await readNotes(ctx, meetingId, cursors.notes, limit, until)
        : await readTable(ctx, s, meetingId, cursors[s], limit, until);
    all.push(...r.items);
    if (!r.done) {
      more = true;
      const last = r.items[r.items.length - 1]?.ts;
      if (last !== undefined && (horizon === null || last < horizon)) horizon = last;
    }
  }
  const items = all.filter((i) => horizon === null || i.ts <= horizon).sort(comparePosition);
  return { items, more };
}

/**
 * Whether any event of `streams` committed after `ts` in `meetingId`. Reads
 * without an upper bound (one row per stream at most), so an append that
 * commits while the caller runs intersects this read and Convex retries the
 * caller: a projector that goes idle on a `false` here cannot leave that
 * append behind (P8).
 */
export async function anyAfter(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  streams: readonly Stream[],
  ts: bigint,
): Promise<boolean> {
  for (const s of streams) {
    if (s === "notes") {
      if ((await readNoteUpdates(ctx, meetingId, { ts }, 1)).updates.length > 0) return true;
      continue;
    }
    const row = await ctx.db
      .query(TABLE[s])
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId).gt("commitTs", ts))
      .first();
    if (row) return true;
  }
  return false;
}
