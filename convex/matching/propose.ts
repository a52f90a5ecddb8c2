/**
 * Turning a shard's plans into proposals (internal mutation). Everything is
 * re-read and re-checked here, on the transaction's own snapshot: each
 * seeker and candidate must still be waiting, and the pair must still pass
 * every hard constraint with fresh blocks and history. A racing cycle that
 * proposed one of them first has changed their entry, so Convex's optimistic
 * concurrency either makes this transaction see it (and skip to the next
 * option) or retries it — nobody is ever in two pending proposals.
 */
import { v } from "convex/values";
import { choosePairsAsync } from "../../projections/matching/assign";
import { type HardCheck, hardCheck } from "../../projections/matching/constraints";
import { RESPONSE_MS } from "../../projections/matching/queueInput";
import { factorsOf, scoreOf } from "../../projections/matching/score";
import type { PairHistory } from "../../projections/matching/types";
import type { Doc, Id } from "../_generated/dataModel";
import { internalMutation } from "../_generated/server";
import { matchFactors, matchWeightsValue, timeWindow } from "../tables/matching";
import { entryOf, patchEntry, queuedPerson } from "./entries";
import { bumpHistory, pairHistory } from "./state";

/** One planned option (as `PlannedOption`). */
const optionValidator = v.object({
  candidate: v.id("users"),
  score: v.number(),
  factors: matchFactors,
  slot: timeWindow,
});

/** Apply a batch's plans; record the shard's progress in the same transaction. */
export const apply = internalMutation({
  args: {
    cycleId: v.id("matchCycles"),
    shard: v.number(),
    modelKey: v.string(),
    weights: matchWeightsValue,
    weightsVersion: v.number(),
    plans: v.array(v.object({ seeker: v.id("users"), options: v.array(optionValidator) })),
    seekers: v.number(),
    done: v.boolean(),
  },
  returns: v.object({ proposals: v.number() }),
  handler: async (ctx, args) => {
    const now = Date.now();
    const earliestStart = now + RESPONSE_MS;
    // Entries, blocks and history are read lazily: only for the seekers and options the
    // replay reaches (most plans succeed on their first option).
    const entries = new Map<Id<"users">, Doc<"matchQueue"> | null>();
    const load = async (userId: Id<"users">) => {
      if (!entries.has(userId)) entries.set(userId, await entryOf(ctx, userId));
      return entries.get(userId) ?? null;
    };
    const checks = new Map<string, { pair: PairHistory; check: HardCheck }>();
    const fresh = async (seeker: Id<"users">, candidate: Id<"users">) => {
      const key = `${seeker}|${candidate}`;
      if (!checks.has(key)) {
        const pair = await pairHistory(ctx, seeker, candidate);
        const a = (await load(seeker))!;
        const b = (await load(candidate))!;
        checks.set(key, {
          pair,
          check: hardCheck(queuedPerson(a), queuedPerson(b), pair, earliestStart),
        });
      }
      return checks.get(key)!;
    };
    const available = async (id: string) => {
      const e = await load(id as Id<"users">);
      return e !== null && e.status === "waiting" && e.expiresAt > now;
    };
    const chosen = await choosePairsAsync(
      args.plans,
      available,
      async (s, o) => (await fresh(s as Id<"users">, o.candidate)).check.ok,
    );
    let proposals = 0;
    for (const { seeker, option } of chosen) {
      const a = entries.get(seeker as Id<"users">)!;
      const b = entries.get(option.candidate)!;
      const { pair, check } = await fresh(a.userId, b.userId);
      if (!check.ok) continue;
      proposals++;
      const factors = factorsOf(a.card, b.card, option.factors.similarity, pair);
      const proposalId = await ctx.db.insert("matchProposals", {
        a: a.userId,
        b: b.userId,
        status: "pending",
        score: scoreOf(factors, args.weights),
        factors,
        weights: args.weights,
        weightsVersion: args.weightsVersion,
        modelKey: args.modelKey,
        slot: check.slot,
        deadline: now + RESPONSE_MS,
        createdAt: now,
        cycleId: args.cycleId,
      });
      await patchEntry(ctx, a, { status: "proposed", proposalId });
      await patchEntry(ctx, b, { status: "proposed", proposalId });
      await bumpHistory(ctx, a.userId, b.userId, { proposals: 1 }, now);
    }
    const progress = await ctx.db
      .query("matchCycleShards")
      .withIndex("by_cycle_shard", (q) => q.eq("cycleId", args.cycleId).eq("shard", args.shard))
      .unique();
    if (progress)
      await ctx.db.patch("matchCycleShards", progress._id, {
        batches: progress.batches + 1,
        seekers: progress.seekers + args.seekers,
        proposals: progress.proposals + proposals,
        done: args.done,
        updatedAt: now,
      });
    return { proposals };
  },
});
