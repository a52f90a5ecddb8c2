/**
 * Storage accounting of a meeting's note log (for `npm run trace` and
 * bench/): how many updates, in how many rows, with how many bytes.
 * Paginated so a long log stays inside per-transaction read limits.
 */
import { v } from "convex/values";
import { internalQuery } from "../_generated/server";

/** Why: 2,000 rows of ≤ ~1 KB (raw) per page keeps a page far below read limits. */
const PAGE = 2000;

/** One page of counts over `noteUpdates` or `noteSegments` of a meeting. */
export const logStatsPage = internalQuery({
  args: {
    meetingId: v.id("meetings"),
    table: v.union(v.literal("noteUpdates"), v.literal("noteSegments")),
    cursor: v.union(v.string(), v.null()),
  },
  returns: v.object({
    rows: v.number(),
    updates: v.number(),
    /** Bytes of the Yjs updates themselves. */
    updateBytes: v.number(),
    /** Bytes of the stored payload (update bytes, or packed segment bytes). */
    payloadBytes: v.number(),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { meetingId, table, cursor }) => {
    let rows = 0;
    let updates = 0;
    let updateBytes = 0;
    let payloadBytes = 0;
    if (table === "noteUpdates") {
      const page = await ctx.db
        .query("noteUpdates")
        .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
        .paginate({ numItems: PAGE, cursor });
      for (const r of page.page) {
        rows++;
        updates++;
        updateBytes += r.update.byteLength;
        payloadBytes += r.update.byteLength;
      }
      return { rows, updates, updateBytes, payloadBytes, ...pageEnd(page) };
    }
    const page = await ctx.db
      .query("noteSegments")
      .withIndex("by_meeting_to", (q) => q.eq("meetingId", meetingId))
      .paginate({ numItems: 50, cursor });
    for (const s of page.page) {
      rows++;
      updates += s.count;
      updateBytes += s.updateBytes;
      payloadBytes += s.entries.byteLength;
    }
    return { rows, updates, updateBytes, payloadBytes, ...pageEnd(page) };
  },
});

function pageEnd(page: { continueCursor: string; isDone: boolean }) {
  return { continueCursor: page.continueCursor, isDone: page.isDone };
}
