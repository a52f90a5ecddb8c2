/**
 * Timeline replay. `stateAt(meetingId, t)`: notes, transcript, presence and
 * meeting state as of wall-clock instant `t` (ms) = the nearest keyframe at or
 * before `t` + a fold of the log after it, up to the first event appended
 * after `t`. `events`: the log in order, paginated, for the web scrubber,
 * which folds it with the same `projections/timeline` code.
 */
import { v } from "convex/values";
import { STREAMS } from "../projections/core/logEvent";
import { decodeEvent, type StoredEvent } from "../projections/events/decode";
import {
  decodeKeyframe,
  frameOf,
  type TimelineFrame,
  type TimelineState,
  timelineFold,
} from "../projections/timeline/timelineState";
import { toWire } from "../projections/timeline/wire";
import type { Segment } from "../projections/transcriptSegments/evolve";
import type { Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { requireMeetingAccess } from "./lib/access";
import { userQuery } from "./lib/functions";
import { pageSize, requireFinite } from "./lib/numbers";
import { toArrayBuffer } from "./projectors/blobs";
import { readVersionOf } from "./projectors/control";
import { firstFailing } from "./projectors/foldBatch";
import { readBatch, type StreamCursors } from "./projectors/sources";
import { keyframeAt } from "./projectors/timeline";
import { rowToSegment } from "./projectors/transcriptSegments";
import {
  meetingStateViewFields,
  notesDerivedFields,
  segmentFields,
  streamCursors,
} from "./tables/projections";

/** Why: a scrubber shows the recent transcript; 50 segments is ~a screen and far below 1 MiB. */
export const TRANSCRIPT_AT_SEGMENTS = 50;
/**
 * Why: the first tail read per stream. The tail ends at the first event after
 * `t`, usually a few dozen to a few hundred events past the keyframe, so a
 * first read of 128 per stream that doubles ({@link TAIL_BATCH_MAX}) covers a
 * 30 s keyframe gap at 10 chunks/s in two reads, instead of a fixed 500 rows
 * per stream, mostly past `t`.
 */
const TAIL_BATCH_FIRST = 128;
/** Why: tail reads per batch at most; keyframes keep the tail near 500 events. */
const TAIL_BATCH_MAX = 512;
/** Why: hard stop if the timeline projector lags far behind (stays inside query read limits). */
export const MAX_TAIL_EVENTS = 5_000;
/** Why: `events` pages stay small for a browser and inside query limits. */
export const MAX_EVENTS_PER_PAGE = 500;

/** The log after `cursors` up to instant `t` (at most {@link MAX_TAIL_EVENTS} events). */
async function readTail(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  cursors: StreamCursors,
  t: number,
): Promise<{ items: StoredEvent[]; complete: boolean }> {
  const items: StoredEvent[] = [];
  const c: StreamCursors = { ...cursors };
  for (let limit = TAIL_BATCH_FIRST; ; limit = Math.min(2 * limit, TAIL_BATCH_MAX)) {
    const batch = await readBatch(ctx, meetingId, timelineFold.streams, c, limit);
    for (const item of batch.items) {
      if (item.at > t) return { items, complete: true };
      items.push(item);
      c[item.stream] = { ts: item.ts, key: item.key };
      if (items.length >= MAX_TAIL_EVENTS) return { items, complete: false };
    }
    if (!batch.more) return { items, complete: true };
  }
}

/** Fold `items[0, to)` but `skip` into `state`; events that fail to decode or fold are skipped too. */
function foldItems(
  state: TimelineState,
  items: readonly StoredEvent[],
  skip: ReadonlySet<number>,
  to: number = items.length,
): { state: TimelineState; skipped: number } {
  let s = state;
  let skipped = 0;
  for (let i = 0; i < to; i++) {
    if (skip.has(i)) continue;
    try {
      s = timelineFold.evolve(s, decodeEvent(items[i]!));
    } catch {
      skipped++; // parked by the live projectors too (see projectionDeadLetters)
    }
  }
  return { state: s, skipped };
}

function frameOrNull(s: TimelineState): TimelineFrame | null {
  try {
    return frameOf(s);
  } catch {
    return null;
  }
}

/** Why: a handful of unrenderable events at most in one tail; past that, answer what is known. */
const MAX_UNRENDERABLE = 8;

/**
 * Fold the tail into the keyframe state and render it. An event after which
 * the notes cannot be rendered (P11; parked by the projectors) is found by
 * bisection and skipped like a poison event, so `stateAt` answers at every
 * instant.
 */
async function renderTail(start: () => TimelineState, items: readonly StoredEvent[]) {
  const skip = new Set<number>();
  let r = foldItems(start(), items, skip);
  let frame = frameOrNull(r.state);
  while (frame === null && skip.size < MAX_UNRENDERABLE) {
    const end = await firstFailing(
      0,
      items.length,
      (n) => frameOrNull(foldItems(start(), items, skip, n).state) === null,
    );
    skip.add(end - 1);
    r = foldItems(start(), items, skip);
    frame = frameOrNull(r.state);
  }
  if (frame === null) frame = frameOf(start());
  return { state: r.state, frame, skipped: r.skipped + skip.size };
}

/** The last {@link TRANSCRIPT_AT_SEGMENTS} segments at this state (closed ones from the view). */
async function transcriptOf(ctx: QueryCtx, meetingId: Id<"meetings">, s: TimelineState) {
  const tail = s.transcript;
  const total = tail.firstIndex + tail.segments.length;
  const from = Math.max(0, total - TRANSCRIPT_AT_SEGMENTS);
  const version = await readVersionOf(ctx, "transcriptSegments");
  const closed: Segment[] =
    from < tail.firstIndex
      ? (
          await ctx.db
            .query("transcriptSegments")
            .withIndex("by_meeting_version_index", (q) =>
              q
                .eq("meetingId", meetingId)
                .eq("version", version)
                .gte("index", from)
                .lt("index", tail.firstIndex),
            )
            .collect()
        ).map(rowToSegment)
      : [];
  return { total, segments: [...closed, ...tail.segments.filter((x) => x.index >= from)] };
}

/** What `stateAt` answers. */
export const stateAtResult = v.object({
  t: v.number(),
  notes: v.object(notesDerivedFields).omit("wordCount"),
  meeting: v.object(meetingStateViewFields),
  present: v.array(v.object({ userId: v.string(), since: v.number() })),
  transcript: v.object({ total: v.number(), segments: v.array(v.object(segmentFields)) }),
  eventCount: v.number(),
  /** False when the tail was cut at {@link MAX_TAIL_EVENTS} (the timeline projector lags). */
  complete: v.boolean(),
  skippedPoison: v.number(),
});

/** Compute the state of a meeting at instant `t` (shared by the query and tests). */
export async function computeStateAt(ctx: QueryCtx, meetingId: Id<"meetings">, t: number) {
  const version = await readVersionOf(ctx, "timeline");
  const kf = await keyframeAt(ctx, meetingId, version, t);
  const { items, complete } = await readTail(ctx, meetingId, kf?.cursors ?? {}, t);
  // Each probe of the bisection folds from its own copy of the keyframe (the notes doc mutates).
  const start = () => (kf ? decodeKeyframe(kf.encoded) : timelineFold.init());
  const r = await renderTail(start, items);
  const frame = r.frame;
  return {
    t,
    notes: frame.notes,
    meeting: frame.meeting,
    present: frame.present,
    transcript: await transcriptOf(ctx, meetingId, r.state),
    eventCount: frame.eventCount,
    complete,
    skippedPoison: r.skipped,
  };
}

/** Notes, transcript, presence and meeting state as of wall-clock instant `t` (ms). */
export const stateAt = userQuery({
  args: { meetingId: v.id("meetings"), t: v.number() },
  returns: stateAtResult,
  handler: async (ctx, { meetingId, t }) => {
    requireFinite("t", t);
    await requireMeetingAccess(ctx, meetingId, "read");
    return await computeStateAt(ctx, meetingId, t);
  },
});

/** One log event on the wire, in its stored form (decode with `projections/timeline/wire.ts`). */
export const wireEvent = v.object({
  stream: v.string(),
  ts: v.int64(),
  key: v.string(),
  at: v.number(),
  actor: v.string(),
  schemaVersion: v.number(),
  /** JSON of the stream's stored fields besides the envelope. */
  payload: v.string(),
  /** The Yjs V1 update, for notes events. */
  update: v.optional(v.bytes()),
});

/** The meeting's log in fold order, a page at a time, from `cursors` (omit for the start). */
export const events = userQuery({
  args: {
    meetingId: v.id("meetings"),
    cursors: v.optional(streamCursors),
    limit: v.optional(v.number()),
  },
  returns: v.object({ events: v.array(wireEvent), cursors: streamCursors, done: v.boolean() }),
  handler: async (ctx, { meetingId, cursors, limit }) => {
    await requireMeetingAccess(ctx, meetingId, "read");
    const n = pageSize(limit, MAX_EVENTS_PER_PAGE);
    const c: StreamCursors = { ...(cursors ?? {}) };
    const batch = await readBatch(ctx, meetingId, STREAMS, c, n);
    const out = [];
    for (const item of batch.items) {
      // Stored form: the client decodes through the same upcasters (and skips poison events).
      const { update, ...w } = toWire(item);
      out.push(update ? { ...w, update: toArrayBuffer(update) } : w);
      c[item.stream] = { ts: item.ts, key: item.key };
    }
    return { events: out, cursors: c, done: !batch.more };
  },
});
