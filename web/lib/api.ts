/**
 * The backend functions the web app calls, in one place (each line names the
 * module that provides it), with the view types the components share.
 */
import type { FunctionReturnType } from "convex/server";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";

/** A meeting's id as the app passes it around. */
export type MeetingId = Id<"meetings">;
/** One meeting as the list and the room show it (with the caller's role). */
export type MeetingSummary = FunctionReturnType<typeof api.meetings.get>;
/** Lifecycle states of a meeting. */
export type MeetingStatus = MeetingSummary["status"];
/** A participant of one meeting. */
export type Participant = FunctionReturnType<typeof api.participants.list>[number];
/** A command's answer: `{ok: true, …}` or a coded refusal. */
export type CommandResult = FunctionReturnType<typeof api.meetings.start>;

/** One transcript segment (a speaker's turn within a time window). */
export type TranscriptSegment = FunctionReturnType<
  typeof api.transcriptSegments.list
>["segments"][number];
/** One chat message. */
export type ChatMessage = FunctionReturnType<typeof api.chat.list>[number];

/** `convex/users.ts` */
export const usersEnsure = api.users.ensure;

/** `convex/meetings.ts` */
export const meetingsListMine = api.meetings.listMine;
export const meetingsGet = api.meetings.get;
export const meetingsSchedule = api.meetings.schedule;
export const meetingsStart = api.meetings.start;
export const meetingsEnd = api.meetings.end;
export const meetingsCancel = api.meetings.cancel;

/** `convex/participants.ts` */
export const participantsList = api.participants.list;
export const participantsInvite = api.participants.invite;
export const participantsJoin = api.participants.join;
export const participantsLeave = api.participants.leave;

/** `convex/transcripts.ts` */
export const transcriptsAppend = api.transcripts.append;
/** `convex/transcriptSegments.ts` (projection) */
export const transcriptSegmentsList = api.transcriptSegments.list;

/** `convex/chat.ts` */
export const chatList = api.chat.list;
export const chatSend = api.chat.send;

/** The call (issue 14): `convex/rtcSessions.ts`, `convex/rtcTranscription.ts`, `convex/rtcTranscribe.ts` */
export const rtcCallInfo = api.rtcSessions.callInfo;
export const rtcTranscriptionStatus = api.rtcTranscription.status;
export const rtcTranscriptionSetEnabled = api.rtcTranscription.setEnabled;
export const rtcTranscriptionSetOptOut = api.rtcTranscription.setOptOut;
export const rtcTranscribe = api.rtcTranscribe.transcribe;
