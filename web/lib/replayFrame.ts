/**
 * What the timeline replay shows at an instant: the same pure folds the
 * server's projectors run (`projections/`), applied client-side to the prefix
 * of the meeting's log up to that instant. Scrubbing never asks the server.
 */
import { foldAll } from "../../projections/core/fold";
import { type LogEvent, truncateAt } from "../../projections/core/logEvent";
import { deriveNotes, notesFold } from "../../projections/meetingNotes/notesView";
import { type MeetingStateView, meetingStateFold } from "../../projections/meetingState/evolve";
import { type Segment, transcriptSegmentsFold } from "../../projections/transcriptSegments/evolve";

/** The meeting as it was at one instant. */
export type ReplayFrame = {
  /** Wall-clock ms of the instant. */
  at: number;
  /** How many log events the frame folds. */
  eventCount: number;
  /** Notes as plain text (textblocks joined by newlines). */
  notesText: string;
  /** Transcript segments so far. */
  segments: Segment[];
  /** Lifecycle, presence and speaking stats. */
  state: MeetingStateView;
};

/** The frame at instant `t` of a log-ordered event list. */
export function frameAt(events: readonly LogEvent[], t: number): ReplayFrame {
  const prefix = truncateAt(events, t);
  const doc = foldAll(notesFold, prefix);
  try {
    return {
      at: t,
      eventCount: prefix.length,
      notesText: deriveNotes(doc).text,
      segments: foldAll(transcriptSegmentsFold, prefix).segments,
      state: foldAll(meetingStateFold, prefix),
    };
  } finally {
    doc.destroy();
  }
}

/** The span a scrubber covers: first event to last event (or `now` while live). */
export function timeSpan(events: readonly LogEvent[], now?: number): { from: number; to: number } {
  const first = events[0]?.at ?? now ?? 0;
  const last = events.at(-1)?.at ?? first;
  return { from: first, to: Math.max(last, now ?? last) };
}
