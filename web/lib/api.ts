/**
 * The backend functions the web app calls, by name. While the event core,
 * notes sync and projections land in parallel, the app refers to them through
 * `makeFunctionReference` with the shapes it relies on; each line names the
 * module that provides it. Switch a line to `api.x.y` from
 * `convex/_generated/api` once that module exists to get its exact types.
 */
import { makeFunctionReference } from "convex/server";

/** A meeting's id as the app passes it around. */
export type MeetingId = string;
/** Lifecycle states of a meeting. */
export type MeetingStatus = "scheduled" | "active" | "ended" | "cancelled";

/** One meeting as the list and the room show it. */
export type MeetingSummary = {
  _id: MeetingId;
  title: string;
  description?: string;
  status: MeetingStatus;
  scheduledAt: number;
  durationMinutes: number;
  startedAt?: number;
  endedAt?: number;
  hostId: string;
  role?: string;
};

/** A participant of one meeting. */
export type Participant = {
  _id: string;
  userId: string;
  name: string;
  email?: string;
  role: string;
  status: string;
};

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
export const usersEnsure = makeFunctionReference<"mutation", Record<string, never>, string>(
  "users:ensure",
);

/** `convex/meetings.ts` */
export const meetingsListMine = makeFunctionReference<
  "query",
  Record<string, never>,
  MeetingSummary[]
>("meetings:listMine");
export const meetingsGet = makeFunctionReference<
  "query",
  { meetingId: MeetingId },
  MeetingSummary | null
>("meetings:get");
export const meetingsSchedule = makeFunctionReference<
  "mutation",
  { title: string; description?: string; scheduledAt: number; durationMinutes: number },
  MeetingId
>("meetings:schedule");
export const meetingsStart = makeFunctionReference<"mutation", { meetingId: MeetingId }, unknown>(
  "meetings:start",
);
export const meetingsEnd = makeFunctionReference<"mutation", { meetingId: MeetingId }, unknown>(
  "meetings:end",
);
export const meetingsCancel = makeFunctionReference<"mutation", { meetingId: MeetingId }, unknown>(
  "meetings:cancel",
);

/** `convex/participants.ts` */
export const participantsList = makeFunctionReference<
  "query",
  { meetingId: MeetingId },
  Participant[]
>("participants:list");
export const participantsInvite = makeFunctionReference<
  "mutation",
  { meetingId: MeetingId; email: string },
  unknown
>("participants:invite");
export const participantsJoin = makeFunctionReference<
  "mutation",
  { meetingId: MeetingId },
  unknown
>("participants:join");
export const participantsLeave = makeFunctionReference<
  "mutation",
  { meetingId: MeetingId },
  unknown
>("participants:leave");

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
