/**
 * The meeting lifecycle decider: given the current state and a command, the
 * events to append or a coded refusal. Pure (Emmett's `decide`); authorization
 * by meeting role lives here so it is specified and tested once.
 *
 * Who may do what (a "manager" is the host or a co-host who was not removed):
 * - Schedule: anyone (becomes host). Start/End/Invite/Remove/ChangeRole: managers.
 * - Cancel: the host only, and only before the meeting starts (end it after).
 * - Inviting or promoting to co-host, and transferring host: the host only.
 * - The host cannot be removed or demoted (transfer host first).
 * - Join: an invited or left participant, while the meeting is active.
 * - Join when joined, Leave when not joined, Remove of a removed user and
 *   ChangeRole to the same role are no-ops (no events), so retries are safe.
 */
import type { MeetingEvent, ParticipantRole } from "../events/meeting";
import type { DecisionErrorCode, MeetingCommand } from "./commands";
import type { MeetingLifecycleState, ParticipantState } from "./state";

/** The outcome of a decision. */
/**
 * The one refusal for "no such meeting" and "not a participant" alike, so a
 * caller cannot tell a meeting that exists from one that does not.
 */
export const NOT_YOURS = "no such meeting, or you are not a participant of it";

export type Decision =
  | { ok: true; events: MeetingEvent[] }
  | { ok: false; code: DecisionErrorCode; message: string };

/** Why: keeps the participant list, fan-out and per-meeting reads well inside Convex limits. */
export const MAX_PARTICIPANTS = 100;
/**
 * Why: participant rows are never deleted (removed ones stay, for the audit trail), and
 * the command side reads all of a meeting's rows per command; this bounds that read.
 */
export const MAX_PARTICIPANT_ROWS = 500;
/** Why: a title is a line of UI text; longer input is a client bug or abuse. */
export const MAX_TITLE_LENGTH = 200;
/** Why: agendas belong in notes; this bounds the meeting row. */
export const MAX_DESCRIPTION_LENGTH = 5000;
/** Why: a day; longer "meetings" are a mistake (and would keep rooms open). */
export const MAX_DURATION_MINUTES = 24 * 60;

const refuse = (code: DecisionErrorCode, message: string): Decision => ({
  ok: false,
  code,
  message,
});
const emit = (...events: MeetingEvent[]): Decision => ({ ok: true, events });

function isManager(p: ParticipantState | undefined): p is ParticipantState {
  return p !== undefined && p.status !== "removed" && (p.role === "host" || p.role === "cohost");
}

function activeCount(state: MeetingLifecycleState): number {
  return Object.values(state.participants).filter((p) => p.status !== "removed").length;
}

function validateSchedule(cmd: Extract<MeetingCommand, { type: "Schedule" }>): Decision | null {
  const title = cmd.title.trim();
  if (title.length === 0 || title.length > MAX_TITLE_LENGTH)
    return refuse("VALIDATION_ERROR", `title must be 1–${MAX_TITLE_LENGTH} characters`);
  if ((cmd.description?.length ?? 0) > MAX_DESCRIPTION_LENGTH)
    return refuse(
      "VALIDATION_ERROR",
      `description must be at most ${MAX_DESCRIPTION_LENGTH} characters`,
    );
  if (
    !Number.isInteger(cmd.durationMinutes) ||
    cmd.durationMinutes < 1 ||
    cmd.durationMinutes > MAX_DURATION_MINUTES
  )
    return refuse(
      "VALIDATION_ERROR",
      `durationMinutes must be an integer in 1–${MAX_DURATION_MINUTES}`,
    );
  if (!Number.isFinite(cmd.scheduledAt) || cmd.scheduledAt < 0)
    return refuse("VALIDATION_ERROR", "scheduledAt must be a time in ms since the epoch");
  if (cmd.invitees.length + 1 > MAX_PARTICIPANTS)
    return refuse("VALIDATION_ERROR", `a meeting has at most ${MAX_PARTICIPANTS} participants`);
  const seen = new Set<string>([cmd.by]);
  for (const i of cmd.invitees) {
    if (seen.has(i.userId))
      return refuse("VALIDATION_ERROR", `invitee ${i.userId} is listed twice or is the host`);
    seen.add(i.userId);
  }
  return null;
}

