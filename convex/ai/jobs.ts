/**
 * AI jobs run by the action retrier (`@convex-dev/action-retrier`): each job
 * is an action taking `forceLocal`; an LLM outage makes it throw, the retrier
 * retries with backoff, and when it gives up `onComplete` runs the job once
 * more with `forceLocal: true`, so the local provider answers (and the
 * provenance says why). The job's arguments wait in `aiJobs` until then.
 */
import { onCompleteValidator } from "@convex-dev/action-retrier";
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { internalMutation, type MutationCtx } from "../_generated/server";
import { retryBackoffMs } from "./config";
import { retrier } from "./llm";

/** The jobs, by name. */
export type AiJob =
  | {
      job: "precall";
      args: { meetingId: Id<"meetings">; trigger: "scheduled" | "participants" | "request" };
    }
  | { job: "incall"; args: { meetingId: Id<"meetings">; runId: Id<"promptRuns"> } }
  | { job: "insights"; args: { meetingId: Id<"meetings">; version: number; seq: number } };

function refOf(job: AiJob["job"]) {
  switch (job) {
    case "precall":
      return internal.ai.precallJobs.generate;
    case "incall":
      return internal.ai.incallJobs.generate;
    case "insights":
      return internal.insightsGenerate.generate;
  }
}

/** Start a job under the retrier (from a mutation). */
export async function startJob(ctx: MutationCtx, j: AiJob): Promise<void> {
  const ref = refOf(j.job);
  const runId = await retrier.run(ctx, ref, { ...j.args, forceLocal: false } as never, {
    onComplete: internal.ai.jobs.onComplete,
    initialBackoffMs: retryBackoffMs(),
  });
  await ctx.db.insert("aiJobs", {
    retrierRunId: runId,
    job: j.job,
    args: JSON.stringify(j.args),
    startedAt: Date.now(),
  });
}

/** The retrier's callback: on failure, run the job locally once; forget the job either way. */
export const onComplete = internalMutation({
  args: onCompleteValidator,
  returns: v.null(),
  handler: async (ctx, { runId, result }) => {
    const row = await ctx.db
      .query("aiJobs")
      .withIndex("by_retrier_run", (q) => q.eq("retrierRunId", runId))
      .unique();
    if (!row) return null;
    await ctx.db.delete("aiJobs", row._id);
    if (result.type === "failed") {
      const args = JSON.parse(row.args) as Record<string, unknown>;
      await ctx.scheduler.runAfter(0, refOf(row.job), { ...args, forceLocal: true } as never);
    }
    return null;
  },
});
