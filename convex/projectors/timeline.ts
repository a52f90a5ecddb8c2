/**
 * Storage of the timeline: a `head` row with the projector's current combined
 * state, and `keyframe` rows copied from it every {@link KEYFRAME_EVERY_EVENTS}
 * events or {@link KEYFRAME_EVERY_MS} of meeting time. `timeline.stateAt`
 * starts from the nearest keyframe and folds the tail.
 */

import {
  decodeKeyframe,
  type EncodedKeyframe,
  encodeKeyframe,
  frameOf,
  KEYFRAME_EVERY_EVENTS,
  KEYFRAME_EVERY_MS,
  KEYFRAME_TAIL_RATIO,
  type TimelineState,
  timelineFold,
} from "../../projections/timeline/timelineState";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { deleteBlob, readBlob, writeBlob } from "./blobs";
import type { StreamCursors } from "./sources";
import type { ProjectorImpl } from "./types";

const HEAD_BLOB = "timeline:head";

async function head(ctx: QueryCtx, meetingId: Id<"meetings">, version: number) {
  return await ctx.db
    .query("timelineKeyframes")
    .withIndex("by_meeting_version_kind_at", (q) =>
      q.eq("meetingId", meetingId).eq("version", version).eq("kind", "head"),
    )
    .first();
}

/**
 * The newest keyframe usable at instant `t` (every event in it was appended at
 * or before `t`), still encoded: `stateAt` decodes a fresh copy per fold (the
 * notes doc mutates), so handing out a decoded state would cost a decode and
 * an encode more per query.
 */
export async function keyframeAt(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  version: number,
  t: number,
): Promise<{ encoded: EncodedKeyframe; cursors: StreamCursors } | null> {
  const kf = await ctx.db
    .query("timelineKeyframes")
    .withIndex("by_meeting_version_kind_at", (q) =>
      q.eq("meetingId", meetingId).eq("version", version).eq("kind", "keyframe").lte("maxAt", t),
    )
    .order("desc")
    .first();
  if (!kf) return null;
  return { encoded: await encodedRow(ctx, kf), cursors: kf.cursors };
}

async function encodedRow(ctx: QueryCtx, row: Doc<"timelineKeyframes">): Promise<EncodedKeyframe> {
  const doc = (await readBlob(ctx, row.meetingId, row.version, row.owner)) ?? new Uint8Array();
  return { state: row.state, doc };
}

async function writeRow(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  version: number,
  kind: "head" | "keyframe",
  owner: string,
  s: TimelineState,
  cursors: StreamCursors,
  existing: Doc<"timelineKeyframes"> | null,
): Promise<void> {
  const enc = encodeKeyframe(s);
  const snapshotChunks = await writeBlob(ctx, meetingId, version, owner, enc.doc);
  const fields = {
    meetingId,
    version,
    kind,
    owner,
    cursors,
    maxAt: s.maxAt,
    eventCount: s.eventCount,
    logBytes: s.logBytes,
    snapshotBytes: enc.doc.byteLength,
    state: enc.state,
    snapshotChunks,
  };
  if (existing) await ctx.db.replace("timelineKeyframes", existing._id, fields);
  else await ctx.db.insert("timelineKeyframes", fields);
}

/** The timeline projector (head + keyframes). `keyframeEvery` is a knob tests turn down. */
export const timelineProjector: ProjectorImpl<TimelineState> & {
  keyframeEvery: { events: number; ms: number; tailRatio: number };
} = {
  name: "timeline",
  latest: 1,
  folds: { 1: timelineFold },
  // Why: a batch re-encodes the notes state once, like meetingNotes; 500 keeps keyframes near their target.
  batchSize: 500,
  // Why: the timeline is for replay, not live reading; a second of coalescing keeps
  // head rewrites (a whole notes snapshot each) rare during typing.
  kickDelayMs: 1_000,
  // Why: nothing reads the head (stateAt starts from keyframes, written every 500 events or
  // 30 s and folds the log past them), so while a meeting is busy the head (a whole combined
  // state, ~4–6 KB) is rewritten once per 5 s instead of once a second (issue 20); a keyframe
  // lands at most this much later than due, which lengthens a stateAt tail by as much.
  lingerMs: 5_000,
  keyframeEvery: {
    events: KEYFRAME_EVERY_EVENTS,
    ms: KEYFRAME_EVERY_MS,
    tailRatio: KEYFRAME_TAIL_RATIO,
  },
  // P11: keyframes never hold a notes document that `stateAt` could not render.
  verify: (s) => void frameOf(s),
  async load(ctx, meetingId, version) {
    const row = await head(ctx, meetingId, version);
    return row ? decodeKeyframe(await encodedRow(ctx, row)) : timelineFold.init();
  },
  async save(ctx, meetingId, version, s, info) {
    const row = await head(ctx, meetingId, version);
    await writeRow(ctx, meetingId, version, "head", HEAD_BLOB, s, info.cursors, row);
    const last = await ctx.db
      .query("timelineKeyframes")
      .withIndex("by_meeting_version_kind_at", (q) =>
        q.eq("meetingId", meetingId).eq("version", version).eq("kind", "keyframe"),
      )
      .order("desc")
      .first();
    const every = this.keyframeEvery;
    const tailCost = s.logBytes - (last?.logBytes ?? 0);
    const due =
      (s.eventCount - (last?.eventCount ?? 0) >= every.events ||
        s.maxAt - (last?.maxAt ?? 0) >= every.ms) &&
      tailCost >= every.tailRatio * (last?.snapshotBytes ?? 0);
    if (due && s.eventCount > (last?.eventCount ?? 0)) {
      await writeRow(
        ctx,
        meetingId,
        version,
        "keyframe",
        `keyframe:${s.eventCount}`,
        s,
        info.cursors,
        null,
      );
    }
  },
  async deleteVersion(ctx, version, limit) {
    const rows = await ctx.db
      .query("timelineKeyframes")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of rows) {
      await deleteBlob(ctx, r.meetingId, version, r.owner);
      await ctx.db.delete("timelineKeyframes", r._id);
    }
    return rows.length;
  },
};
