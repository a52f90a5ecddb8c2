/**
 * Reading the `transcriptSegments` view: speaker turns cut into time windows,
 * with keywords, in order. Paginated by segment index (the list can be long).
 */
import { v } from "convex/values";
import { roomQuery } from "./lib/functions";
import { pageSize, requireFinite } from "./lib/numbers";
import { requireRoom } from "./lib/roomKey";
import { readVersionOf } from "./projectors/control";
import { rowToSegment } from "./projectors/transcriptSegments";
import { segmentFields } from "./tables/projections";

/** Why: 100 segments are ~100 minutes of single-speaker talk, a screenful of scrolling and < 1 MiB. */
export const MAX_SEGMENTS_PER_PAGE = 100;

/**
 * Why: a segment holds up to a minute of one speaker (600 utterances at the design's peak of 10
 * chunks/s, ≈ 100 KB), so a page of 100 segments could be 10 MB that every live pane re-reads
 * and receives whenever a segment changes (issue 20: that page grew with the meeting). 200
 * utterances (≈ 35 KB: ten minutes of speech at a final every three seconds, 20 s at the peak
 * rate) bound a page whatever the meeting's length, so the live pane, which follows `nextIndex`
 * to the last page, re-receives little more than the open segment; a page always holds at least
 * one segment. (At 1,200 a meeting with a long transcript sent ≈ 200 KB to every pane on each
 * chunk, 6× its young self in `engine-growth`.)
 */
export const MAX_UTTERANCES_PER_PAGE = 200;

/** What `transcriptSegments.list` answers. */
export const segmentPage = v.object({
  version: v.number(),
  segments: v.array(v.object(segmentFields)),
  /** Pass as `fromIndex` to read the next page; null at the end. */
  nextIndex: v.union(v.number(), v.null()),
});

/**
 * Segments from `fromIndex` on (default 0), at most `limit` (default and max
 * {@link MAX_SEGMENTS_PER_PAGE}) and at most {@link MAX_UTTERANCES_PER_PAGE} utterances
 * (at least one segment); `nextIndex` is where the next page starts. A room
 * query: takes the room key, never reads auth.
 */
export const list = roomQuery({
  args: {
    fromIndex: v.optional(v.number()),
    limit: v.optional(v.number()),
  },
  returns: segmentPage,
  handler: async (ctx, { meetingId, fromIndex, limit }) => {
    requireRoom(ctx.room);
    const version = await readVersionOf(ctx, "transcriptSegments");
    const n = pageSize(limit, MAX_SEGMENTS_PER_PAGE);
    requireFinite("fromIndex", fromIndex);
    const rows = ctx.db.query("transcriptSegments").withIndex("by_meeting_version_index", (q) =>
      q
        .eq("meetingId", meetingId)
        .eq("version", version)
        .gte("index", fromIndex ?? 0),
    );
    // Read lazily: stop at the first segment past the page (count or utterance budget).
    const page = [];
    let utterances = 0;
    for await (const row of rows) {
      const full =
        page.length >= n ||
        (page.length > 0 && utterances + row.utterances.length > MAX_UTTERANCES_PER_PAGE);
      if (full) return { version, segments: page, nextIndex: row.index };
      page.push(rowToSegment(row));
      utterances += row.utterances.length;
    }
    return { version, segments: page, nextIndex: null };
  },
});
