/**
 * The fold that decides when pre-call ideas are due: the meeting's status
 * and who is in it (host and invited people, minus removed ones). A new
 * `peopleKey` while the meeting is scheduled or live asks for ideas again.
 * Events: `meeting` events.
 */
import type { Fold } from "../core/fold";

/** Meeting status and its people, as pre-call generation cares about them. */
export type PrecallTrigger = {
  status: "none" | "scheduled" | "active" | "over";
  people: string[];
};

/** The sorted people of a state, as one comparable key. */
export function peopleKey(s: PrecallTrigger): string {
  return [...s.people].sort().join(",");
}

/** Whether ideas are wanted at all in this state. */
export function wantsIdeas(s: PrecallTrigger): boolean {
  return (s.status === "scheduled" || s.status === "active") && s.people.length > 0;
}

/** The pre-call trigger fold. */
export const precallTriggerFold: Fold<PrecallTrigger> = {
  streams: ["meeting"],
  init: () => ({ status: "none", people: [] }),
  evolve: (s, e) => {
    if (e.stream !== "meeting") return s;
    const ev = e.event;
    switch (ev.type) {
      case "MeetingScheduled":
        return {
          status: "scheduled",
          people: s.people.includes(ev.hostId) ? s.people : [...s.people, ev.hostId],
        };
      case "MeetingStarted":
        return s.status === "over" ? s : { ...s, status: "active" };
      case "MeetingEnded":
      case "MeetingCancelled":
        return { ...s, status: "over" };
      case "ParticipantInvited":
        return s.people.includes(ev.userId) ? s : { ...s, people: [...s.people, ev.userId] };
      case "ParticipantRemoved":
        return { ...s, people: s.people.filter((p) => p !== ev.userId) };
      default:
        return s;
    }
  },
};
