/**
 * Small shared reads and writes of matching: the current weights, pair
 * history, and the analytics rows an outcome leaves.
 */
import { featureVector } from "../../projections/matching/score";
import type { MatchFactors, PairHistory, Weights } from "../../projections/matching/types";
import { DEFAULT_WEIGHTS } from "../../projections/matching/weights";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { blockedEitherWay } from "./blocks";

/** The key of the one weights row. */
export const WEIGHTS_KEY = "current";

/** The current weights and their version (defaults, version 0, before any learning). */
export async function currentWeights(
  ctx: QueryCtx,
): Promise<{ weights: Weights; version: number }> {
  const row = await ctx.db
    .query("matchWeights")
    .withIndex("by_key", (q) => q.eq("key", WEIGHTS_KEY))
    .unique();
  return row
    ? { weights: row.weights, version: row.version }
    : { weights: DEFAULT_WEIGHTS, version: 0 };
}

/** `[lo, hi]` of a pair (ids compared as strings). */
export function ordered(a: Id<"users">, b: Id<"users">): [Id<"users">, Id<"users">] {
  return a < b ? [a, b] : [b, a];
}

/** The pair's history row, or null. */
export async function historyRow(ctx: QueryCtx, a: Id<"users">, b: Id<"users">) {
  const [lo, hi] = ordered(a, b);
  return await ctx.db
    .query("matchHistory")
    .withIndex("by_pair", (q) => q.eq("lo", lo).eq("hi", hi))
    .unique();
}

/** Everything the hard constraints and the score need about a pair (three reads). */
export async function pairHistory(
  ctx: QueryCtx,
  a: Id<"users">,
  b: Id<"users">,
): Promise<PairHistory> {
  const blocked = await blockedEitherWay(ctx, a, b);
  const h = await historyRow(ctx, a, b);
  return {
    blocked,
    proposals: h?.proposals ?? 0,
    meanRating: h && h.ratingCount > 0 ? h.ratingSum / h.ratingCount : null,
  };
}

/** Add to the pair's history (creating the row). */
export async function bumpHistory(
  ctx: MutationCtx,
  a: Id<"users">,
  b: Id<"users">,
  add: { proposals?: number; meetings?: number; rating?: number },
  now: number,
): Promise<void> {
  const [lo, hi] = ordered(a, b);
  const h = await historyRow(ctx, a, b);
  const next = {
    proposals: (h?.proposals ?? 0) + (add.proposals ?? 0),
    meetings: (h?.meetings ?? 0) + (add.meetings ?? 0),
    ratingSum: (h?.ratingSum ?? 0) + (add.rating ?? 0),
    ratingCount: (h?.ratingCount ?? 0) + (add.rating !== undefined ? 1 : 0),
    lastAt: now,
  };
  if (h) await ctx.db.patch("matchHistory", h._id, next);
  else await ctx.db.insert("matchHistory", { lo, hi, ...next });
}

/** Write an analytics row for a proposal (a decision or a rating). */
export async function recordOutcome(
  ctx: MutationCtx,
  p: Doc<"matchProposals">,
  row: {
    kind: "decision" | "rating";
    outcome: Doc<"matchProposals">["status"];
    by?: Id<"users">;
    rating?: number;
    comment?: string;
    label: 0 | 1 | null;
  },
  now: number,
): Promise<void> {
  await ctx.db.insert("matchOutcomes", {
    proposalId: p._id,
    ...row,
    features: featureVector(p.factors as MatchFactors),
    weights: p.weights,
    weightsVersion: p.weightsVersion,
    score: p.score,
    learned: row.label === null,
    at: now,
  });
}
