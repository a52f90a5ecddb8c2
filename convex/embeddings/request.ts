/**
 * Debounced re-embedding: every profile change bumps the person's job token
 * and schedules a run after `EMBED_DEBOUNCE_MS`; only the run carrying the
 * newest token embeds (older ones see a newer token and stop), so a burst of
 * edits costs one provider call.
 */

import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Why 5 s: a person saving a form field by field settles within seconds; one call covers it. */
export const EMBED_DEBOUNCE_MS = 5_000;

/** Schedule the person's re-embed in `delayMs` (0 = now, e.g. entering the queue without a vector). */
export async function requestEmbedding(
  ctx: MutationCtx,
  userId: Id<"users">,
  delayMs = EMBED_DEBOUNCE_MS,
): Promise<void> {
  const job = await ctx.db
    .query("embeddingJobs")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
  const token = (job?.token ?? 0) + 1;
  const now = Date.now();
  if (job) await ctx.db.patch("embeddingJobs", job._id, { token, attempts: 0, updatedAt: now });
  else await ctx.db.insert("embeddingJobs", { userId, token, attempts: 0, updatedAt: now });
  await ctx.scheduler.runAfter(delayMs, internal.embeddings.embed.run, { userId, token });
}
