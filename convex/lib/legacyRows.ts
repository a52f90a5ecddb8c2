/**
 * The shapes the importer sends for legacy rows (already cleaned by the
 * pure mappers in `migration/`; references still legacy UUIDs, resolved
 * here through `legacyIdMap`). One definition: the mappers import the
 * `Infer<>` types, the internal mutations validate with these.
 */
import { type Infer, v } from "convex/values";

/** A legacy user, cleaned (email lower-cased or absent, name never blank, times in ms). */
export const legacyUserRow = v.object({
  legacyId: v.string(),
  clerkId: v.string(),
  email: v.optional(v.string()),
  name: v.string(),
  createdAt: v.number(),
  updatedAt: v.number(),
  workosUserId: v.optional(v.string()),
});
export type LegacyUserRow = Infer<typeof legacyUserRow>;

/** A legacy interest (label as the user typed it, trimmed). */
export const legacyInterestRow = v.object({
  legacyId: v.string(),
  legacyUserId: v.string(),
  label: v.string(),
  category: v.optional(v.string()),
  createdAt: v.number(),
});
export type LegacyInterestRow = Infer<typeof legacyInterestRow>;

/** A legacy one-to-one meeting with its status normalized. */
export const legacyMeetingRow = v.object({
  legacyId: v.string(),
  user1: v.string(),
  user2: v.optional(v.string()),
  title: v.string(),
  scheduledAt: v.number(),
  durationMinutes: v.number(),
  status: v.union(v.literal("scheduled"), v.literal("ended"), v.literal("cancelled")),
  createdAt: v.number(),
  updatedAt: v.optional(v.number()),
});
export type LegacyMeetingRow = Infer<typeof legacyMeetingRow>;

/** A legacy organization (Clerk organization): name cleaned, on the free plan once imported. */
export const legacyOrgRow = v.object({
  legacyId: v.string(),
  clerkOrgId: v.string(),
  name: v.string(),
  createdAt: v.number(),
});
export type LegacyOrgRow = Infer<typeof legacyOrgRow>;

/**
 * A legacy user's profile and org membership (read from legacy `users` again,
 * after users and interests): the profile is made from the imported user row.
 */
export const legacyProfileRow = v.object({
  legacyId: v.string(),
  legacyOrgId: v.optional(v.string()),
});
export type LegacyProfileRow = Infer<typeof legacyProfileRow>;

/** A legacy connection with its status normalized (`user1` asked). */
export const legacyConnectionRow = v.object({
  legacyId: v.string(),
  user1: v.string(),
  user2: v.string(),
  status: v.union(v.literal("pending"), v.literal("accepted"), v.literal("declined")),
  createdAt: v.number(),
  respondedAt: v.optional(v.number()),
});
export type LegacyConnectionRow = Infer<typeof legacyConnectionRow>;

/** A legacy direct message (text cleaned and capped; never blank). */
export const legacyMessageRow = v.object({
  legacyId: v.string(),
  legacyConnectionId: v.string(),
  sender: v.string(),
  text: v.string(),
  at: v.number(),
  readAt: v.optional(v.number()),
});
export type LegacyMessageRow = Infer<typeof legacyMessageRow>;

/** A finding of the pure mapper about one row: rejected (not sent) or repaired (sent changed). */
export const rowIssue = v.object({
  legacyId: v.string(),
  kind: v.union(v.literal("reject"), v.literal("repair")),
  /** Upper-case code, e.g. `INVALID_TIME`, `NAME_FROM_EMAIL`. */
  reason: v.string(),
  detail: v.string(),
});
export type RowIssue = Infer<typeof rowIssue>;

/** What one batch (and a checkpoint, summed) did with its legacy rows. */
export const checkpointCountFields = {
  created: v.number(),
  merged: v.number(),
  linked: v.number(),
  unchanged: v.number(),
  rejected: v.number(),
  repaired: v.number(),
};

/** Those counts as a type (a batch's, a checkpoint's, a table's in the importer's summary). */
export type CheckpointCounts = Infer<ReturnType<typeof v.object<typeof checkpointCountFields>>>;

/** What one import batch answers. */
export const batchResult = v.union(
  v.object({
    status: v.literal("applied"),
    cursor: v.string(),
    ...checkpointCountFields,
  }),
  /** The checkpoint is elsewhere (this batch was committed before, or another importer runs): resume from `cursor`. */
  v.object({ status: v.literal("stale"), cursor: v.union(v.string(), v.null()) }),
);
export type BatchResult = Infer<typeof batchResult>;

/** The idempotency key (and `scheduleKey`) of an imported meeting. */
export function legacyMeetingKey(legacyId: string): string {
  return `legacy:${legacyId}`;
}

/** Was this meeting imported from the legacy database (its `scheduleKey` is {@link legacyMeetingKey})? */
export function isImportedMeeting(meeting: { scheduleKey?: string }): boolean {
  return meeting.scheduleKey?.startsWith("legacy:") === true;
}
