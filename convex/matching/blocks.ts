/**
 * Block and do-not-match lists. A block stops matching, connection requests,
 * messages and profile views between the two people; a do-not-match entry
 * only keeps them out of each other's proposals. Either direction counts.
 */
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";

/** The kinds of list entries. */
export type BlockKind = "block" | "doNotMatch";

/** Has `userId` put `otherId` on a list (of `kind`, or any)? */
export async function listed(
  ctx: QueryCtx,
  userId: Id<"users">,
  otherId: Id<"users">,
  kind?: BlockKind,
): Promise<boolean> {
  // At most two rows per direction (one per kind).
  const rows = await ctx.db
    .query("matchBlocks")
    .withIndex("by_user_other", (q) => q.eq("userId", userId).eq("otherId", otherId))
    .take(2);
  return rows.some((r) => kind === undefined || r.kind === kind);
}

/** Is either person blocking the other (`kind` "block"), or listing them at all (no kind)? */
export async function blockedEitherWay(
  ctx: QueryCtx,
  a: Id<"users">,
  b: Id<"users">,
  kind?: BlockKind,
): Promise<boolean> {
  return (await listed(ctx, a, b, kind)) || (await listed(ctx, b, a, kind));
}
