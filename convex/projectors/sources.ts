/**
 * Reading the event log for projectors: a bounded, log-ordered batch of the
 * events after a checkpoint's per-stream cursors, merged across streams.
 *
 * Cursor `(ts, key)` per stream: `ts` is the row's commitTs, `key` its `_id`.
 * Several rows share one commitTs (all rows of one transaction) and an index
 * orders them by `_creationTime`, not by `_id`, so a batch always reads the
 * whole group of its last commitTs and orders the group by `_id` in memory;
 * resuming filters the group's keys at or below the cursor. Merging streams
 * uses a horizon: events past the last commitTs read from a stream that has
 * more are left for the next batch, so no stream's event is ever folded after
 * a later one of another stream.
 *
 * Decoding (upcasting) happens per event inside the projector's try, so a
 * corrupt row is a poison event for that projector, not a failed batch.
 */

import { comparePosition, type LogEvent, type Stream } from "../../projections/core/logEvent";
import type { ChatEvent } from "../../projections/events/chat";
import { type MeetingEventType, upcastMeetingEvent } from "../../projections/events/meeting";
import { TRANSCRIPT_EVENT_VERSION } from "../../projections/events/transcript";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { readNoteUpdates } from "../notes/log";

/** Last consumed position per stream. */
export type StreamCursors = Partial<Record<Stream, { ts: bigint; key: string }>>;

/** One undecoded event: its position, time, and a decoder that may throw. */
export type RawItem = {
  stream: Stream;
  ts: bigint;
  key: string;
  at: number;
  decode: () => LogEvent;
};

const TABLE = {
  meeting: "meetingEvents",
  transcript: "transcriptEvents",
  chat: "chatEvents",
} as const;

function after(c: { ts: bigint; key: string } | undefined, ts: bigint, key: string): boolean {
  if (!c) return true;
  return ts > c.ts || (ts === c.ts && key > c.key);
}

function decodeRow(
  stream: "meeting" | "transcript" | "chat",
  row: Record<string, unknown>,
): LogEvent {
  const base = {
    ts: row.commitTs as bigint,
    key: String(row._id),
    at: row.at as number,
    actor: row.actor as string,
  };
  const data = (row.data ?? {}) as Record<string, unknown>;
  const version = row.schemaVersion as number;
  if (stream === "meeting") {
    const event = upcastMeetingEvent({
      kind: row.kind as MeetingEventType,
      schemaVersion: version,
      at: base.at,
      data,
    });
    return { ...base, stream, event };
  }
  if (stream === "transcript") {
    if (version > TRANSCRIPT_EVENT_VERSION) {
      throw new Error(
        `transcript chunk has schemaVersion ${version}, newer than ${TRANSCRIPT_EVENT_VERSION}`,
      );
    }
    const d = data as Record<string, string | number | boolean>;
    return {
      ...base,
      stream,
      chunk: {
        seq: row.seq as number,
        utteranceId: row.utteranceId as string,
        speakerId: String(d.speakerId),
        speaker: String(d.speaker),
        text: String(d.text),
        confidence: Number(d.confidence),
        startMs: Number(d.startMs),
        endMs: Number(d.endMs),
        isFinal: d.isFinal === true,
      },
    };
  }
  const event = {
    ...data,
    type: row.kind,
    at: base.at,
    messageId: row.messageId,
    authorId: row.authorId,
  } as ChatEvent;
  return { ...base, stream, event };
}

async function readTable(
  ctx: QueryCtx,
  stream: "meeting" | "transcript" | "chat",
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
  const rows: Record<string, unknown>[] = cursor ? await group(cursor.ts) : [];
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
    const ts = row.commitTs as bigint;
    const key = String(row._id);
    if (!after(cursor, ts, key)) continue;
    items.push({ stream, ts, key, at: row.at as number, decode: () => decodeRow(stream, row) });
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
  // One note update per meeting per transaction (convex/notes/log.ts), so ts alone is a cursor.
  const { updates, done } = await readNoteUpdates(
    ctx,
    meetingId,
    cursor ? { ts: cursor.ts } : null,
    limit,
    until,
  );
  const items = updates.map((u): RawItem => {
    const key = `${u.clientId}:${u.clientSeq}`;
    const base = { ts: u.cursor.ts, key, at: u.at };
    return {
      stream: "notes",
      ...base,
      decode: () => ({ ...base, actor: u.actor, stream: "notes", update: u.update }),
    };
  });
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
