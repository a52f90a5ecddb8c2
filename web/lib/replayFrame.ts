/**
 * What the timeline replay shows at an instant: the timeline fold of
 * `projections/` (the same code the server runs for `timeline.stateAt`)
 * applied client-side to the prefix of the meeting's log up to that instant.
 * Scrubbing never asks the server: a {@link Replay} keeps its own keyframes
 * (every {@link REPLAY_KEYFRAME_EVERY} events) and folds from the nearest one.
 */
import * as Y from "yjs";
import type { LogEvent } from "../../projections/core/logEvent";
import { deriveNotes } from "../../projections/meetingNotes/notesView";
import type { PMNode } from "../../projections/meetingNotes/prosemirror";
import type { MeetingStateView } from "../../projections/meetingState/evolve";
import {
  evolveTimeline,
  initialTimeline,
  KEYFRAME_TAIL_RATIO,
  type TimelineState,
} from "../../projections/timeline/timelineState";
import type { Segment } from "../../projections/transcriptSegments/evolve";

/** Why 200: a scrub folds at most 200 events after decoding one keyframe (~ms), and
 * a 36k-event meeting keeps ~180 keyframes of the notes state in memory. */
export const REPLAY_KEYFRAME_EVERY = 200;

/** The meeting as it was at one instant. */
export type ReplayFrame = {
  /** Wall-clock ms of the instant. */
  at: number;
  /** How many log events the frame folds. */
  eventCount: number;
  /** Notes as plain text (textblocks joined by newlines). */
  notesText: string;
  /** Notes as ProseMirror JSON (headings, marks, lists), for rich rendering. */
  notes: PMNode;
  /** Transcript segments so far. */
  segments: Segment[];
  /** Lifecycle, presence and speaking stats. */
  state: MeetingStateView;
};

/** A fold state with the notes document as bytes (the views are immutable values). */
type Keyframe = { count: number; state: Omit<TimelineState, "doc">; doc: Uint8Array };

/** A meeting's log, ready to show any instant. */
export class Replay {
  private readonly keyframes: Keyframe[] = [];

  /** `events` must be in log order (as `timeline.events` pages them). */
  constructor(
    readonly events: readonly LogEvent[],
    every: number = REPLAY_KEYFRAME_EVERY,
  ) {
    let s = initialTimeline();
    let last = keyframe(s, 0);
    this.keyframes.push(last);
    events.forEach((e, i) => {
      s = evolveTimeline(s, e);
      // Like the server's keyframes: only once the tail costs at least half a snapshot
      // to replay, so a big document typed a keystroke at a time stays linear in memory.
      const tailBytes = s.logBytes - last.state.logBytes;
      if (i + 1 - last.count >= every && tailBytes >= KEYFRAME_TAIL_RATIO * last.doc.byteLength) {
        last = keyframe(s, i + 1);
        this.keyframes.push(last);
      }
    });
    s.doc.destroy();
  }

  /** How many events a frame at `t` folds: those before the first one appended after `t`. */
  countAt(t: number): number {
    const i = this.events.findIndex((e) => e.at > t);
    return i === -1 ? this.events.length : i;
  }

  /** The first and last instants of the log (or `now` while the meeting is live). */
  span(now?: number): { from: number; to: number } {
    // `at` is wall-clock at append: within one transaction (and across writers)
    // it need not grow in log order, so the span takes the extremes.
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const e of this.events) {
      from = Math.min(from, e.at);
      to = Math.max(to, e.at);
    }
    if (this.events.length === 0) from = to = now ?? 0;
    return { from, to: Math.max(to, now ?? to) };
  }

  /** The instants at which something happened, in order (for "previous/next change"). */
  instants(): number[] {
    return [...new Set(this.events.map((e) => e.at))].sort((a, b) => a - b);
  }

  /** The frame at instant `t`. */
  frameAt(t: number): ReplayFrame {
    const n = this.countAt(t);
    let k = this.keyframes[0]!;
    for (const kf of this.keyframes) {
      if (kf.count <= n) k = kf;
      else break;
    }
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, k.doc);
    let s: TimelineState = { ...k.state, doc };
    for (let i = k.count; i < n; i++) s = evolveTimeline(s, this.events[i]!);
    try {
      const derived = deriveNotes(doc);
      return {
        at: t,
        eventCount: n,
        notesText: derived.text,
        notes: derived.prosemirror,
        segments: s.transcript.segments,
        state: s.meeting,
      };
    } finally {
      doc.destroy();
    }
  }
}

function keyframe(s: TimelineState, count: number): Keyframe {
  const { doc, ...state } = s;
  return { count, state, doc: Y.encodeStateAsUpdate(doc) };
}
