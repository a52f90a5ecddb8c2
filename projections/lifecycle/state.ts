/**
 * The meeting lifecycle state and its fold (`initialState`, `evolve`), per the
 * Emmett decider pattern. Pure: time arrives inside the events.
 *
 * State machine (meeting):
 *
 *     none --Scheduled--> scheduled --Started--> active --Ended--> ended
 *                             \--Cancelled--> cancelled
 *
 * State machine (participant, per user):
 *
 *     (absent) --Invited--> invited --Joined--> joined --Left--> left --Joined--> joined
 *     any --Removed--> removed --Invited--> invited          (re-invite by a host)
 */
import type { MeetingEvent, ParticipantRole } from "../events/meeting";

/** Where a meeting is in its lifecycle; `none` = not scheduled yet. */
export type LifecycleStatus = "none" | "scheduled" | "active" | "ended" | "cancelled";

/** Where a participant stands in one meeting. */
export type ParticipantStatus = "invited" | "joined" | "left" | "removed";

/** One participant's state. */
export type ParticipantState = {
  role: ParticipantRole;
  status: ParticipantStatus;
  invitedAt: number;
  joinedAt?: number;
  leftAt?: number;
};

/** The state the decider decides on (the command side of one meeting). */
export type MeetingLifecycleState = {
  status: LifecycleStatus;
  hostId?: string;
  title?: string;
  description?: string;
  scheduledAt?: number;
  durationMinutes?: number;
  orgId?: string;
  createdAt?: number;
  startedAt?: number;
  endedAt?: number;
  cancelledAt?: number;
  /** Keyed by user id. */
  participants: Readonly<Record<string, ParticipantState>>;
};

/** The state before any event. */
export function initialState(): MeetingLifecycleState {
  return { status: "none", participants: {} };
}

function withParticipant(
  state: MeetingLifecycleState,
  userId: string,
  update: (p: ParticipantState | undefined) => ParticipantState,
): MeetingLifecycleState {
  return {
    ...state,
    participants: { ...state.participants, [userId]: update(state.participants[userId]) },
  };
}

function existing(p: ParticipantState | undefined, userId: string, type: string): ParticipantState {
  if (!p) throw new Error(`${type} for unknown participant ${userId}`);
  return p;
}

/**
 * Apply one event. Events are facts already decided, so `evolve` never refuses
 * one; an event about a participant who was never invited is a corrupt log and
 * throws (a poison event for projectors).
 */
export function evolve(state: MeetingLifecycleState, event: MeetingEvent): MeetingLifecycleState {
  switch (event.type) {
    case "MeetingScheduled": {
      const next: MeetingLifecycleState = {
        status: "scheduled",
        hostId: event.hostId,
        title: event.title,
        scheduledAt: event.scheduledAt,
        durationMinutes: event.durationMinutes,
        createdAt: event.at,
        participants: { [event.hostId]: { role: "host", status: "invited", invitedAt: event.at } },
      };
      if (event.description !== undefined) next.description = event.description;
      if (event.orgId !== undefined) next.orgId = event.orgId;
      return next;
    }
    case "MeetingStarted":
      return { ...state, status: "active", startedAt: event.at };
    case "MeetingEnded":
      return { ...state, status: "ended", endedAt: event.at };
    case "MeetingCancelled":
      return { ...state, status: "cancelled", cancelledAt: event.at };
    case "ParticipantInvited":
      return withParticipant(state, event.userId, () => ({
        role: event.role,
        status: "invited",
        invitedAt: event.at,
      }));
    case "ParticipantJoined":
      return withParticipant(state, event.userId, (p) => ({
        ...existing(p, event.userId, event.type),
        status: "joined",
        joinedAt: event.at,
      }));
    case "ParticipantLeft":
      return withParticipant(state, event.userId, (p) => ({
        ...existing(p, event.userId, event.type),
        status: "left",
        leftAt: event.at,
      }));
    case "ParticipantRemoved":
      return withParticipant(state, event.userId, (p) => ({
        ...existing(p, event.userId, event.type),
        status: "removed",
        leftAt: event.at,
      }));
    case "ParticipantRoleChanged": {
      const next = withParticipant(state, event.userId, (p) => ({
        ...existing(p, event.userId, event.type),
        role: event.role,
      }));
      return event.role === "host" ? { ...next, hostId: event.userId } : next;
    }
    // The paid call's media facts (GetStream webhooks) change no command-side state.
    case "CallParticipantJoined":
    case "CallParticipantLeft":
    case "CallEnded":
    case "RecordingStarted":
    case "RecordingStopped":
    case "RecordingReady":
      return state;
  }
}

/** Fold a whole event list from {@link initialState}. */
export function replay(events: readonly MeetingEvent[]): MeetingLifecycleState {
  return events.reduce(evolve, initialState());
}
