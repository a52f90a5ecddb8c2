import { v } from "convex/values";

/**
 * The envelope every event row carries, whatever its table (see DESIGN.md,
 * "The event log"). Event rows are never patched. Projectors read them in
 * `(commitTs, _id)` order through `by_meeting_commit` / `by_commit`, which is
 * gap-free (unlike `_creationTime`, taken at transaction start).
 */
export const eventEnvelopeFields = {
  meetingId: v.id("meetings"),
  /** `users` id as a string, or `system:<component>` for server-made events. */
  actor: v.string(),
  /** Unique per meeting; a retried append with the same key stores nothing new. */
  idempotencyKey: v.string(),
  /** Shape version of this kind's payload; upcasters in `projections/` lift old ones. */
  schemaVersion: v.number(),
  /** Commit-order clock: written as `ctx.db.vars.commitTs`, resolved at commit. */
  commitTs: v.commitTs(),
  /** Server wall-clock ms at append, for the timeline (`stateAt`). */
  at: v.number(),
};

/** Index names every event table defines over the envelope. */
export const EVENT_INDEXES = {
  byMeetingCommit: "by_meeting_commit",
  byMeetingKey: "by_meeting_key",
  byCommit: "by_commit",
} as const;
