/**
 * Feature flags: one row per (key, environment) with a per-user rollout
 * percentage (deterministic hashing, `lib/rollout.ts`), read through
 * `lib/flags.ts`. Reads are queries, so clients and the functions they gate
 * see a flip reactively. Changes name their operator and reason and are
 * audited: `set` (internal: `npx convex run`, seed) and `change` (operator
 * token, for the console and scripts).
 */
import { type Infer, v } from "convex/values";
import { internalMutation, type MutationCtx, mutation, query } from "./_generated/server";
import { operatorNote, writeAudit } from "./lib/audit";
import { appError } from "./lib/errors";
import { currentEnvironment, FLAGS, flagOn, flagRow } from "./lib/flags";
import { userQuery } from "./lib/functions";
import { requireOperator } from "./projections";

/** Why: flags are a short list; this bounds the "all my flags" read. */
const MAX_FLAGS = 200;

/** Whether flag `key` is on for the caller (registered flags default on; unknown ones are off). */
export const isEnabled = userQuery({
  args: { key: v.string() },
  returns: v.boolean(),
  handler: async (ctx, { key }) => await flagOn(ctx, key, ctx.user._id),
});

/** Every flag's state for the caller in this environment (registered ones always listed). */
export const listMine = userQuery({
  args: {},
  returns: v.array(v.object({ key: v.string(), enabled: v.boolean() })),
  handler: async (ctx) => {
    const rows = await ctx.db.query("featureFlags").take(MAX_FLAGS);
    const keys = new Set<string>(Object.keys(FLAGS));
    const environment = currentEnvironment();
    for (const r of rows)
      if (r.environment === undefined || r.environment === environment) keys.add(r.key);
    const out = [];
    for (const key of [...keys].sort())
      out.push({ key, enabled: await flagOn(ctx, key, ctx.user._id) });
    return out;
  },
});

const setArgs = {
  key: v.string(),
  enabled: v.boolean(),
  rolloutPercent: v.number(),
  description: v.optional(v.string()),
  /** The environment the row applies to; absent = every environment. */
  environment: v.optional(v.string()),
  operator: v.string(),
  reason: v.string(),
};
const setArgsObject = v.object(setArgs);

async function setFlag(ctx: MutationCtx, args: Infer<typeof setArgsObject>): Promise<null> {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(args.key))
    throw appError("VALIDATION_ERROR", "flag keys are 1–64 of a-z 0-9 . _ -");
  if (args.environment !== undefined && !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(args.environment))
    throw appError("VALIDATION_ERROR", "environments are 1–32 of a-z 0-9 _ -");
  if (
    !Number.isInteger(args.rolloutPercent) ||
    args.rolloutPercent < 0 ||
    args.rolloutPercent > 100
  )
    throw appError("VALIDATION_ERROR", "rolloutPercent must be an integer in 0–100");
  const { operator, reason } = operatorNote(args.operator, args.reason);
  const existing = await ctx.db
    .query("featureFlags")
    .withIndex("by_environment_key", (q) =>
      q.eq("environment", args.environment).eq("key", args.key),
    )
    .unique();
  const row = {
    key: args.key,
    enabled: args.enabled,
    rolloutPercent: args.rolloutPercent,
    ...(args.description !== undefined ? { description: args.description } : {}),
    ...(args.environment !== undefined ? { environment: args.environment } : {}),
    updatedAt: Date.now(),
  };
  if (existing) await ctx.db.replace("featureFlags", existing._id, row);
  else await ctx.db.insert("featureFlags", row);
  const was = existing
    ? `enabled=${existing.enabled} rollout=${existing.rolloutPercent}%`
    : "unset";
  await writeAudit(ctx, {
    action: "featureFlags.set",
    outcome: "admin",
    operator,
    reason,
    detail: `${args.key}@${args.environment ?? "all"}: ${was} → enabled=${args.enabled} rollout=${args.rolloutPercent}%`,
  });
  return null;
}

/** Create or change a flag (internal: `npx convex run`, seed). */
export const set = internalMutation({ args: setArgs, returns: v.null(), handler: setFlag });

/** Create or change a flag with the deployment's operator token (console, scripts). */
export const change = mutation({
  args: { adminToken: v.string(), ...setArgs },
  returns: v.null(),
  handler: async (ctx, { adminToken, ...args }) => {
    requireOperator(adminToken);
    return await setFlag(ctx, args);
  },
});

/** Every flag row with its state here (operator token): the console's flag table. */
export const listAll = query({
  args: { adminToken: v.string() },
  returns: v.array(
    v.object({
      key: v.string(),
      environment: v.optional(v.string()),
      enabled: v.boolean(),
      rolloutPercent: v.number(),
      registered: v.boolean(),
      effectiveHere: v.boolean(),
    }),
  ),
  handler: async (ctx, { adminToken }) => {
    requireOperator(adminToken);
    const rows = await ctx.db.query("featureFlags").take(MAX_FLAGS);
    const out = [];
    for (const r of rows) {
      const decides = await flagRow(ctx, r.key);
      out.push({
        key: r.key,
        ...(r.environment !== undefined ? { environment: r.environment } : {}),
        enabled: r.enabled,
        rolloutPercent: r.rolloutPercent,
        registered: Object.hasOwn(FLAGS, r.key),
        effectiveHere: decides?._id === r._id,
      });
    }
    return out;
  },
});