/** Decide what a command does to a meeting in `state`. */
export function decide(state: MeetingLifecycleState, cmd: MeetingCommand): Decision {
  if (cmd.type === "Schedule") {
    if (state.status !== "none") return refuse("CONFLICT", "this meeting is already scheduled");
    const invalid = validateSchedule(cmd);
    if (invalid) return invalid;
    const scheduled: MeetingEvent = {
      type: "MeetingScheduled",
      at: cmd.at,
      hostId: cmd.by,
      title: cmd.title.trim(),
      scheduledAt: cmd.scheduledAt,
      durationMinutes: cmd.durationMinutes,
    };
    if (cmd.description !== undefined) scheduled.description = cmd.description;
    if (cmd.orgId !== undefined) scheduled.orgId = cmd.orgId;
    return emit(
      scheduled,
      ...cmd.invitees.map(
        (i): MeetingEvent => ({
          type: "ParticipantInvited",
          at: cmd.at,
          userId: i.userId,
          role: i.role,
        }),
      ),
    );
  }
  if (state.status === "none") return refuse("NOT_FOUND", "no such meeting");
  const me = state.participants[cmd.by];
  if (me === undefined || me.status === "removed") return refuse("FORBIDDEN", NOT_YOURS);

  switch (cmd.type) {
    case "Start":
      if (!isManager(me))
        return refuse("FORBIDDEN", "only the host or a co-host can start the meeting");
      if (state.status !== "scheduled")
        return refuse("CONFLICT", `cannot start a meeting that is ${state.status}`);
      return me.status === "joined"
        ? emit({ type: "MeetingStarted", at: cmd.at })
        : emit(
            { type: "MeetingStarted", at: cmd.at },
            { type: "ParticipantJoined", at: cmd.at, userId: cmd.by },
          );
    case "End": {
      if (!isManager(me))
        return refuse("FORBIDDEN", "only the host or a co-host can end the meeting");
      if (state.status !== "active")
        return refuse("MEETING_NOT_ACTIVE", `cannot end a meeting that is ${state.status}`);
      const present = Object.entries(state.participants)
        .filter(([, p]) => p.status === "joined")
        .map(([userId]) => userId)
        .sort();
      return emit(
        ...present.map((userId): MeetingEvent => ({ type: "ParticipantLeft", at: cmd.at, userId })),
        { type: "MeetingEnded", at: cmd.at },
      );
    }
    case "Cancel": {
      if (me.role !== "host") return refuse("FORBIDDEN", "only the host can cancel the meeting");
      if (state.status !== "scheduled")
        return refuse(
          "CONFLICT",
          state.status === "active"
            ? "the meeting is live: end it instead"
            : `the meeting is already ${state.status}`,
        );
      const cancelled: MeetingEvent = { type: "MeetingCancelled", at: cmd.at };
      if (cmd.reason !== undefined) cancelled.reason = cmd.reason;
      return emit(cancelled);
    }
    case "Invite": {
      if (!isManager(me)) return refuse("FORBIDDEN", "only the host or a co-host can invite");
      if (state.status !== "scheduled" && state.status !== "active")
        return refuse("CONFLICT", `cannot invite to a meeting that is ${state.status}`);
      if (cmd.role === "host")
        return refuse("VALIDATION_ERROR", "invite as cohost, then transfer host with changeRole");
      if (cmd.role === "cohost" && me.role !== "host")
        return refuse("FORBIDDEN", "only the host can invite a co-host");
      const target = state.participants[cmd.userId];
      if (target && (target.status === "invited" || target.status === "joined"))
        return refuse("CONFLICT", "that user is already a participant");
      // Re-inviting someone who left must not change roles around the ChangeRole rules:
      // the host stays host (they can join again), a co-host's role is the host's to change.
      if (target?.role === "host")
        return refuse("CONFLICT", "the host is already a participant and can join again");
      if (target?.role === "cohost" && cmd.role !== "cohost" && me.role !== "host")
        return refuse("FORBIDDEN", "only the host can demote a co-host");
      if (!target && activeCount(state) >= MAX_PARTICIPANTS)
        return refuse("VALIDATION_ERROR", `a meeting has at most ${MAX_PARTICIPANTS} participants`);
      if (!target && Object.keys(state.participants).length >= MAX_PARTICIPANT_ROWS)
        return refuse(
          "VALIDATION_ERROR",
          `at most ${MAX_PARTICIPANT_ROWS} people can ever be invited to one meeting`,
        );
      return emit({ type: "ParticipantInvited", at: cmd.at, userId: cmd.userId, role: cmd.role });
    }
    case "Join":
      if (state.status !== "active")
        return refuse("MEETING_NOT_ACTIVE", `cannot join a meeting that is ${state.status}`);
      if (me.status === "joined") return emit();
      return emit({ type: "ParticipantJoined", at: cmd.at, userId: cmd.by });
    case "Leave":
      if (me.status !== "joined") return emit();
      return emit({ type: "ParticipantLeft", at: cmd.at, userId: cmd.by });
    case "ChangeRole":
      return decideChangeRole(state, me, cmd);
    case "Remove": {
      if (!isManager(me))
        return refuse("FORBIDDEN", "only the host or a co-host can remove participants");
      if (cmd.userId === cmd.by) return refuse("VALIDATION_ERROR", "to leave, use leave");
      const target = state.participants[cmd.userId];
      if (!target) return refuse("NOT_FOUND", "that user is not a participant");
      if (target.status === "removed") return emit();
      if (target.role === "host") return refuse("FORBIDDEN", "the host cannot be removed");
      if (target.role === "cohost" && me.role !== "host")
        return refuse("FORBIDDEN", "only the host can remove a co-host");
      return emit({ type: "ParticipantRemoved", at: cmd.at, userId: cmd.userId });
    }
  }
}

function decideChangeRole(
  state: MeetingLifecycleState,
  me: ParticipantState,
  cmd: Extract<MeetingCommand, { type: "ChangeRole" }>,
): Decision {
  if (!isManager(me)) return refuse("FORBIDDEN", "only the host or a co-host can change roles");
  if (state.status !== "scheduled" && state.status !== "active")
    return refuse("CONFLICT", `cannot change roles in a meeting that is ${state.status}`);
  const target = state.participants[cmd.userId];
  if (!target || target.status === "removed")
    return refuse("NOT_FOUND", "that user is not a participant");
  if (target.role === cmd.role) return emit();
  const change = (
    userId: string,
    role: ParticipantRole,
    previousRole: ParticipantRole,
  ): MeetingEvent => ({
    type: "ParticipantRoleChanged",
    at: cmd.at,
    userId,
    role,
    previousRole,
  });
  if (cmd.role === "host") {
    if (me.role !== "host") return refuse("FORBIDDEN", "only the host can transfer host");
    return emit(change(cmd.userId, "host", target.role), change(cmd.by, "cohost", "host"));
  }
  if (target.role === "host")
    return refuse("FORBIDDEN", "the host's role changes only by transferring host");
  if (me.role !== "host" && (cmd.role === "cohost" || target.role === "cohost"))
    return refuse("FORBIDDEN", "only the host can promote or demote a co-host");
  return emit(change(cmd.userId, cmd.role, target.role));
}
