/**
 * Commands the meeting lifecycle decider accepts. `by` is the acting user's id
 * (from the authenticated identity, never a client argument) and `at` the
 * server time in ms: the decider reads no clock.
 */
import type { ParticipantRole } from "../events/meeting";

/** An invitee named when scheduling. */
export type Invitee = { userId: string; role: Exclude<ParticipantRole, "host"> };

/** Every lifecycle command. */
export type MeetingCommand =
  | {
      type: "Schedule";
      by: string;
      at: number;
      title: string;
      description?: string;
      scheduledAt: number;
      durationMinutes: number;
      orgId?: string;
      invitees: readonly Invitee[];
    }
  | { type: "Start"; by: string; at: number }
  | { type: "End"; by: string; at: number }
  | { type: "Cancel"; by: string; at: number; reason?: string }
  | { type: "Invite"; by: string; at: number; userId: string; role: ParticipantRole }
  | { type: "Join"; by: string; at: number }
  | { type: "Leave"; by: string; at: number }
  | { type: "ChangeRole"; by: string; at: number; userId: string; role: ParticipantRole }
  | { type: "Remove"; by: string; at: number; userId: string };

/** The `type` of a lifecycle command. */
export type MeetingCommandType = MeetingCommand["type"];

/** Error codes the decider answers with (a subset of the app's `ErrorCode`). */
export type DecisionErrorCode =
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "VALIDATION_ERROR"
  | "CONFLICT"
  | "MEETING_NOT_ACTIVE";
