/**
 * Reading the `meetingState` view: lifecycle, presence, speaking stats,
 * lulls, topics and last activity of one meeting. Reactive.
 */
import { v } from "convex/values";
import { requireMeetingAccess } from "./lib/access";
import { userQuery } from "./lib/functions";
import { readVersionOf } from "./projectors/control";
import { getMeetingStateRow, rowToView } from "./projectors/meetingState";
import { meetingStateViewFields } from "./tables/projections";

/** What `meetingState.get` answers. */
export const meetingStateResult = v.object({
  meetingId: v.id("meetings"),
  version: v.number(),
  ...meetingStateViewFields,
});

/**
 * The state of a meeting, or null before its first event was projected.
 * "In a lull right now" depends on the clock: clients compute it from
 * `active` and `lastSpeechAt` (see `currentLull` in projections/meetingState).
 */
export const get = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.union(meetingStateResult, v.null()),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "read");
    const version = await readVersionOf(ctx, "meetingState");
    const row = await getMeetingStateRow(ctx, meetingId, version);
    return row ? { meetingId, version, ...rowToView(row) } : null;
  },
});
