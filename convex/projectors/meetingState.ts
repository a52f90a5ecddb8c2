/** Storage of the `meetingState` view (one row per meeting and version). */

import { initialMeetingState, type MeetingStateView } from "../../projections/meetingState/evolve";
import { MEETING_STATE_LATEST, meetingStateFolds } from "../../projections/meetingState/versions";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { ProjectorImpl } from "./types";

/** The stored view row, if any. */
export async function getMeetingStateRow(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  version: number,
) {
  return await ctx.db
    .query("meetingStates")
    .withIndex("by_meeting_version", (q) => q.eq("meetingId", meetingId).eq("version", version))
    .unique();
}

/** The view part of a stored row (its fields are exactly `MeetingStateView`, checked in `tables/projections.ts`). */
export function rowToView(row: Doc<"meetingStates">): MeetingStateView {
  const { _id, _creationTime, meetingId, version, ...view } = row;
  void _id;
  void _creationTime;
  void meetingId;
  void version;
  return view;
}

/** The `meetingState` projector. */
export const meetingStateProjector: ProjectorImpl<MeetingStateView> = {
  name: "meetingState",
  latest: MEETING_STATE_LATEST,
  folds: meetingStateFolds,
  // Why: 2,000 events are < 1 MB of reads, ~40 ms of folding (50K events/s) and one row
  // write, far inside Convex's per-mutation limits; per-batch overhead dominates below
  // that (a rebuild measured 1.5K events/s at 256, 3K at 1,000, 8K at 4,000 in-process).
  batchSize: 2000,
  // Why: the meeting room reads this live.
  kickDelayMs: 0,
  // Why: while people talk (10 chunks/s) the room's talk times, lulls (10 s grain) and topics
  // (the last minute of speech) move once a second, one run and one rewrite of this ~2 KB row
  // each, instead of a run per chunk (or 4 a second at 250 ms: the row was the largest writer of
  // a live meeting, issue 20); a lone event after a quiet second still lands at once.
  lingerMs: 1_000,
  async load(ctx, meetingId, version) {
    const row = await getMeetingStateRow(ctx, meetingId, version);
    return row ? rowToView(row) : initialMeetingState();
  },
  async save(ctx: MutationCtx, meetingId, version, view) {
    const row = await getMeetingStateRow(ctx, meetingId, version);
    if (row) await ctx.db.replace("meetingStates", row._id, { meetingId, version, ...view });
    else await ctx.db.insert("meetingStates", { meetingId, version, ...view });
  },
  async deleteVersion(ctx, version, limit) {
    const rows = await ctx.db
      .query("meetingStates")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of rows) await ctx.db.delete("meetingStates", r._id);
    return rows.length;
  },
};
