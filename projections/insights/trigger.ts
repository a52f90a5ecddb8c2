/**
 * The fold that decides when insights are due: once a meeting has ended.
 * Events: `meeting` events. (The insights themselves are produced by a
 * provider in an action, from the notes and transcript views.)
 */
import type { Fold } from "../core/fold";

/** Whether the meeting has ended, and when. */
export type InsightsTrigger = { ended: boolean; endedAt: number | null };

/** The insights trigger fold. */
export const insightsTriggerFold: Fold<InsightsTrigger> = {
  streams: ["meeting"],
  init: () => ({ ended: false, endedAt: null }),
  evolve: (s, e) =>
    e.stream === "meeting" && e.event.type === "MeetingEnded" && !s.ended
      ? { ended: true, endedAt: e.at }
      : s,
};
