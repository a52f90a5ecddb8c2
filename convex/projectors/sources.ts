/**
 * Reading the event log for projectors: a bounded, log-ordered batch of the
 * events after a checkpoint's per-stream cursors, merged across streams.
 *
 * Cursor `(ts, key)` per stream: `ts` is the row's commitTs, `key` its
 * {@link rowKey} (creation time, then `_id`). Several rows share one commitTs
 * (all rows of one transaction), so a batch always reads the whole group of
 * its last commitTs and orders the group by key in memory: the order the
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
  const table = TABLE[stream];
  const group = (ts: bigint) =>
    ctx.db
      .query(table)
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId).eq("commitTs", ts))
      .collect();
  // The rest of the cursor's own commitTs group (a batch stopped inside it on a poison event).
  const rows: Row[] = cursor ? await group(cursor.ts) : [];
  const next = await ctx.db
    .query(table)
    .withIndex("by_meeting_commit", (q) => {
      const r = q.eq("meetingId", meetingId).gt("commitTs", cursor?.ts ?? -1n);
      return until === undefined ? r : r.lte("commitTs", until);
    })
    .take(limit);
  rows.push(...next);
  const done = next.length < limit;
  if (!done) {
    // Finish the last commitTs group so the batch never splits a transaction's rows.
    const seen = new Set(next.map((r) => String(r._id)));
    for (const r of await group(next[next.length - 1]!.commitTs as bigint)) {
      if (!seen.has(String(r._id))) rows.push(r);
    }
  }
  const items: RawItem[] = [];
  for (const row of rows) {
    if (!after(cursor, row.commitTs as bigint, rowKey(row))) continue;
    items.push(storedFromRow(stream, await openRow(ctx, stream, row)));
  }
  items.sort(comparePosition);
  return { items, done };
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
