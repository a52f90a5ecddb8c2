import { defineTable } from "convex/server";
import { v } from "convex/values";
import { eventEnvelopeFields } from "../lib/eventEnvelope";
import {
  chatEventData,
  chatEventKind,
  meetingEventData,
  meetingEventKind,
  roleValidator,
  transcriptChunkData,
  transcriptChunkKind,
} from "../lib/eventValidators";

/** Meeting lifecycle states (command side). */
export const meetingStatus = v.union(
  v.literal("scheduled"),
  v.literal("active"),
  v.literal("ended"),
  v.literal("cancelled"),
);
/** Roles inside one meeting. Observers read; everyone else may write notes. */
export const participantRole = roleValidator;
/** Where a participant stands in one meeting. */
export const participantStatus = v.union(
  v.literal("invited"),
  v.literal("joined"),
  v.literal("left"),
  v.literal("removed"),
);

/**
 * Meetings and participants: the command-side state that access control and
 * lifecycle decisions read, written in the same transaction as the event that
 * changes it (always equal to the fold of `meetingEvents`). Read views for
 * clients live in the projections. Owned by the event core (issue 3).
 *
 * Event tables (append-only, envelope from `lib/eventEnvelope.ts`):
 * `meetingEvents`, `transcriptEvents`, `chatEvents`.
 */
export const meetingTables = {
  meetings: defineTable({
    title: v.string(),
    description: v.optional(v.string()),
    scheduledAt: v.number(),
    durationMinutes: v.number(),
    hostId: v.id("users"),
    orgId: v.optional(v.string()),
    status: meetingStatus,
    startedAt: v.optional(v.number()),
    endedAt: v.optional(v.number()),
    cancelledAt: v.optional(v.number()),
    createdAt: v.number(),
    /** The idempotency key of the `schedule` call that created it (retries find it). */
    scheduleKey: v.optional(v.string()),
  })
    .index("by_host_scheduleKey", ["hostId", "scheduleKey"])
    .index("by_status_scheduledAt", ["status", "scheduledAt"]),
  participants: defineTable({
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    role: participantRole,
    status: participantStatus,
    invitedAt: v.number(),
    joinedAt: v.optional(v.number()),
    leftAt: v.optional(v.number()),
  })
    .index("by_meeting_user", ["meetingId", "userId"])
    .index("by_user", ["userId"]),
  /**
   * One room key per meeting (`convex/lib/roomKey.ts`): the bearer capability the room's
   * auth-free live queries check. Its own tiny table so those queries read one doc that
   * changes only when the key rotates (someone lost read access).
   */
  roomKeys: defineTable({
    meetingId: v.id("meetings"),
    /** base64url of 16 random bytes. */
    key: v.string(),
    createdAt: v.number(),
  }).index("by_meeting", ["meetingId"]),
  meetingEvents: defineTable({
    ...eventEnvelopeFields,
    kind: meetingEventKind,
    data: meetingEventData,
  })
    .index("by_meeting_commit", ["meetingId", "commitTs"])
    .index("by_meeting_key", ["meetingId", "idempotencyKey"])
    .index("by_commit", ["commitTs"]),
  transcriptEvents: defineTable({
    ...eventEnvelopeFields,
    kind: transcriptChunkKind,
    /** Per-meeting sequence, gap-free from 1 (the previous row's + 1). */
    seq: v.number(),
    /** `transcriptBucket(startMs)`: minute of the meeting the chunk starts in. */
    bucket: v.number(),
    utteranceId: v.string(),
    data: transcriptChunkData,
    /** Personal text sealed under the speaker's/author's key (`lib/personalData.ts`); absent = plaintext. */
    piiSeal: v.optional(v.number()),
  })
    .index("by_meeting_commit", ["meetingId", "commitTs"])
    .index("by_meeting_key", ["meetingId", "idempotencyKey"])
    .index("by_commit", ["commitTs"])
    .index("by_meeting_seq", ["meetingId", "seq"])
    .index("by_meeting_bucket", ["meetingId", "bucket", "seq"])
    .index("by_meeting_utterance_final", ["meetingId", "utteranceId", "data.isFinal"]),
  chatEvents: defineTable({
    ...eventEnvelopeFields,
    kind: chatEventKind,
    messageId: v.string(),
    authorId: v.string(),
    data: chatEventData,
    /** Personal text sealed under the speaker's/author's key (`lib/personalData.ts`); absent = plaintext. */
    piiSeal: v.optional(v.number()),
  })
    .index("by_meeting_commit", ["meetingId", "commitTs"])
    .index("by_meeting_key", ["meetingId", "idempotencyKey"])
    .index("by_commit", ["commitTs"])
    .index("by_meeting_message", ["meetingId", "messageId", "commitTs"])
    .index("by_meeting_kind", ["meetingId", "kind", "commitTs"]),
};
