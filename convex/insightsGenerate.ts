/**
 * Generating insights after a meeting ends (scheduled by the insights
 * projector). An action, so a provider may call out (an LLM) and nothing
 * runs inside a query or mutation. Idempotent (the store replaces the run's
 * rows) and retried with backoff; an LLM that keeps failing is replaced by
 * the local provider so every participant still gets insights.
 *
 * Provider by configuration: `INSIGHTS_PROVIDER=llm` with
 * `INSIGHTS_LLM_URL` (OpenAI-compatible chat completions), `INSIGHTS_LLM_MODEL`
 * and `INSIGHTS_LLM_API_KEY`; anything else = the local wink-nlp provider.
 */
import { v } from "convex/values";
import { llmInsightsProvider } from "../projections/insights/llmProvider";
import { localInsightsProvider } from "../projections/insights/localProvider";
import { type InsightsProvider, personalize } from "../projections/insights/provider";
import { internal } from "./_generated/api";
import { env, internalAction } from "./_generated/server";

/** Why: three tries ride out a provider blip; after that the local provider answers. */
export const MAX_GENERATE_ATTEMPTS = 3;
/** Why: back off 5 s, 10 s… between tries (and while source views finish folding). */
export const GENERATE_RETRY_MS = 5_000;

function configuredProvider(): InsightsProvider {
  if (env.INSIGHTS_PROVIDER === "llm" && env.INSIGHTS_LLM_URL && env.INSIGHTS_LLM_API_KEY) {
    return llmInsightsProvider({
      url: env.INSIGHTS_LLM_URL,
      apiKey: env.INSIGHTS_LLM_API_KEY,
      model: env.INSIGHTS_LLM_MODEL ?? "gpt-4o-mini",
    });
  }
  return localInsightsProvider;
}

/** Generate and store insights for every participant of an ended meeting. */
export const generate = internalAction({
  args: { meetingId: v.id("meetings"), version: v.number(), attempt: v.optional(v.number()) },
  returns: v.null(),
  handler: async (ctx, { meetingId, version, attempt }) => {
    const n = attempt ?? 0;
    const input = await ctx.runQuery(internal.insights.inputFor, { meetingId });
    if (!input.ready && n < MAX_GENERATE_ATTEMPTS) {
      await ctx.scheduler.runAfter(GENERATE_RETRY_MS, internal.insightsGenerate.generate, {
        meetingId,
        version,
        attempt: n + 1,
      });
      return null;
    }
    let provider = configuredProvider();
    if (n >= MAX_GENERATE_ATTEMPTS && provider !== localInsightsProvider)
      provider = localInsightsProvider;
    try {
      const meeting = await provider.analyze(input);
      const rows = input.participants.map((p) => {
        const { userId, ...rest } = personalize(meeting, input, p.userId);
        return { userId, ...rest };
      });
      await ctx.runMutation(internal.insights.store, {
        meetingId,
        version,
        provider: provider.name,
        rows,
      });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const final = provider === localInsightsProvider && n >= MAX_GENERATE_ATTEMPTS;
      await ctx.runMutation(internal.insights.recordAttempt, { meetingId, version, error, final });
      if (!final) {
        await ctx.scheduler.runAfter(
          GENERATE_RETRY_MS * 2 ** Math.min(n, 4),
          internal.insightsGenerate.generate,
          {
            meetingId,
            version,
            attempt: n + 1,
          },
        );
      }
    }
    return null;
  },
});
