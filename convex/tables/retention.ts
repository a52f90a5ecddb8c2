import { defineTable } from "convex/server";
import { v } from "convex/values";

/** Rows per retention category (and `audit`): removed, or counted by a dry run. */
export const retentionCounts = v.object({
  transcriptChunks: v.number(),
  chat: v.number(),
  noteUpdates: v.number(),
  transcriptSegments: v.number(),
  notes: v.number(),
  ai: v.number(),
  audit: v.number(),
});

/**
 * Retention (issue 18): one row per pass (`convex/retention.ts`), and per
 * meeting the categories already finished, so a later pass skips them.
 */
export const retentionTables = {
  retentionRuns: defineTable({
    dryRun: v.boolean(),
    /** The pass's clock: every age is measured against it. */
    now: v.number(),
    status: v.union(v.literal("running"), v.literal("done")),
    phase: v.union(v.literal("audit"), v.literal("ended"), v.literal("cancelled")),
    /** Pagination cursor over the phase's meetings. */
    cursor: v.union(v.string(), v.null()),
    counts: retentionCounts,
    meetingsSeen: v.number(),
    /** Meetings a dry run would change (ids, up to a cap). */
    sample: v.array(v.id("meetings")),
    steps: v.number(),
    startedAt: v.number(),
    finishedAt: v.optional(v.number()),
  }).index("by_started", ["startedAt"]),
  retentionMeetings: defineTable({
    meetingId: v.id("meetings"),
    done: v.array(v.string()),
  }).index("by_meeting", ["meetingId"]),
};
