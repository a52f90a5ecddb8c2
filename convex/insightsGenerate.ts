/**
 * Generating insights after a meeting ends (or after its notes change once it
 * has ended): the job the insights projector starts under the action retrier.
 * An action, so a provider may call out (an LLM) and nothing runs inside a
 * query or mutation. Idempotent (the store replaces the run's rows, keeping
 * people's edits); source views still folding and LLM outages throw, so the
 * retrier tries again; when it gives up, the job runs once more with
 * `forceLocal` and the local provider answers (the row says so).
 *
 * Provider by configuration (`convex/ai/config.ts`): `INSIGHTS_PROVIDER` (or
 * `AI_PROVIDER`) `llm` with `AI_LLM_BASE_URL`, `AI_LLM_API_KEY`, `AI_LLM_MODEL`;
 * anything else = the local wink-nlp provider.
 */
import { v } from "convex/values";
import { insightsRequest, parseLlmInsights } from "../projections/insights/llmProvider";
import { analyzeLocally, LOCAL_PROVIDER_NAME } from "../projections/insights/localProvider";
import { type InsightsInput, personalize } from "../projections/insights/provider";
import { internal } from "./_generated/api";
import { internalAction } from "./_generated/server";
import { inputHash } from "./ai/config";
import { generateWith } from "./ai/generateWith";

/** Why: kept for callers that reason about retries (the retrier makes 3 tries, then local). */
export const MAX_GENERATE_ATTEMPTS = 3;

const OPEN = { status: "open" as const, edited: false };

/** Generate and store insights for every participant of an ended meeting. */
export const generate = internalAction({
  args: {
    meetingId: v.id("meetings"),
    version: v.number(),
    seq: v.optional(v.number()),
    forceLocal: v.optional(v.boolean()),
  },
  returns: v.null(),
  handler: async (ctx, { meetingId, version, seq, forceLocal }) => {
    const { ready, ...input }: { ready: boolean } & InsightsInput = await ctx.runQuery(
      internal.insights.inputFor,
      { meetingId },
    );
    if (!ready && !forceLocal)
      throw new Error("retryable: the notes and transcript views are still folding");
    const hash = await inputHash(input);
    const { value: meeting, provenance } = await generateWith(ctx, {
      capability: "insights",
      inputHash: hash,
      forceLocal: forceLocal ?? false,
      localName: LOCAL_PROVIDER_NAME,
      local: () => analyzeLocally(input),
      request: (settings) => insightsRequest(settings, input),
      parse: (json) => parseLlmInsights(json, input),
    });
    const rows = input.participants.map((p) => {
      const mine = personalize(meeting, input, p.userId);
      return {
        userId: p.userId,
        summary: mine.summary,
        actionItems: mine.actionItems.map((a) => ({ ...a, ...OPEN })),
        keyTakeaways: mine.keyTakeaways.map((a) => ({ ...a, ...OPEN })),
        decisions: mine.decisions.map((a) => ({ ...a, ...OPEN })),
        followUps: mine.followUps.map((a) => ({ ...a, ...OPEN })),
        recommendations: mine.recommendations.map((a) => ({ ...a, ...OPEN })),
      };
    });
    await ctx.runMutation(internal.insights.store, {
      meetingId,
      version,
      seq,
      provider: provenance.provider,
      model: provenance.model,
      inputHash: hash,
      ...(provenance.fallbackFrom ? { fallbackFrom: provenance.fallbackFrom } : {}),
      ...(provenance.fallbackReason ? { fallbackReason: provenance.fallbackReason } : {}),
      rows,
    });
    return null;
  },
});
