/**
 * The one feature-flag mechanism (the `featureFlags` table): the registry of
 * capability flags with their defaults, the environment a row applies to, and
 * the read every gate uses. Reads run inside queries, so whatever they gate
 * (functions and the web app's `featureFlags.listMine`) follows a flip
 * reactively.
 *
 * A row for the deployment's environment (`CONNVO_ENVIRONMENT`, default
 * `development`) wins over a row without one; with no row, the registry's
 * default holds (capabilities are on: they are part of the product), and an
 * unknown key is off.
 */
import type { Doc } from "../_generated/dataModel";
import { env, type QueryCtx } from "../_generated/server";
import { isEnabledFor } from "./rollout";

/** The capability flags the design lists, with their defaults. */
export const FLAGS = {
  "ai.precall": { default: true, description: "pre-call ideas (conversation starters, agenda)" },
  "ai.incall": { default: true, description: "in-call prompts" },
  "ai.insights": { default: true, description: "post-call insights" },
  matching: { default: true, description: "matching: queue, proposals, meetings from matches" },
  recording: { default: true, description: "call recording (paid plans)" },
} as const satisfies Record<string, { default: boolean; description: string }>;
/** A registered flag key. */
export type FlagKey = keyof typeof FLAGS;

/** The deployment's environment name. */
export function currentEnvironment(): string {
  return env.CONNVO_ENVIRONMENT || "development";
}

/** The row that decides `key` here: this environment's, else the environment-less one. */
export async function flagRow(ctx: QueryCtx, key: string): Promise<Doc<"featureFlags"> | null> {
  const environment = currentEnvironment();
  const own = await ctx.db
    .query("featureFlags")
    .withIndex("by_environment_key", (q) => q.eq("environment", environment).eq("key", key))
    .unique();
  if (own) return own;
  return await ctx.db
    .query("featureFlags")
    .withIndex("by_environment_key", (q) => q.eq("environment", undefined).eq("key", key))
    .unique();
}

/** Whether flag `key` is on for `userId` here. */
export async function flagOn(ctx: QueryCtx, key: string, userId: string): Promise<boolean> {
  const row = await flagRow(ctx, key);
  if (row) return isEnabledFor(row, userId);
  return Object.hasOwn(FLAGS, key) ? FLAGS[key as FlagKey].default : false;
}
