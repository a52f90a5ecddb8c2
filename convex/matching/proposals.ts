/**
 * Proposals as each side sees them (reasons from their own side, the other
 * person's card), and ending a proposal that did not become a meeting
 * (declined, expired, cancelled): both people go back to the queue, keeping
 * their place in line, and the outcome is recorded for the learner.
 */
import { v } from "convex/values";
import { canonicalKey } from "../../projections/matching/catalogue";
import { humanize, reasonsFor } from "../../projections/matching/reasons";
import { decisionLabel } from "../../projections/matching/weights";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { loadProfile, personCard, personCardOf } from "../profiles/views";
import { proposalAnswer, proposalStatus, timeWindow } from "../tables/matching";
import { returnToQueue } from "./entries";
import { recordOutcome } from "./state";

/** A proposal as one of its two people sees it. */
export const proposalView = v.object({
  _id: v.id("matchProposals"),
  status: proposalStatus,
  myAnswer: v.union(proposalAnswer, v.null()),
  theirAnswer: v.union(proposalAnswer, v.null()),
  deadline: v.number(),
  slot: timeWindow,
  score: v.number(),
  reasons: v.array(
    v.object({
      factor: v.union(
        v.literal("sharedInterests"),
        v.literal("complementarySkills"),
        v.literal("mentoring"),
        v.literal("similarity"),
        v.literal("history"),
      ),
      text: v.string(),
    }),
  ),
  other: personCard,
  meetingId: v.union(v.id("meetings"), v.null()),
  myRating: v.union(v.number(), v.null()),
  createdAt: v.number(),
});

/** Which side `userId` is on, or null when not a party. */
export function sideOf(p: Doc<"matchProposals">, userId: Id<"users">): "a" | "b" | null {
  return p.a === userId ? "a" : p.b === userId ? "b" : null;
}

/** Names for a proposal's keys: skills as their owners typed them, interests from the catalogue. */
export async function labelsOf(
  ctx: QueryCtx,
  p: Doc<"matchProposals">,
): Promise<(key: string) => string> {
  const labels = new Map<string, string>();
  // Skills are matched by canonical key; show them as their owners typed them.
  for (const person of [p.a, p.b]) {
    const profile = await loadProfile(ctx, person);
    for (const label of [...(profile?.skills ?? []), ...(profile?.learning ?? [])])
      labels.set(canonicalKey(label), label);
  }
  for (const key of p.factors.sharedInterests) {
    const row = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    if (row) labels.set(key, row.label);
  }
  return (key) => labels.get(key) ?? humanize(key);
}

/** The proposal from `viewer`'s side (they must be a party). */
export async function toProposalView(ctx: QueryCtx, p: Doc<"matchProposals">, viewer: Id<"users">) {
  const side = sideOf(p, viewer);
  if (!side) throw new Error("toProposalView: the viewer is not a party");
  const otherId = side === "a" ? p.b : p.a;
  const label = await labelsOf(ctx, p);
  const rating = await ctx.db
    .query("matchOutcomes")
    .withIndex("by_proposal_by", (q) => q.eq("proposalId", p._id).eq("by", viewer))
    .first();
  return {
    _id: p._id,
    status: p.status,
    myAnswer: (side === "a" ? p.aAnswer : p.bAnswer) ?? null,
    theirAnswer: (side === "a" ? p.bAnswer : p.aAnswer) ?? null,
    deadline: p.deadline,
    slot: p.slot,
    score: p.score,
    reasons: reasonsFor(p.factors, side, label),
    other: (await personCardOf(ctx, otherId)) ?? {
      userId: otherId,
      name: "Someone",
      avatarUrl: null,
    },
    meetingId: p.meetingId ?? null,
    myRating: rating?.kind === "rating" ? (rating.rating ?? null) : null,
    createdAt: p.createdAt,
  };
}

/**
 * End a pending proposal without a meeting and return both people to the
 * queue (the caller then moves a leaving or blocking person out of it).
 */
export async function endProposal(
  ctx: MutationCtx,
  p: Doc<"matchProposals">,
  status: "declined" | "expired" | "cancelled",
  by: Id<"users"> | undefined,
  now: number,
): Promise<void> {
  if (p.status !== "pending") return;
  await ctx.db.patch("matchProposals", p._id, { status, decidedAt: now, endedBy: by });
  await recordOutcome(
    ctx,
    p,
    { kind: "decision", outcome: status, by, label: decisionLabel(status) },
    now,
  );
  await returnToQueue(ctx, p.a, now);
  await returnToQueue(ctx, p.b, now);
}
