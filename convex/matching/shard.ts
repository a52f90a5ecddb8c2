/**
 * One batch of one shard of a matching cycle (internal action: vector search
 * runs only in actions). Reads the shard's next seekers, finds candidates by
 * vector search among waiting people (filtered by the seeker's most
 * selective constraint), checks and scores them with the pure matcher, reads
 * blocks and history for each seeker's best options only, plans the batch,
 * and hands the plans to `propose.apply`, which re-checks everything in one
 * transaction. Then it schedules the shard's next batch, or stops.
 */
import { v } from "convex/values";
import {
  type CandidateEdge,
  historyFrom,
  planBatch,
  rankOptions,
} from "../../projections/matching/plan";
import { RESPONSE_MS } from "../../projections/matching/queueInput";
import type { PairHistory, QueuedPerson, Weights } from "../../projections/matching/types";
import { NEW_PAIR } from "../../projections/matching/types";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { type ActionCtx, internalAction } from "../_generated/server";
import { searchFilter } from "../embeddings/pool";
import { matchWeightsValue } from "../tables/matching";
import { shardCursor } from "./reads";

/** Why 16: enough near neighbours that some pass the constraints (each costs two reads); ≤ 256, Convex's cap. */
export const CANDIDATES_PER_SEEKER = 16;
/** Why 6: the best few options of each seeker get blocks and history read; the rest would rarely be used. */
export const OPTIONS_PER_SEEKER = 6;

/** Run one batch of `shard` for `cycleId` (see the module comment). */
export const run = internalAction({
  args: {
    cycleId: v.id("matchCycles"),
    shard: v.number(),
    modelKey: v.string(),
    weights: matchWeightsValue,
    weightsVersion: v.number(),
    after: shardCursor,
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    try {
      await runBatch(ctx, args);
    } catch (e) {
      // A batch that keeps failing (e.g. its mutation lost every conflict retry) ends the
      // chain visibly; its people stay waiting for the next cycle.
      await ctx.runMutation(internal.matching.cycle.shardFailed, {
        cycleId: args.cycleId,
        shard: args.shard,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    return null;
  },
});

type ShardArgs = {
  cycleId: Id<"matchCycles">;
  shard: number;
  modelKey: string;
  weights: Weights;
  weightsVersion: number;
  after: { waitingSince: number; creationTime: number } | null;
};

async function runBatch(ctx: ActionCtx, args: ShardArgs): Promise<void> {
  const now = Date.now();
  const batch = await ctx.runQuery(internal.matching.reads.seekers, {
    shard: args.shard,
    after: args.after,
    modelKey: args.modelKey,
    now,
  });
  const people = new Map<string, QueuedPerson>();
  const edges: CandidateEdge[] = [];
  const found: { seeker: Id<"users">; embeddingId: Id<"embeddings">; score: number }[] = [];
  for (const s of batch.seekers) {
    people.set(s.person.userId, s.person);
    if (!s.vector || !s.embeddingId) continue;
    const filter = searchFilter(args.modelKey, s.person);
    const results = await ctx.vectorSearch("embeddings", "by_vector", {
      vector: s.vector,
      limit: CANDIDATES_PER_SEEKER,
      filter: (q) =>
        filter.values.length === 1
          ? q.eq(filter.field, filter.values[0]!)
          : q.or(...filter.values.map((value) => q.eq(filter.field, value))),
    });
    for (const r of results)
      if (r._id !== s.embeddingId)
        found.push({ seeker: s.person.userId, embeddingId: r._id, score: r._score });
  }
  const candidates = found.length
    ? await ctx.runQuery(internal.matching.reads.people, {
        embeddingIds: [...new Set(found.map((f) => f.embeddingId))],
        now,
      })
    : [];
  const userOf = new Map<string, Id<"users">>();
  for (const c of candidates) {
    userOf.set(c.embeddingId, c.person.userId);
    people.set(c.person.userId, c.person);
  }
  for (const f of found) {
    const candidate = userOf.get(f.embeddingId);
    if (candidate && candidate !== f.seeker)
      edges.push({ seeker: f.seeker, candidate, similarity: f.score });
  }
  const seekerIds = batch.seekers.filter((s) => s.vector).map((s) => s.person.userId);
  const base = {
    seekers: seekerIds,
    people,
    weights: args.weights,
    earliestStart: now + RESPONSE_MS,
    optionsPerSeeker: OPTIONS_PER_SEEKER,
  };
  // First pass on the cards alone (as if every pair were new), to pick whose blocks and history to read.
  const prelim = rankOptions({ ...base, edges, history: () => NEW_PAIR });
  const shortlist = [...prelim].flatMap(([seeker, options]) =>
    options.map((o) => ({ a: seeker as Id<"users">, b: o.candidate as Id<"users"> })),
  );
  const infos = shortlist.length
    ? await ctx.runQuery(internal.matching.reads.pairs, { pairs: shortlist })
    : [];
  const known = new Map<string, PairHistory>(infos.map((i) => [`${i.a}|${i.b}`, i]));
  const keep = new Set(shortlist.map((p) => `${p.a}|${p.b}`));
  const plans = planBatch({
    ...base,
    edges: edges.filter((e) => keep.has(`${e.seeker}|${e.candidate}`)),
    history: historyFrom(known),
  });
  const done = !batch.full;
  await ctx.runMutation(internal.matching.propose.apply, {
    cycleId: args.cycleId,
    shard: args.shard,
    modelKey: args.modelKey,
    weights: args.weights,
    weightsVersion: args.weightsVersion,
    plans: plans.map((p) => ({
      seeker: p.seeker as Id<"users">,
      options: p.options.map((o) => ({ ...o, candidate: o.candidate as Id<"users"> })),
    })),
    seekers: batch.seekers.length,
    done,
  });
  if (!done)
    await ctx.scheduler.runAfter(0, internal.matching.shard.run, {
      ...args,
      after: batch.cursor,
    });
}
