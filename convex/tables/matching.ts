/**
 * Matching (issue 17): the queue, proposals, blocks, pair history, outcome
 * analytics, learned weights and cycle progress. The queue is one row per
 * person whose `status` moves waiting → proposed → matched, or back to
 * waiting on a decline or expiry (`matching/README` in convex/lib/README.md).
 * `card` is a copy of what the matcher needs from the profile, refreshed
 * when the profile changes, so a cycle reads one document per candidate.
 */
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { experienceValidator, orgConstraintValidator, roleValidator } from "./profileFields";

/** A time window [start, end) in ms. */
export const timeWindow = v.object({ start: v.number(), end: v.number() });

/** What matching knows of a person (`MatchCard` in projections/matching/types.ts). */
export const matchCard = v.object({
  userId: v.id("users"),
  orgId: v.union(v.string(), v.null()),
  role: v.union(roleValidator, v.null()),
  industry: v.union(v.string(), v.null()),
  experience: v.union(experienceValidator, v.null()),
  interests: v.array(v.string()),
  skills: v.array(v.string()),
  learning: v.array(v.string()),
  languages: v.array(v.string()),
  offersMentoring: v.boolean(),
  seeksMentoring: v.boolean(),
  openToCollaborate: v.boolean(),
});

/** Hard constraints of a queue entry (`Constraints`). */
export const matchConstraints = v.object({
  interests: v.array(v.string()),
  roles: v.array(roleValidator),
  languages: v.array(v.string()),
  org: orgConstraintValidator,
  allowRepeat: v.boolean(),
});

/** The factors of a proposal's score (`MatchFactors`). */
export const matchFactors = v.object({
  sharedInterests: v.array(v.string()),
  interestOverlap: v.number(),
  aTeachesB: v.array(v.string()),
  bTeachesA: v.array(v.string()),
  mentoring: v.union(v.literal("aMentorsB"), v.literal("bMentorsA"), v.null()),
  complementarity: v.number(),
  similarity: v.number(),
  history: v.number(),
  repeat: v.boolean(),
  collaborate: v.boolean(),
});

/** Score weights (`Weights`). */
export const matchWeightsValue = v.object({
  sharedInterests: v.number(),
  complementarySkills: v.number(),
  similarity: v.number(),
  history: v.number(),
});

/** Where a queue entry stands. */
export const queueStatus = v.union(
  v.literal("waiting"),
  v.literal("proposed"),
  v.literal("matched"),
  v.literal("left"),
  v.literal("expired"),
);

/** Where a proposal stands. */
export const proposalStatus = v.union(
  v.literal("pending"),
  v.literal("accepted"),
  v.literal("declined"),
  v.literal("expired"),
  v.literal("cancelled"),
);

/** One side's answer. */
export const proposalAnswer = v.union(v.literal("accepted"), v.literal("declined"));

export const matchingTables = {
  /** One row per person who ever entered the queue. */
  matchQueue: defineTable({
    userId: v.id("users"),
    status: queueStatus,
    card: matchCard,
    constraints: matchConstraints,
    window: timeWindow,
    durationMinutes: v.number(),
    /** When they entered; kept when a proposal returns them to the queue (their place in line). */
    waitingSince: v.number(),
    /** After this the entry expires (no slot fits its window any more). */
    expiresAt: v.number(),
    /** `hash(userId) % MATCH_SHARDS`: which cycle shard seeks partners for them. */
    shard: v.number(),
    proposalId: v.optional(v.id("matchProposals")),
    updatedAt: v.number(),
  })
    .index("by_user", ["userId"])
    .index("by_status_shard_waiting", ["status", "shard", "waitingSince"])
    .index("by_status_expires", ["status", "expiresAt"]),
  /** A proposed pair (`a` and `b` as the cycle found them; `factors` from `a`'s side). */
  matchProposals: defineTable({
    a: v.id("users"),
    b: v.id("users"),
    status: proposalStatus,
    aAnswer: v.optional(proposalAnswer),
    bAnswer: v.optional(proposalAnswer),
    score: v.number(),
    factors: matchFactors,
    weights: matchWeightsValue,
    weightsVersion: v.number(),
    modelKey: v.string(),
    slot: timeWindow,
    deadline: v.number(),
    createdAt: v.number(),
    decidedAt: v.optional(v.number()),
    cycleId: v.optional(v.id("matchCycles")),
    meetingId: v.optional(v.id("meetings")),
    /** Who declined, left or blocked (cancelled/declined). */
    endedBy: v.optional(v.id("users")),
  })
    .index("by_a_created", ["a", "createdAt"])
    .index("by_b_created", ["b", "createdAt"])
    .index("by_status_deadline", ["status", "deadline"])
    .index("by_meeting", ["meetingId"]),
  /** Blocks (also stop connections and messages) and do-not-match entries (matching only). */
  matchBlocks: defineTable({
    userId: v.id("users"),
    otherId: v.id("users"),
    kind: v.union(v.literal("block"), v.literal("doNotMatch")),
    createdAt: v.number(),
  }).index("by_user_other", ["userId", "otherId"]),
  /** Per unordered pair (`lo < hi`): earlier proposals, meetings and ratings. */
  matchHistory: defineTable({
    lo: v.id("users"),
    hi: v.id("users"),
    proposals: v.number(),
    meetings: v.number(),
    ratingSum: v.number(),
    ratingCount: v.number(),
    lastAt: v.number(),
  }).index("by_pair", ["lo", "hi"]),
  /**
   * Matching analytics: one `decision` row per decided proposal and one
   * `rating` row per rating, with the features and weights the proposal was
   * scored with. The learner folds unlearned rows into the weights.
   */
  matchOutcomes: defineTable({
    proposalId: v.id("matchProposals"),
    kind: v.union(v.literal("decision"), v.literal("rating")),
    outcome: proposalStatus,
    by: v.optional(v.id("users")),
    rating: v.optional(v.number()),
    comment: v.optional(v.string()),
    features: v.array(v.number()),
    weights: matchWeightsValue,
    weightsVersion: v.number(),
    score: v.number(),
    /** 1 = went well, 0 = did not, null = not a learning sample (cancelled). */
    label: v.union(v.literal(0), v.literal(1), v.null()),
    learned: v.boolean(),
    at: v.number(),
  })
    .index("by_learned", ["learned", "at"])
    .index("by_proposal_by", ["proposalId", "by"]),
  /** The current score weights (one row, key "current"), written only by the learner. */
  matchWeights: defineTable({
    key: v.string(),
    weights: matchWeightsValue,
    version: v.number(),
    samples: v.number(),
    updatedAt: v.number(),
  }).index("by_key", ["key"]),
  /** One matching cycle. */
  matchCycles: defineTable({
    startedAt: v.number(),
    reason: v.string(),
    shards: v.number(),
    modelKey: v.string(),
    weightsVersion: v.number(),
  }).index("by_started", ["startedAt"]),
  /** Progress of one shard of a cycle (written only by that shard's chain). */
  matchCycleShards: defineTable({
    cycleId: v.id("matchCycles"),
    shard: v.number(),
    batches: v.number(),
    seekers: v.number(),
    proposals: v.number(),
    done: v.boolean(),
    /** Why the chain stopped early (the next cycle retries its people). */
    error: v.optional(v.string()),
    updatedAt: v.number(),
  }).index("by_cycle_shard", ["cycleId", "shard"]),
};
