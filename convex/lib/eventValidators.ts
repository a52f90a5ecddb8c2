/**
 * Convex validators for the event payloads whose types, kinds and versions
 * live in `projections/events/` (the ground floor cannot import Convex).
 * Kinds are built from the same lists; payload validators are checked
 * against the domain types at compile time (see `typeChecks.ts`), so a new
 * field or kind that is not declared here fails `tsc`.
 */
import { type Infer, v } from "convex/values";
import { literals } from "convex-helpers/validators";
import { CHAT_EVENT_TYPES, type ChatEvent } from "../../projections/events/chat";
import {
  MEETING_EVENT_TYPES,
  type MeetingEvent,
  PARTICIPANT_ROLES,
} from "../../projections/events/meeting";
import { NOTE_UPDATE_KIND } from "../../projections/events/notes";
import {
  TRANSCRIPT_CHUNK_KIND,
  type TranscriptChunk,
  type TranscriptChunkData,
} from "../../projections/events/transcript";
import type { Assert, Covers, Exact } from "./typeChecks";

/** A role inside one meeting. */
export const roleValidator = literals(...PARTICIPANT_ROLES);

/** `kind` of a `meetingEvents` row. */
export const meetingEventKind = literals(...MEETING_EVENT_TYPES);

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
const recordingData = v.object({ recordingId: v.string() });

/** `data` of a `meetingEvents` row: the event minus `type` and `at`. */
export const meetingEventData = v.union(
  scheduledData,
  invitedData,
  roleChangedData,
  userData,
  cancelledData,
  recordingData,
);

/** `kind` of a `chatEvents` row. */
export const chatEventKind = literals(...CHAT_EVENT_TYPES);

/** `data` of a `chatEvents` row (`messageId` and `authorId` are top-level). */
export const chatEventData = v.object({
  text: v.optional(v.string()),
  replyTo: v.optional(v.string()),
});

/** `kind` of every `transcriptEvents` row. */
export const transcriptChunkKind = v.literal(TRANSCRIPT_CHUNK_KIND);

/** Fields of a transcript chunk's payload (`seq`, `bucket`, `utteranceId` are top-level). */
export const transcriptChunkDataFields = {
  speakerId: v.string(),
  speaker: v.string(),
  text: v.string(),
  confidence: v.number(),
  startMs: v.number(),
  endMs: v.number(),
  isFinal: v.boolean(),
};
/** `data` of a `transcriptEvents` row. */
export const transcriptChunkData = v.object(transcriptChunkDataFields);
/** A whole chunk as the domain sees it (`TranscriptChunk`). */
export const transcriptChunkValidator = v.object({
  seq: v.number(),
  utteranceId: v.string(),
  ...transcriptChunkDataFields,
});

/** `kind` of every `noteUpdates` row. */
export const noteUpdateKind = v.literal(NOTE_UPDATE_KIND);

// Compile-time drift checks between the validators and the domain types.
type Data<E, K> = Omit<Extract<E, { type: K }>, "type" | "at">;
type ChatData<K> = Omit<Data<ChatEvent, K>, "messageId" | "authorId">;
export type _MeetingDataCheck = Assert<
  Covers<Data<MeetingEvent, MeetingEvent["type"]>, Infer<typeof meetingEventData>>
>;
export type _MeetingKindCheck = Assert<Exact<MeetingEvent["type"], Infer<typeof meetingEventKind>>>;
export type _ChatKindCheck = Assert<Exact<ChatEvent["type"], Infer<typeof chatEventKind>>>;
export type _ChatDataCheck = Assert<
  Covers<ChatData<ChatEvent["type"]>, Infer<typeof chatEventData>>
>;
export type _TranscriptDataCheck = Assert<
  Exact<Infer<typeof transcriptChunkData>, TranscriptChunkData>
>;
export type _TranscriptChunkCheck = Assert<
  Exact<Infer<typeof transcriptChunkValidator>, TranscriptChunk>
>;
