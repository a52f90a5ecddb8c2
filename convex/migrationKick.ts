/**
 * The importer's catch-up pass (issue 19): imported meetings are appended
 * without kicking their projectors, so the import is not slowed by thousands
 * of folds on the same deployment; after the last table the importer pages
 * through the meetings' mappings here and kicks each one's projectors (the
 * one kick every append would have made). Kicks are single-flight
 * (`ensureScheduled`) and projectors keep exactly-once by their checkpoints,
 * so a pass run again (a resumed or second import) only re-reads.
 */
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import { internalMutation } from "./_generated/server";
import { kickProjectors } from "./projectors/kick";

/** Why 50: a kick reads every meeting projector's control and schedules a run per live version (~10 writes). */
export const KICKS_PER_BATCH = 50;

/** Kick the projectors of the next imported meetings after `after` (a meeting id), in id order. */
export const kickImported = internalMutation({
  args: { after: v.union(v.string(), v.null()), limit: v.optional(v.number()) },
  returns: v.object({ next: v.union(v.string(), v.null()), kicked: v.number() }),
  handler: async (ctx, { after, limit }) => {
    const n = Math.max(1, Math.min(KICKS_PER_BATCH, Math.floor(limit ?? KICKS_PER_BATCH)));
    const rows = await ctx.db
      .query("legacyIdMap")
      .withIndex("by_table_convex", (q) =>
        after === null
          ? q.eq("table", "meetings")
          : q.eq("table", "meetings").gt("convexId", after),
      )
      .take(n);
    // The projections' control rows are read once for the whole batch (nothing here writes them).
    const controls = new Map<string, Doc<"projectionControl"> | null>();
    for (const r of rows) {
      const meetingId = ctx.db.normalizeId("meetings", r.convexId);
      if (meetingId)
        await kickProjectors(
          ctx,
          { meetingId: meetingId as Id<"meetings">, stream: "meeting" },
          controls,
        );
    }
    return {
      next: rows.length === n ? rows[rows.length - 1]!.convexId : null,
      kicked: rows.length,
    };
  },
});
