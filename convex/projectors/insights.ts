/**
 * The `insights` projector: folds the meeting stream into "has ended"; the
 * batch that sees the end creates the meeting's insights run and schedules
 * the generating action (`insightsGenerate.generate`) in the same
 * transaction, so it is requested exactly once per meeting and version.
 */

import { type InsightsTrigger, insightsTriggerFold } from "../../projections/insights/trigger";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { ProjectorImpl } from "./types";

/**
 * Why: give the notes and transcript projectors a moment to fold the last
 * events before reading them (the action also waits until they are idle).
 */
export const INSIGHTS_DELAY_MS = 2_000;

/** The insights run of a meeting, if requested. */
export async function getInsightRun(ctx: QueryCtx, meetingId: Id<"meetings">, version: number) {
  return await ctx.db
    .query("insightRuns")
    .withIndex("by_meeting_version", (q) => q.eq("meetingId", meetingId).eq("version", version))
    .unique();
}

/** The insights projector. */
export const insightsProjector: ProjectorImpl<InsightsTrigger> = {
  name: "insights",
  latest: 1,
  folds: { 1: insightsTriggerFold },
  // Why: meeting events are few and the state is one boolean.
  batchSize: 256,
  // Why: meeting events are rare; nothing to coalesce.
  kickDelayMs: 0,
  async load(ctx, meetingId, version) {
    const run = await getInsightRun(ctx, meetingId, version);
    return run ? { ended: true, endedAt: run.requestedAt } : insightsTriggerFold.init();
  },
  async save(ctx, meetingId, version, s, info) {
    if (!s.ended || (await getInsightRun(ctx, meetingId, version))) return;
    await ctx.db.insert("insightRuns", {
      meetingId,
      version,
      status: "pending",
      attempts: 0,
      requestedAt: s.endedAt ?? info.now,
    });
    await ctx.scheduler.runAfter(INSIGHTS_DELAY_MS, internal.insightsGenerate.generate, {
      meetingId,
      version,
    });
  },
  async deleteVersion(ctx, version, limit) {
    const rows = await ctx.db
      .query("insights")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of rows) await ctx.db.delete("insights", r._id);
    if (rows.length > 0) return rows.length;
    const runs = await ctx.db
      .query("insightRuns")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of runs) await ctx.db.delete("insightRuns", r._id);
    return runs.length;
  },
};
