/**
 * Reading the `transcriptSegments` view: speaker turns cut into time windows,
 * with keywords, in order. Paginated by segment index (the list can be long).
 */
import { v } from "convex/values";
import { requireMeetingAccess } from "./lib/access";
import { userQuery } from "./lib/functions";
import { pageSize, requireFinite } from "./lib/numbers";
import { readVersionOf } from "./projectors/control";
import { rowToSegment } from "./projectors/transcriptSegments";
import { segmentFields } from "./tables/projections";

/** Why: 100 segments are ~100 minutes of single-speaker talk, a screenful of scrolling and < 1 MiB. */
export const MAX_SEGMENTS_PER_PAGE = 100;

/** What `transcriptSegments.list` answers. */
export const segmentPage = v.object({
  version: v.number(),
  segments: v.array(v.object(segmentFields)),
  /** Pass as `fromIndex` to read the next page; null at the end. */
  nextIndex: v.union(v.number(), v.null()),
});

/** Segments from `fromIndex` on (default 0), at most `limit` (default and max {@link MAX_SEGMENTS_PER_PAGE}). */
export const list = userQuery({
  args: {
    meetingId: v.id("meetings"),
    fromIndex: v.optional(v.number()),
    limit: v.optional(v.number()),
  },
  returns: segmentPage,
  handler: async (ctx, { meetingId, fromIndex, limit }) => {
    await requireMeetingAccess(ctx, meetingId, "read");
    const version = await readVersionOf(ctx, "transcriptSegments");
    const n = pageSize(limit, MAX_SEGMENTS_PER_PAGE);
    requireFinite("fromIndex", fromIndex);
    const rows = await ctx.db
      .query("transcriptSegments")
      .withIndex("by_meeting_version_index", (q) =>
        q
          .eq("meetingId", meetingId)
          .eq("version", version)
          .gte("index", fromIndex ?? 0),
      )
      .take(n + 1);
    const page = rows.slice(0, n).map(rowToSegment);
    return { version, segments: page, nextIndex: rows.length > n ? rows[n]!.index : null };
  },
});
