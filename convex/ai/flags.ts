/**
 * The feature flags that gate each AI capability, through the one flag
 * mechanism (`lib/flags.ts`: per-environment rows, per-user rollout). A
 * capability is on when its flag row is missing (AI is part of the product by
 * default) and follows the row once an operator sets one: `npx convex run
 * featureFlags:set '{"key":"ai.incall","enabled":false,"rolloutPercent":0,
 * "operator":"you","reason":"why"}'`.
 */
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { flagOn } from "../lib/flags";

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
  return await flagOn(ctx, AI_FLAGS[flag], String(userId));
}
