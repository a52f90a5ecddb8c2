/**
 * Starting a matching cycle (internal mutation; the cron runs it every
 * minute, and a waiting person's entry or new vector kicks it). A cycle reads the serving model
 * key and the current weights once, then schedules one chain of batches per
 * shard (`shard.run`), which run side by side. A new cycle does not start
 * while the previous one still runs (unless forced) or within
 * `CYCLE_MIN_GAP_MS` of it; cycles that do race are safe (see `propose.ts`).
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { internalMutation, type MutationCtx, type QueryCtx } from "../_generated/server";
import { servingMeta } from "../embeddings/meta";
import { flagRow } from "../lib/flags";
import { MATCH_SHARDS } from "./entries";
import { currentWeights } from "./state";

/** Why 20 s: a new cycle right after another finds the same people; entering kicks at most this often. */
export const CYCLE_MIN_GAP_MS = 20_000;
/**
 * Why 2 min: a shard's batches take seconds each (10,000 waiting people are
 * ≈ 50 batches per shard); a chain still unfinished after this has died
 * (its action was lost), so a new cycle starts anyway.
 */
export const CYCLE_STALE_MS = 2 * 60_000;
/** Why 1 s: people entering together (two colleagues, a demo) land in the same cycle. */
export const ENTER_KICK_MS = 1_000;

async function latestCycle(ctx: QueryCtx) {
  return await ctx.db.query("matchCycles").withIndex("by_started").order("desc").first();
}

async function running(ctx: QueryCtx, cycleId: Id<"matchCycles">) {
  const shards = await ctx.db
    .query("matchCycleShards")
    .withIndex("by_cycle_shard", (q) => q.eq("cycleId", cycleId))
    .take(MATCH_SHARDS);
  return shards.some((s) => !s.done);
}

/** Start a cycle now (see the module comment). */
export const start = internalMutation({
  args: { reason: v.string(), force: v.optional(v.boolean()) },
  returns: v.union(
    v.object({ started: v.literal(true), cycleId: v.id("matchCycles") }),
    v.object({ started: v.literal(false), why: v.string() }),
  ),
  handler: async (ctx, { reason, force }) => {
    const now = Date.now();
    // Turned off for everyone (on with a 0 % rollout counts as off): no cycle proposes anyone.
    const flag = await flagRow(ctx, "matching");
    if (flag && (!flag.enabled || flag.rolloutPercent <= 0))
      return { started: false as const, why: "the matching flag is off" };
    const serving = await servingMeta(ctx);
    if (!serving) return { started: false as const, why: "no embeddings yet" };
    const last = await latestCycle(ctx);
    if (last && !force) {
      if (now - last.startedAt < CYCLE_MIN_GAP_MS)
        return { started: false as const, why: "a cycle started moments ago" };
      if (now - last.startedAt < CYCLE_STALE_MS && (await running(ctx, last._id)))
        return { started: false as const, why: "the previous cycle is still running" };
    }
    const { weights, version } = await currentWeights(ctx);
    const cycleId = await ctx.db.insert("matchCycles", {
      startedAt: now,
      reason: reason.slice(0, 100),
      shards: MATCH_SHARDS,
      modelKey: serving.modelKey,
      weightsVersion: version,
    });
    for (let shard = 0; shard < MATCH_SHARDS; shard++) {
      await ctx.db.insert("matchCycleShards", {
        cycleId,
        shard,
        batches: 0,
        seekers: 0,
        proposals: 0,
        done: false,
        updatedAt: now,
      });
      await ctx.scheduler.runAfter(0, internal.matching.shard.run, {
        cycleId,
        shard,
        modelKey: serving.modelKey,
        weights,
        weightsVersion: version,
        after: null,
      });
    }
    return { started: true as const, cycleId };
  },
});

/** Mark a shard chain stopped by an error (its people wait for the next cycle). */
export const shardFailed = internalMutation({
  args: { cycleId: v.id("matchCycles"), shard: v.number(), error: v.string() },
  returns: v.null(),
  handler: async (ctx, { cycleId, shard, error }) => {
    const row = await ctx.db
      .query("matchCycleShards")
      .withIndex("by_cycle_shard", (q) => q.eq("cycleId", cycleId).eq("shard", shard))
      .unique();
    if (row)
      await ctx.db.patch("matchCycleShards", row._id, {
        done: true,
        error: error.slice(0, 500),
        updatedAt: Date.now(),
      });
    return null;
  },
});

/**
 * Schedule a cycle start soon: in `ENTER_KICK_MS`, or when the minimum gap
 * after the latest cycle ends. Reads only, so kicks never conflict; extra
 * starts landing together skip (the gap check).
 */
export async function kickCycle(ctx: MutationCtx, now: number, reason: string): Promise<void> {
  const last = await latestCycle(ctx);
  const gapEnds = last ? last.startedAt + CYCLE_MIN_GAP_MS - now : 0;
  await ctx.scheduler.runAfter(Math.max(ENTER_KICK_MS, gapEnds), internal.matching.cycle.start, {
    reason,
  });
}
