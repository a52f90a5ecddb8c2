/**
 * The folds that decide when insights are due.
 * - Version 1: once a meeting has ended (`meeting` events).
 * - Version 2: also counts note edits after the end (`meeting` and `notes`
 *   events), so notes finished after the call regenerate the insights.
 * (The insights themselves are produced by a provider in an action, from the
 * notes and transcript views.)
 */
import type { Fold } from "../core/fold";

/** Whether the meeting has ended, and when. */
export type InsightsTrigger = { ended: boolean; endedAt: number | null; notesAfterEnd?: number };

/** The insights trigger fold, version 1. */
export const insightsTriggerFold: Fold<InsightsTrigger> = {
  streams: ["meeting"],
  init: () => ({ ended: false, endedAt: null }),
  evolve: (s, e) =>
    e.stream === "meeting" && e.event.type === "MeetingEnded" && !s.ended
      ? { ended: true, endedAt: e.at }
      : s,
};

/** The insights trigger fold, version 2 (note edits after the end counted). */
export const insightsTriggerFoldV2: Fold<InsightsTrigger> = {
  streams: ["meeting", "notes"],
  init: () => ({ ended: false, endedAt: null, notesAfterEnd: 0 }),
  evolve: (s, e) => {
    if (e.stream === "meeting" && e.event.type === "MeetingEnded" && !s.ended) {
      return { ended: true, endedAt: e.at, notesAfterEnd: s.notesAfterEnd ?? 0 };
    }
    if (e.stream === "notes" && s.ended) return { ...s, notesAfterEnd: (s.notesAfterEnd ?? 0) + 1 };
    return s;
  },
};
