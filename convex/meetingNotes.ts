/**
 * Reading the `meetingNotes` view (compacted notes of a meeting). Reactive:
 * re-runs when the notes projector commits a batch, or when a rebuild
 * switches the read version.
 */
import { v } from "convex/values";
import { requireMeetingAccess } from "./lib/access";
import { userQuery } from "./lib/functions";
import { readVersionOf } from "./projectors/control";
import { getNotesRow } from "./projectors/meetingNotes";
import { meetingNotesFields } from "./tables/projections";

/** What `meetingNotes.get` answers: the view row's fields (see `tables/projections.ts`). */
export const meetingNotesView = v
  .object(meetingNotesFields)
  .omit("lastTs", "lastAt", "snapshotChunks")
  .extend({
    meetingId: v.id("meetings"),
    /** Projection version that built this view. */
    version: v.number(),
    /** Wall-clock ms of the newest update folded in (null before any). */
    lastAt: v.union(v.number(), v.null()),
  });

/** The compacted notes of a meeting, or null before any note update was projected. */
export const get = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.union(meetingNotesView, v.null()),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "read");
    const version = await readVersionOf(ctx, "meetingNotes");
    const row = await getNotesRow(ctx, meetingId, version);
    if (!row) return null;
    const { _id, _creationTime, lastTs, snapshotChunks, lastAt, ...view } = row;
    void _id;
    void _creationTime;
    void lastTs;
    void snapshotChunks;
    return { ...view, lastAt: lastAt ?? null };
  },
});
