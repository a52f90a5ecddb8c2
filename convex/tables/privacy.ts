import { defineTable } from "convex/server";
import { v } from "convex/values";

/** Where an erasure stands (see `convex/erasure/`): phases in order. */
export const erasurePhase = v.union(v.literal("meetings"), v.literal("person"), v.literal("done"));

/**
 * Personal-data keys and erasures (issue 18). A `personKeys` row is one
 * person's data key wrapped by the deployment's master key
 * (`convex/lib/personalData.ts`); erasing the person deletes it (shredding).
 */
export const privacyTables = {
  personKeys: defineTable({
    userId: v.id("users"),
    /** IV ‖ AES-GCM(master key, data key), with the user id as associated data. */
    wrapped: v.bytes(),
    createdAt: v.number(),
  }).index("by_user", ["userId"]),
  /**
   * One erasure of one person: a resumable state machine run in bounded,
   * self-rescheduling steps. Holds no personal data (ids and counts only).
   */
  erasures: defineTable({
    userId: v.id("users"),
    /** `self`, or `operator:<name>` (the operator's reason is in the audit log). */
    requestedBy: v.string(),
    phase: erasurePhase,
    /** The meeting being worked on and the step inside it (`convex/erasure/meeting.ts`). */
    meetingId: v.optional(v.id("meetings")),
    stage: v.optional(v.string()),
    /** A pagination cursor of the current step (participants or rows). */
    cursor: v.optional(v.string()),
    meetingsCursor: v.optional(v.string()),
    meetingsDone: v.number(),
    rowsChanged: v.number(),
    steps: v.number(),
    startedAt: v.number(),
    finishedAt: v.optional(v.number()),
    /** The last step's failure (the step is retried after `ERASURE_RETRY_MS`); cleared on success. */
    lastError: v.optional(v.string()),
  }).index("by_user", ["userId"]),
  /**
   * A "download my data" file while it is in storage: deleted with its row when it expires
   * (`exportData.discard`) or when the person is erased, whichever comes first.
   */
  dataExports: defineTable({
    userId: v.id("users"),
    storageId: v.id("_storage"),
    expiresAt: v.number(),
  })
    .index("by_user", ["userId"])
    .index("by_storage", ["storageId"]),
};
