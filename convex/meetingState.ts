/**
 * Reading the `meetingState` view: lifecycle, presence, speaking stats,
 * lulls, topics and last activity of one meeting. Reactive.
 */
import { v } from "convex/values";
import { roomQuery } from "./lib/functions";
import { requireRoom } from "./lib/roomKey";
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
 * A room query: takes the room key, never reads auth.
 */
export const get = roomQuery({
  args: {},
  returns: v.union(meetingStateResult, v.null()),
  handler: async (ctx, { meetingId }) => {
    requireRoom(ctx.room);
    const version = await readVersionOf(ctx, "meetingState");
    const row = await getMeetingStateRow(ctx, meetingId, version);
    return row ? { meetingId, version, ...rowToView(row) } : null;
  },
});
