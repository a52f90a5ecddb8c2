import { defineTable } from "convex/server";
import { v } from "convex/values";
import { checkpointCountFields } from "../lib/legacyRows";

/**
 * The tables the importer maps, in its order (`migration/importer.ts`).
 * `profiles` is read from legacy `users` again (a profile and org membership
 * per imported person, once their interests are in).
 */
export const importedTable = v.union(
  v.literal("users"),
  v.literal("organizations"),
  v.literal("interests"),
  v.literal("profiles"),
  v.literal("meetings"),
  v.literal("connections"),
  v.literal("messages"),
);

/** What became of one legacy row. */
export const mappingOutcome = v.union(
  /** A new Convex row was written for it. */
  v.literal("created"),
  /** It duplicates a row imported before (same email in another case, same interest twice): mapped to that one. */
  v.literal("merged"),
  /** A person already using Convex (same email): the legacy account was linked to them. */
  v.literal("linked"),
  /** The legacy row was created by dual write for a Convex row (not imported). */
  v.literal("dualWrite"),
);

/**
 * Moving existing users over from the legacy PostgreSQL database (issue 19).
 * Owned by the migration; nothing else reads these tables except sign-in's
 * claim of imported accounts (`legacyAccounts`) and dual write.
 */
/** A checkpoint of one table in one run: where the importer is, and what became of the rows. */
export const checkpointFields = {
  table: v.string(),
  cursor: v.union(v.string(), v.null()),
  done: v.boolean(),
  rows: v.number(),
  ...checkpointCountFields,
  updatedAt: v.number(),
};

export const migrationTables = {
  /**
   * Legacy UUID → Convex id, one row per legacy row that was mapped. The
   * importer's idempotency: a row already here is never written again.
   */
  legacyIdMap: defineTable({
    table: v.string(),
    legacyId: v.string(),
    convexId: v.string(),
    outcome: mappingOutcome,
    runId: v.string(),
  })
    .index("by_table_legacy", ["table", "legacyId"])
    .index("by_table_convex", ["table", "convexId"]),
  /**
   * One row per legacy account (Clerk user): how a person who signs in with
   * WorkOS finds the user imported for them (by WorkOS user id, by the
   * `external_id` claim = Clerk id, or by verified email; see `lib/legacyAccounts.ts`).
   */
  legacyAccounts: defineTable({
    clerkId: v.string(),
    legacyUserId: v.string(),
    userId: v.id("users"),
    /** From the WorkOS user export (`externalId` = Clerk id), when the operator gave one. */
    workosUserId: v.optional(v.string()),
  })
    .index("by_clerk", ["clerkId"])
    .index("by_workos", ["workosUserId"])
    .index("by_user", ["userId"]),
  /** One import run: resumable while `running`; a new run starts after a finished one. */
  migrationRuns: defineTable({
    runId: v.string(),
    /** The legacy source, without credentials. */
    source: v.string(),
    status: v.union(v.literal("running"), v.literal("done")),
    startedAt: v.number(),
    finishedAt: v.optional(v.number()),
  })
    .index("by_run", ["runId"])
    .index("by_status", ["status", "startedAt"]),
  /**
   * Per (run, table): the keyset cursor of the last legacy row handled,
   * written in the same transaction as the batch (so a crash resumes exactly
   * after the last committed batch), and what happened to the rows.
   */
  migrationCheckpoints: defineTable({ runId: v.string(), ...checkpointFields }).index(
    "by_run_table",
    ["runId", "table"],
  ),
  /**
   * Rows the importer could not map (`reject`, with the reason) and rows it
   * mapped with a change worth knowing (`repair`, `merge`). Never silent.
   */
  migrationIssues: defineTable({
    runId: v.string(),
    table: v.string(),
    legacyId: v.string(),
    kind: v.union(v.literal("reject"), v.literal("repair"), v.literal("merge")),
    reason: v.string(),
    detail: v.string(),
  })
    .index("by_run_table_kind", ["runId", "table", "kind"])
    .index("by_table_legacy", ["table", "legacyId"]),
  /**
   * Dual write: changes to Convex rows waiting to be applied to the legacy
   * database by `migrationDualWriteApply.drain`, in order per row (`seq`).
   */
  dualWriteOutbox: defineTable({
    table: v.string(),
    convexId: v.string(),
    legacyId: v.string(),
    /** Per row, from 1; the legacy side applies a change only over an older one. */
    seq: v.number(),
    /** The legacy row's columns after the change (JSON text). */
    payload: v.string(),
    status: v.union(v.literal("pending"), v.literal("applied")),
    attempts: v.number(),
    lastError: v.optional(v.string()),
    enqueuedAt: v.number(),
    appliedAt: v.optional(v.number()),
  })
    .index("by_status_enqueued", ["status", "enqueuedAt"])
    .index("by_row", ["table", "convexId", "seq"])
    .index("by_applied", ["appliedAt"]),
  /** Single-flight of the dual-write drain (one row). */
  dualWriteControl: defineTable({
    key: v.string(),
    state: v.union(v.literal("idle"), v.literal("scheduled")),
    failures: v.number(),
    lastError: v.optional(v.string()),
    lastAppliedAt: v.optional(v.number()),
  }).index("by_key", ["key"]),
};
