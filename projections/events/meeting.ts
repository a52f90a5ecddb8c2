/**
 * Meeting lifecycle events: the payloads stored in `meetingEvents` and their
 * upcasters. Pure TypeScript (no Convex imports): shared by the decider in
 * `projections/lifecycle`, the projectors in `convex/` and the web timeline.
 *
 * Storage shape: a row carries `kind` (= the event's `type`), `schemaVersion`,
 * `at` (ms) in the envelope and the rest of the event in `data`.
 */

import { liftPayload, type UpcasterTable } from "./upcast";

export type { Upcaster } from "./upcast";

/** Roles inside one meeting. */
export const PARTICIPANT_ROLES = ["host", "cohost", "participant", "observer"] as const;
/** A role inside one meeting. */
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Every meeting event, as the domain sees it (after upcasting). */
export type MeetingEvent =
  | {
      type: "MeetingScheduled";
      at: number;
      hostId: string;
      title: string;
      description?: string;
      scheduledAt: number;
      durationMinutes: number;
      orgId?: string;
    }
  | { type: "MeetingStarted"; at: number }
  | { type: "MeetingEnded"; at: number }
  | { type: "MeetingCancelled"; at: number; reason?: string }
  | { type: "ParticipantInvited"; at: number; userId: string; role: ParticipantRole }
  | { type: "ParticipantJoined"; at: number; userId: string }
  | { type: "ParticipantLeft"; at: number; userId: string }
  | {
      type: "ParticipantRoleChanged";
      at: number;
      userId: string;
      role: ParticipantRole;
      previousRole: ParticipantRole;
    }
  | { type: "ParticipantRemoved"; at: number; userId: string }
  /**
   * The paid call (GetStream Video), from the provider's signed webhooks:
   * someone's device joined or left the call (not the meeting: that is
   * `ParticipantJoined`/`Left`), the provider ended the call, a recording
   * started, stopped, or its file is ready (`recordingId`: the `recordings`
   * row). Facts about the call's media only: the lifecycle and presence folds
   * pass them through unchanged.
   */
  | { type: "CallParticipantJoined"; at: number; userId: string }
  | { type: "CallParticipantLeft"; at: number; userId: string }
  | { type: "CallEnded"; at: number }
  | { type: "RecordingStarted"; at: number }
  | { type: "RecordingStopped"; at: number }
  | { type: "RecordingReady"; at: number; recordingId: string };

/** The `type` of a meeting event. */
export type MeetingEventType = MeetingEvent["type"];

/** All meeting event kinds, for validators and exhaustive tests. */
export const MEETING_EVENT_TYPES = [
  "MeetingScheduled",
  "MeetingStarted",
  "MeetingEnded",
  "MeetingCancelled",
  "ParticipantInvited",
  "ParticipantJoined",
  "ParticipantLeft",
  "ParticipantRoleChanged",
  "ParticipantRemoved",
  "CallParticipantJoined",
  "CallParticipantLeft",
  "CallEnded",
  "RecordingStarted",
  "RecordingStopped",
  "RecordingReady",
] as const satisfies readonly MeetingEventType[];

/**
 * Current payload version of every meeting event kind. Bump a kind's version
 * when its `data` shape changes, and add the step to {@link MEETING_UPCASTERS}.
 */
export const MEETING_EVENT_VERSION = 1;

/** How a meeting event is stored: envelope fields plus the payload. */
export type StoredMeetingEvent = {
  kind: MeetingEventType;
  schemaVersion: number;
  at: number;
  data: Record<string, unknown>;
};

/**
 * Upcasting steps by kind, then by the version they lift from. Every kind is at
 * version 1 today, so the table is empty; the mechanism is exercised by tests
 * through {@link upcastMeetingEvent}'s `upcasters` parameter.
 */
export const MEETING_UPCASTERS: UpcasterTable<MeetingEventType> = {};

/** Split a domain event into its stored shape (current version). */
export function toStoredMeetingEvent(event: MeetingEvent): StoredMeetingEvent {
  const { type, at, ...data } = event;
  return { kind: type, schemaVersion: MEETING_EVENT_VERSION, at, data };
}

/**
 * Bring a stored event to the current shape: apply the upcasting steps from its
 * `schemaVersion` up to {@link MEETING_EVENT_VERSION}. Throws (a poison event
 * for projectors) on a version from the future or a missing step.
 */
export function upcastMeetingEvent(
  row: StoredMeetingEvent,
  upcasters: UpcasterTable<MeetingEventType> = MEETING_UPCASTERS,
  currentVersion: number = MEETING_EVENT_VERSION,
): MeetingEvent {
  if (!(MEETING_EVENT_TYPES as readonly string[]).includes(row.kind)) {
    throw new Error(
      `unknown meeting event kind ${String(row.kind)}: deploy the code that knows it`,
    );
  }
  const data = liftPayload(
    "meeting event",
    row.kind,
    row.schemaVersion,
    row.data,
    upcasters,
    currentVersion,
  );
  return { ...data, type: row.kind, at: row.at } as MeetingEvent;
}
