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
export const usersMe = api.users.me;

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

/** `convex/invitations.ts` */
export const invitationsPending = api.invitations.pending;
export const invitationsRevokeEmail = api.invitations.revokeEmail;
export const invitationsCreateLink = api.invitations.createLink;
export const invitationsLinks = api.invitations.links;
export const invitationsRevokeLink = api.invitations.revokeLink;
export const invitationsRedeemLink = api.invitations.redeemLink;
export const invitationsRespond = api.invitations.respond;
export const invitationsMyRsvp = api.invitations.myRsvp;

/** `convex/rooms.ts`: the room key the live views below take (`useRoomKey`). */
export const roomsAccess = api.rooms.access;
export const roomsIssue = api.rooms.issue;
export const roomsRotate = api.rooms.rotate;

/** `convex/timeline.ts` */
export const timelineEvents = api.timeline.events;

/** `convex/mail.ts` */
export const mailDevMailbox = api.mail.devMailbox;

/** `convex/transcripts.ts` */
export const transcriptsAppend = api.transcripts.append;
/** `convex/transcriptSegments.ts` (projection) */
export const transcriptSegmentsList = api.transcriptSegments.list;

/** `convex/chat.ts` */
export const chatList = api.chat.list;
export const chatSend = api.chat.send;
export const chatEdit = api.chat.edit;
export const chatRemove = api.chat.remove;

/** `convex/profiles.ts` */
export const profilesMine = api.profiles.mine;
export const profilesGet = api.profiles.get;
export const profilesUpdate = api.profiles.update;
export const profilesInterestCatalogue = api.profiles.interestCatalogue;
export const profilesGenerateAvatarUploadUrl = api.profiles.generateAvatarUploadUrl;
export const profilesSetAvatar = api.profiles.setAvatar;
export const profilesRemoveAvatar = api.profiles.removeAvatar;
/** The caller's own profile (public and private parts). */
export type MyProfile = FunctionReturnType<typeof api.profiles.mine>;
/** Someone's public profile. */
export type PublicProfile = NonNullable<FunctionReturnType<typeof api.profiles.get>>;

/** `convex/matching.ts` */
export const matchingStatus = api.matching.status;
export const matchingEnter = api.matching.enter;
export const matchingLeave = api.matching.leave;
export const matchingRespond = api.matching.respond;
export const matchingRate = api.matching.rate;
export const matchingBlock = api.matching.block;
export const matchingUnblock = api.matching.unblock;
export const matchingBlocks = api.matching.blocks;
/** A proposal as the caller sees it (reasons from their side). */
export type ProposalView = NonNullable<FunctionReturnType<typeof api.matching.status>["proposal"]>;

/** `convex/connections.ts` */
export const connectionsList = api.connections.list;
export const connectionsPending = api.connections.pending;
export const connectionsSuggestions = api.connections.suggestions;
export const connectionsRequest = api.connections.request;
export const connectionsRespond = api.connections.respond;
export const connectionsRemove = api.connections.remove;

/** `convex/directMessages.ts` */
export const directMessagesSend = api.directMessages.send;
export const directMessagesList = api.directMessages.list;
export const directMessagesThreads = api.directMessages.threads;
export const directMessagesWithPerson = api.directMessages.withPerson;
export const directMessagesMarkRead = api.directMessages.markRead;
/** A person as lists show them (name, headline, avatar). */
export type PersonCard = FunctionReturnType<typeof api.connections.list>[number]["person"];

/** The call (issue 14): `convex/rtcSessions.ts`, `convex/rtcTranscription.ts`, `convex/rtcTranscribe.ts` */
export const rtcCallInfo = api.rtcSessions.callInfo;
export const rtcTranscriptionStatus = api.rtcTranscription.status;
export const rtcTranscriptionSetEnabled = api.rtcTranscription.setEnabled;
export const rtcTranscriptionSetOptOut = api.rtcTranscription.setOptOut;
export const rtcTranscribe = api.rtcTranscribe.transcribe;
/** The paid call (GetStream Video): `convex/video/calls.ts` */
export const videoCallJoin = api.video.calls.join;
export const videoRecordings = api.video.recordings.list;
