/**
 * Convex validators for the event payloads whose types live in
 * `projections/events/` (the ground floor cannot import Convex). The
 * `satisfies`-style checks at the bottom fail to compile when the two drift.
 */
import { type Infer, v } from "convex/values";
import type { ChatEvent } from "../../projections/events/chat";
import type { MeetingEvent } from "../../projections/events/meeting";

/** A role inside one meeting. */
export const roleValidator = v.union(
  v.literal("host"),
  v.literal("cohost"),
  v.literal("participant"),
  v.literal("observer"),
);

/** `kind` of a `meetingEvents` row. */
export const meetingEventKind = v.union(
  v.literal("MeetingScheduled"),
  v.literal("MeetingStarted"),
  v.literal("MeetingEnded"),
  v.literal("MeetingCancelled"),
  v.literal("ParticipantInvited"),
  v.literal("ParticipantJoined"),
  v.literal("ParticipantLeft"),
  v.literal("ParticipantRoleChanged"),
  v.literal("ParticipantRemoved"),
);

const scheduledData = v.object({
  hostId: v.string(),
  title: v.string(),
  description: v.optional(v.string()),
  scheduledAt: v.number(),
  durationMinutes: v.number(),
  orgId: v.optional(v.string()),
});
const userData = v.object({ userId: v.string() });
const invitedData = v.object({ userId: v.string(), role: roleValidator });
const roleChangedData = v.object({
  userId: v.string(),
  role: roleValidator,
  previousRole: roleValidator,
});
const cancelledData = v.object({ reason: v.optional(v.string()) });

/** `data` of a `meetingEvents` row: the event minus `type` and `at`. */
export const meetingEventData = v.union(
  scheduledData,
  invitedData,
  roleChangedData,
  userData,
  cancelledData,
);

/** `kind` of a `chatEvents` row. */
export const chatEventKind = v.union(
  v.literal("MessagePosted"),
  v.literal("MessageEdited"),
  v.literal("MessageDeleted"),
);

/** `data` of a `chatEvents` row (`messageId` and `authorId` are top-level). */
export const chatEventData = v.object({
  text: v.optional(v.string()),
  replyTo: v.optional(v.string()),
});

/** `data` of a `transcriptEvents` row (`seq`, `bucket`, `utteranceId` are top-level). */
export const transcriptChunkData = v.object({
  speakerId: v.string(),
  speaker: v.string(),
  text: v.string(),
  confidence: v.number(),
  startMs: v.number(),
  endMs: v.number(),
  isFinal: v.boolean(),
});

// Compile-time drift checks between the validators and the domain types.
type Data<E, K> = Omit<Extract<E, { type: K }>, "type" | "at">;
type Assert<T extends true> = T;
type Covers<A, B> = A extends B ? true : false;
export type _MeetingDataCheck = Assert<
  Covers<Data<MeetingEvent, MeetingEvent["type"]>, Infer<typeof meetingEventData>>
>;
export type _MeetingKindCheck = Assert<
  Covers<MeetingEvent["type"], Infer<typeof meetingEventKind>>
>;
export type _ChatKindCheck = Assert<Covers<ChatEvent["type"], Infer<typeof chatEventKind>>>;
