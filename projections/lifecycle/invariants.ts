/**
 * The lifecycle state machine as checkable rules: which states are reachable
 * and which single-step transitions are legal. The property tests check every
 * state the decider produces against these (the model), independently of how
 * `decide` is written.
 */

import { MAX_PARTICIPANTS } from "./decide";
import type { LifecycleStatus, MeetingLifecycleState, ParticipantStatus } from "./state";

const MEETING_STEPS: Record<LifecycleStatus, readonly LifecycleStatus[]> = {
  none: ["none", "scheduled"],
  scheduled: ["scheduled", "active", "cancelled"],
  active: ["active", "ended"],
  ended: ["ended"],
  cancelled: ["cancelled"],
};

const PARTICIPANT_STEPS: Record<ParticipantStatus, readonly ParticipantStatus[]> = {
  invited: ["invited", "joined", "removed"],
  joined: ["joined", "left", "removed"],
  left: ["left", "joined", "invited", "removed"],
  removed: ["removed", "invited"],
};

/** Problems with a state (empty when it is reachable by the state machine). */
export function stateProblems(s: MeetingLifecycleState): string[] {
  const out: string[] = [];
  const entries = Object.entries(s.participants);
  if (s.status === "none") {
    if (entries.length > 0) out.push("participants before scheduling");
    return out;
  }
  const hosts = entries.filter(([, p]) => p.role === "host");
  if (hosts.length !== 1) out.push(`expected one host, got ${hosts.length}`);
  if (s.hostId === undefined || s.participants[s.hostId]?.role !== "host")
    out.push("hostId is not the host");
  if (hosts.some(([, p]) => p.status === "removed")) out.push("the host was removed");
  const joined = entries.filter(([, p]) => p.status === "joined");
  if (s.status !== "active" && joined.length > 0) out.push(`someone is joined while ${s.status}`);
  if (joined.some(([, p]) => p.joinedAt === undefined)) out.push("joined without joinedAt");
  if ((s.status === "active" || s.status === "ended") !== (s.startedAt !== undefined))
    out.push("startedAt mismatch");
  if ((s.status === "ended") !== (s.endedAt !== undefined)) out.push("endedAt mismatch");
  if ((s.status === "cancelled") !== (s.cancelledAt !== undefined))
    out.push("cancelledAt mismatch");
  if (entries.filter(([, p]) => p.status !== "removed").length > MAX_PARTICIPANTS)
    out.push("too many participants");
  return out;
}

/** Problems with one step from `a` to `b` (empty when legal). */
export function stepProblems(a: MeetingLifecycleState, b: MeetingLifecycleState): string[] {
  const out: string[] = [];
  if (!MEETING_STEPS[a.status].includes(b.status)) out.push(`meeting ${a.status} -> ${b.status}`);
  for (const [userId, p] of Object.entries(a.participants)) {
    const q = b.participants[userId];
    if (!q) out.push(`participant ${userId} vanished`);
    else if (!PARTICIPANT_STEPS[p.status].includes(q.status))
      out.push(`participant ${userId} ${p.status} -> ${q.status}`);
  }
  return out;
}
