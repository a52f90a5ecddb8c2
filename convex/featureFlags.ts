/**
 * Feature flags with a per-user rollout percentage (deterministic hashing,
 * `lib/rollout.ts`). Reads are queries, so clients see a flag flip reactively.
 * Only internal functions (ops, seed, CLI) change flags.
 */
import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { writeAudit } from "./lib/audit";
import { appError } from "./lib/errors";
import { userQuery } from "./lib/functions";
import { isEnabledFor } from "./lib/rollout";

/** Why: flags are a short list; this bounds the "all my flags" read. */
const MAX_FLAGS = 200;

/** Whether flag `key` is on for the caller (false for an unknown flag). */
export const isEnabled = userQuery({
  args: { key: v.string() },
  returns: v.boolean(),
  handler: async (ctx, { key }) => {
    const flag = await ctx.db
      .query("featureFlags")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    return flag !== null && isEnabledFor(flag, ctx.user._id);
  },
});

/** Every flag's state for the caller. */
export const listMine = userQuery({
  args: {},
  returns: v.array(v.object({ key: v.string(), enabled: v.boolean() })),
  handler: async (ctx) => {
    const flags = await ctx.db.query("featureFlags").take(MAX_FLAGS);
    return flags.map((f) => ({ key: f.key, enabled: isEnabledFor(f, ctx.user._id) }));
  },
});

/** Create or change a flag (internal: ops tooling). */
export const set = internalMutation({
  args: {
    key: v.string(),
    enabled: v.boolean(),
    rolloutPercent: v.number(),
    description: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(args.key)) {
      throw appError("VALIDATION_ERROR", "flag keys are 1–64 of a-z 0-9 . _ -");
    }
    if (
      !Number.isInteger(args.rolloutPercent) ||
      args.rolloutPercent < 0 ||
      args.rolloutPercent > 100
    ) {
      throw appError("VALIDATION_ERROR", "rolloutPercent must be an integer in 0–100");
    }
    const existing = await ctx.db
      .query("featureFlags")
      .withIndex("by_key", (q) => q.eq("key", args.key))
      .unique();
    const row = { ...args, updatedAt: Date.now() };
    if (existing) await ctx.db.replace("featureFlags", existing._id, row);
    else await ctx.db.insert("featureFlags", row);
    await writeAudit(ctx, {
      action: "featureFlags.set",
      outcome: "admin",
      detail: `${args.key} enabled=${args.enabled} rollout=${args.rolloutPercent}%`,
    });
    return null;
  },
});
