/**
 * Connection rows: one per unordered pair (`lo < hi`). Shared by
 * connections, direct messages (only connected people write) and blocks
 * (a block removes the connection).
 */
import type { Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { enqueueConnectionWrite } from "../lib/dualWriteSocial";
import { ordered } from "../matching/state";

/** The pair's connection row (any status), or null. */
export async function connectionBetween(ctx: QueryCtx, a: Id<"users">, b: Id<"users">) {
  const [lo, hi] = ordered(a, b);
  return await ctx.db
    .query("connections")
    .withIndex("by_pair", (q) => q.eq("lo", lo).eq("hi", hi))
    .unique();
}

/** Are the two connected (accepted)? */
export async function areConnected(
  ctx: QueryCtx,
  a: Id<"users">,
  b: Id<"users">,
): Promise<boolean> {
  return (await connectionBetween(ctx, a, b))?.status === "accepted";
}

/** Remove the pair's connection or request, if any. */
export async function removeConnectionBetween(
  ctx: MutationCtx,
  a: Id<"users">,
  b: Id<"users">,
): Promise<boolean> {
  const row = await connectionBetween(ctx, a, b);
  if (!row) return false;
  await enqueueConnectionWrite(ctx, row, Date.now(), true);
  await ctx.db.delete("connections", row._id);
  return true;
}
