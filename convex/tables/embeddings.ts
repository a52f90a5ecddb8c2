/**
 * Profile embeddings (issue 17): one row per (person, model key), searched
 * through a Convex vector index, and the metadata of each model key's index
 * (`vectorIndexMeta`): which key serves searches, which one a backfill is
 * building. Old vectors serve until the new key's backfill completes.
 *
 * Convex vector filters are ORs of equalities (no AND), so each row carries
 * its combined filter keys: `pool` = `<modelKey>|waiting` while the person
 * waits in the queue (`<modelKey>|idle` otherwise), and the same with the
 * person's role (`poolRole`) and organisation (`poolOrg`) appended.
 */
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { EMBEDDING_DIMENSIONS } from "../../projections/matching/embeddings/provider";

/** Lifecycle of a model key's vectors. */
export const indexStatus = v.union(
  v.literal("building"),
  v.literal("serving"),
  v.literal("retiring"),
  v.literal("retired"),
);

export const embeddingTables = {
  embeddings: defineTable({
    userId: v.id("users"),
    modelKey: v.string(),
    dimensions: v.number(),
    vector: v.array(v.float64()),
    /** `textHash(profileText)` the vector was made from (unchanged text is not re-embedded). */
    textHash: v.string(),
    pool: v.string(),
    poolRole: v.string(),
    poolOrg: v.string(),
    updatedAt: v.number(),
  })
    .index("by_user_model", ["userId", "modelKey"])
    .index("by_model", ["modelKey"])
    .vectorIndex("by_vector", {
      vectorField: "vector",
      dimensions: EMBEDDING_DIMENSIONS,
      filterFields: ["pool", "poolRole", "poolOrg"],
    }),
  /** One row per model key. */
  vectorIndexMeta: defineTable({
    modelKey: v.string(),
    dimensions: v.number(),
    status: indexStatus,
    createdAt: v.number(),
    servingSince: v.optional(v.number()),
    retiredAt: v.optional(v.number()),
    /** Backfill progress: profiles embedded and the profile cursor (`_creationTime` of the last). */
    backfilled: v.number(),
    failed: v.number(),
    cursor: v.optional(v.number()),
    /** When the last backfill of this key reached the end (absent while one runs). */
    completedAt: v.optional(v.number()),
    /** Old rows deleted while retiring. */
    deleted: v.number(),
    lastError: v.optional(v.string()),
    updatedAt: v.number(),
  })
    .index("by_model", ["modelKey"])
    .index("by_status", ["status"]),
  /** The debounced re-embed of one person: only the run whose token is current embeds. */
  embeddingJobs: defineTable({
    userId: v.id("users"),
    token: v.number(),
    attempts: v.number(),
    lastError: v.optional(v.string()),
    updatedAt: v.number(),
  }).index("by_user", ["userId"]),
};
