/**
 * The feature flags that gate each AI capability (the `featureFlags` table,
 * per-user rollout through `lib/rollout.ts`). A capability is on when its flag
 * row is missing (AI is part of the product by default) and follows the row
 * once an operator sets one: `npx convex run featureFlags:set
 * '{"key":"ai.incall","enabled":false,"rolloutPercent":0}'`.
 */
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { isEnabledFor } from "../lib/rollout";

/** The AI flags. */
export const AI_FLAGS = {
  precall: "ai.precall",
  incall: "ai.incall",
  insights: "ai.insights",
} as const;
/** One AI capability. */
export type AiFlag = keyof typeof AI_FLAGS;

/** Whether `flag` is on for `userId`. */
export async function aiEnabled(
  ctx: QueryCtx,
  flag: AiFlag,
  userId: Id<"users"> | string,
): Promise<boolean> {
  const row = await ctx.db
    .query("featureFlags")
    .withIndex("by_key", (q) => q.eq("key", AI_FLAGS[flag]))
    .unique();
  return row === null || isEnabledFor(row, String(userId));
}
