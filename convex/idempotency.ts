/**
 * Internal functions over idempotency keys for external effects (see
 * `lib/idempotency.ts`), callable from actions, plus `runOnce`, the helper
 * an action wraps its effect in, and a sweep of expired keys for a cron.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { type ActionCtx, internalMutation } from "./_generated/server";
import { claimKey, completeKey, releaseKey } from "./lib/idempotency";

/** Why: a sweep deletes in bounded batches to stay far inside write limits. */
const SWEEP_BATCH = 500;

const claimResult = v.union(
  v.object({ status: v.literal("claimed") }),
  v.object({ status: v.literal("pending"), expiresAt: v.number() }),
  v.object({ status: v.literal("done"), result: v.optional(v.string()) }),
);

/** Claim a key before an external effect. */
export const claim = internalMutation({
  args: { scope: v.string(), key: v.string(), ttlMs: v.optional(v.number()) },
  returns: claimResult,
  handler: async (ctx, { scope, key, ttlMs }) => await claimKey(ctx, scope, key, Date.now(), ttlMs),
});

/** Record a finished effect's result. */
export const complete = internalMutation({
  args: { scope: v.string(), key: v.string(), result: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, { scope, key, result }) => {
    await completeKey(ctx, scope, key, result, Date.now());
    return null;
  },
});

/** Give back a claim after a failed effect. */
export const release = internalMutation({
  args: { scope: v.string(), key: v.string() },
  returns: v.null(),
  handler: async (ctx, { scope, key }) => {
    await releaseKey(ctx, scope, key);
    return null;
  },
});

/** Delete expired keys, one batch; reschedules itself while more remain. */
export const sweep = internalMutation({
  args: {},
  returns: v.number(),
  handler: async (ctx) => {
    const expired = await ctx.db
      .query("idempotencyKeys")
      .withIndex("by_expires", (q) => q.lt("expiresAt", Date.now()))
      .take(SWEEP_BATCH);
    for (const row of expired) await ctx.db.delete("idempotencyKeys", row._id);
    if (expired.length === SWEEP_BATCH)
      await ctx.scheduler.runAfter(0, internal.idempotency.sweep, {});
    return expired.length;
  },
});

/**
 * Run an external effect at most once per `(scope, key)` from an action:
 * `{ status: "done", result }` with the first run's JSON result, or
 * `{ status: "pending" }` while another attempt holds the claim. A throwing
 * effect releases the claim and rethrows.
 */
export async function runOnce<T>(
  ctx: ActionCtx,
  scope: string,
  key: string,
  effect: () => Promise<T>,
): Promise<{ status: "done"; result: T } | { status: "pending" }> {
  const c = await ctx.runMutation(internal.idempotency.claim, { scope, key });
  if (c.status === "pending") return { status: "pending" };
  if (c.status === "done")
    return {
      status: "done",
      result: (c.result === undefined ? undefined : JSON.parse(c.result)) as T,
    };
  let result: T;
  try {
    result = await effect();
  } catch (e) {
    await ctx.runMutation(internal.idempotency.release, { scope, key });
    throw e;
  }
  await ctx.runMutation(internal.idempotency.complete, {
    scope,
    key,
    result: result === undefined ? undefined : JSON.stringify(result),
  });
  return { status: "done", result };
}
