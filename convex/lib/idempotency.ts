/**
 * Idempotency keys for external effects (provider calls, webhooks, emails).
 * An action claims `(scope, key)` in a mutation before the effect, does it,
 * then completes the claim with the result; a second attempt finds the claim
 * pending (someone is on it) or done (returns the stored result). A claim
 * whose holder died expires after its TTL and can be claimed again.
 */
import type { MutationCtx } from "../_generated/server";

/** Why: long enough for any provider call with retries, short enough to recover from a crash. */
export const DEFAULT_CLAIM_TTL_MS = 10 * 60_000;
/** Why: a finished effect's key must outlive any client or webhook retry window (a day). */
export const DONE_TTL_MS = 24 * 3600_000;

/** The outcome of a claim. */
export type ClaimOutcome =
  | { status: "claimed" }
  | { status: "pending"; expiresAt: number }
  | { status: "done"; result: string | undefined };

/** Claim `(scope, key)` for an effect at `now`. */
export async function claimKey(
  ctx: MutationCtx,
  scope: string,
  key: string,
  now: number,
  ttlMs: number = DEFAULT_CLAIM_TTL_MS,
): Promise<ClaimOutcome> {
  const row = await ctx.db
    .query("idempotencyKeys")
    .withIndex("by_scope_key", (q) => q.eq("scope", scope).eq("key", key))
    .unique();
  if (row?.status === "done") return { status: "done", result: row.result };
  if (row && row.expiresAt > now) return { status: "pending", expiresAt: row.expiresAt };
  if (row)
    await ctx.db.patch("idempotencyKeys", row._id, {
      status: "pending",
      createdAt: now,
      expiresAt: now + ttlMs,
    });
  else
    await ctx.db.insert("idempotencyKeys", {
      scope,
      key,
      status: "pending",
      createdAt: now,
      expiresAt: now + ttlMs,
    });
  return { status: "claimed" };
}

/** Record the effect's result (JSON text); later claims return it. */
export async function completeKey(
  ctx: MutationCtx,
  scope: string,
  key: string,
  result: string | undefined,
  now: number,
): Promise<void> {
  const row = await ctx.db
    .query("idempotencyKeys")
    .withIndex("by_scope_key", (q) => q.eq("scope", scope).eq("key", key))
    .unique();
  const fields = { status: "done" as const, result, expiresAt: now + DONE_TTL_MS };
  if (row) await ctx.db.patch("idempotencyKeys", row._id, fields);
  else await ctx.db.insert("idempotencyKeys", { scope, key, createdAt: now, ...fields });
}

/** Give a claim back after a failed effect, so a retry may claim it at once. */
export async function releaseKey(ctx: MutationCtx, scope: string, key: string): Promise<void> {
  const row = await ctx.db
    .query("idempotencyKeys")
    .withIndex("by_scope_key", (q) => q.eq("scope", scope).eq("key", key))
    .unique();
  if (row?.status === "pending") await ctx.db.delete("idempotencyKeys", row._id);
}
