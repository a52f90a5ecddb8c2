/**
 * Pre-call ideas: generated when a meeting is scheduled or its people change
 * (the `aiPrecall` projector) or when its page is opened and the last set is
 * stale (`ai/prompts.ensurePrecall`). The job is an action run by the action
 * retrier; it hashes its input (profiles, interests, goals, shared history,
 * provider), reuses a set made from the same input within 24 h, and stores
 * starters and agenda points as `prompts` with provenance.
 */
import { v } from "convex/values";
import { parsePrecall, precallRequest } from "../../projections/prompts/llmPrompts";
import { LOCAL_PROMPTS_NAME, precallLocally } from "../../projections/prompts/localPrompts";
import type { PrecallInput, PromptTrigger } from "../../projections/prompts/types";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { internalAction, internalMutation, type MutationCtx } from "../_generated/server";
import { promptTrigger } from "../tables/ai";
import { inputHash, providerFor } from "./config";
import { aiEnabled } from "./flags";
import { generateWith } from "./generateWith";
import { startJob } from "./jobs";

/**
 * Ask for pre-call ideas (from a mutation, e.g. a projector batch): a
 * scheduled `start` puts the job under the retrier, so the caller's
 * transaction stays small.
 */
export async function schedulePrecall(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  trigger: PromptTrigger,
): Promise<void> {
  await ctx.scheduler.runAfter(0, internal.ai.precallJobs.start, {
    meetingId,
    trigger:
      trigger === "participants" ? "participants" : trigger === "request" ? "request" : "scheduled",
  });
}

/** Start the pre-call job under the retrier when the host has pre-call AI on (internal). */
export const start = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    trigger: v.union(v.literal("scheduled"), v.literal("participants"), v.literal("request")),
  },
  returns: v.null(),
  handler: async (ctx, { meetingId, trigger }) => {
    const meeting = await ctx.db.get("meetings", meetingId);
    if (!meeting || !(await aiEnabled(ctx, "precall", meeting.hostId))) return null;
    await startJob(ctx, { job: "precall", args: { meetingId, trigger } });
    return null;
  },
});

/** Generate (or reuse) the pre-call set of a meeting. Throws on an LLM outage (the retrier retries). */
export const generate = internalAction({
  args: { meetingId: v.id("meetings"), trigger: promptTrigger, forceLocal: v.boolean() },
  returns: v.null(),
  handler: async (ctx, { meetingId, trigger, forceLocal }) => {
    const input = (await ctx.runQuery(internal.ai.precallInput.read, {
      meetingId,
    })) as PrecallInput | null;
    if (!input) return null;
    const choice = providerFor("prompts");
    const hash = await inputHash({
      input,
      provider: choice.kind === "llm" ? choice.settings.model : choice.kind,
    });
    const claim = await ctx.runMutation(internal.ai.promptRuns.claim, {
      meetingId,
      kind: "precall",
      trigger,
      inputHash: hash,
    });
    if (claim.action === "reuse") return null;
    const { value, provenance } = await generateWith(ctx, {
      capability: "prompts",
      inputHash: hash,
      forceLocal,
      localName: LOCAL_PROMPTS_NAME,
      local: () => precallLocally(input),
      request: (settings) => precallRequest(settings, input),
      parse: parsePrecall,
      parameters: { kind: "precall", trigger },
    });
    await ctx.runMutation(internal.ai.promptRuns.store, {
      runId: claim.runId,
      drafts: [...value.starters, ...value.agenda],
      provenance,
    });
    return null;
  },
});
