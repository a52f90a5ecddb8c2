/**
 * The embed run of one person (an action: the provider may call out). Reads
 * what to embed, calls the provider for each live model key whose vector is
 * stale, and stores the vectors; a provider failure is recorded and retried
 * with back-off (`store.fail`). The old vector keeps serving meanwhile.
 */
import { v } from "convex/values";
import { EmbeddingProviderError } from "../../projections/matching/embeddings/provider";
import { internal } from "../_generated/api";
import { internalAction } from "../_generated/server";
import { providerFor } from "./config";

/** Embed one person's profile for the run `token` (see the module comment). */
export const run = internalAction({
  args: { userId: v.id("users"), token: v.number() },
  returns: v.null(),
  handler: async (ctx, { userId, token }) => {
    const input = await ctx.runQuery(internal.embeddings.store.inputFor, { userId, token });
    if (!input.current || input.modelKeys.length === 0) return null;
    const items: { modelKey: string; vector: number[] }[] = [];
    const errors: string[] = [];
    let retryable = false;
    for (const modelKey of input.modelKeys) {
      const provider = providerFor(modelKey);
      if (!provider) {
        errors.push(`${modelKey}: no provider configured for this model key`);
        continue;
      }
      try {
        const [vector] = await provider.embed([input.text]);
        if (vector) items.push({ modelKey, vector });
      } catch (e) {
        retryable ||= e instanceof EmbeddingProviderError ? e.retryable : true;
        errors.push(`${modelKey}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (items.length > 0)
      await ctx.runMutation(internal.embeddings.store.write, {
        userId,
        token,
        hash: input.hash,
        items,
      });
    if (errors.length > 0)
      await ctx.runMutation(internal.embeddings.store.fail, {
        userId,
        token,
        error: errors.join("; "),
        retryable,
      });
    return null;
  },
});
