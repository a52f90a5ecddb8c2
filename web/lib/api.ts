/**
 * The backend functions the web app calls, by name. While the event core,
 * notes sync and projections land in parallel, the app refers to them through
 * `makeFunctionReference` with the shapes it relies on; each line names the
 * module that provides it. Switch a line to `api.x.y` from
 * `convex/_generated/api` once that module exists to get its exact types.
 */
import { type FunctionReturnType, makeFunctionReference } from "convex/server";
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

/** One transcript segment. */
export type TranscriptSegment = {
  _id: string;
  speaker: string;
  text: string;
  startMs: number;
  endMs: number;
  interim?: boolean;
};

/** One chat message. */
export type ChatMessage = {
  _id: string;
  authorName: string;
  authorId: string;
  text: string;
  sentAt: number;
};

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
export const transcriptsAppend = makeFunctionReference<
  "mutation",
  {
    meetingId: MeetingId;
    speaker: string;
    text: string;
    confidence: number;
    startMs: number;
    endMs: number;
    interim: boolean;
    idempotencyKey: string;
  },
  unknown
>("transcripts:append");
/** `convex/transcriptSegments.ts` (projection) */
export const transcriptSegmentsList = makeFunctionReference<
  "query",
  { meetingId: MeetingId; limit?: number },
  TranscriptSegment[]
>("transcriptSegments:list");

/** `convex/chat.ts` */
export const chatList = makeFunctionReference<"query", { meetingId: MeetingId }, ChatMessage[]>(
  "chat:list",
);
export const chatSend = makeFunctionReference<
  "mutation",
  { meetingId: MeetingId; text: string; idempotencyKey: string },
  unknown
>("chat:send");
