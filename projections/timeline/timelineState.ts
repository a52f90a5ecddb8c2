/**
 * The timeline's combined state of one meeting at an instant: meeting state
 * (lifecycle, presence, speaking), transcript segments and the notes
 * document. One fold over the meeting, transcript and notes streams, shared
 * by the server (`timeline.stateAt`, keyframes) and the web scrubber, which
 * folds the events of `timeline.events` with this same code.
 *
 * Keyframes hold this state with only the open transcript tail (closed
 * segments never change, see projections/transcriptSegments), so a keyframe
 * stays small however long the meeting.
 */
import * as Y from "yjs";
import type { Fold } from "../core/fold";
import type { LogEvent } from "../core/logEvent";
import {
  deriveNotes,
  notesFold,
  type StoredNotesDerived,
  storedNotesDerived,
} from "../meetingNotes/notesView";
import { initialMeetingState, type MeetingStateView } from "../meetingState/evolve";
import { meetingStateFolds } from "../meetingState/versions";
import {
  initialSegments,
  OPEN_SEGMENTS,
  type TranscriptSegmentsView,
  transcriptSegmentsFold,
} from "../transcriptSegments/evolve";

/** Why: a keyframe every 500 events bounds a `stateAt` tail to a few hundred rows. */
export const KEYFRAME_EVERY_EVENTS = 500;
/** Why: and every 30 s of meeting time, so quiet meetings still scrub from nearby. */
export const KEYFRAME_EVERY_MS = 30_000;
/**
 * Why: but only once the tail since the last keyframe costs at least half a
 * keyframe to replay (`logBytes` growth ≥ this × snapshot bytes). A big notes
 * document typed a keystroke at a time would otherwise store a full snapshot
 * every 500 keystrokes (quadratic storage); with this rule keyframes never
 * take more than about twice the log's own bytes.
 */
export const KEYFRAME_TAIL_RATIO = 0.5;
/** Why: replay cost of one non-notes event, in bytes, for {@link KEYFRAME_TAIL_RATIO} (its JSON size). */
export const EVENT_COST_BYTES = 200;

/**
 * The folds this one embeds, pinned by version: timeline v1 embeds
 * meetingState v2 and transcriptSegments v1. A projection's version pins
 * everything folded inside it, so embedding another version of either means
 * a new timeline version (and a rebuild), never an edit of this one.
 */
const embedded = { meetingState: meetingStateFolds[2] } as const;

/** The combined timeline state. `doc` is mutated in place by the fold. */
export type TimelineState = {
  meeting: MeetingStateView;
  transcript: TranscriptSegmentsView;
  doc: Y.Doc;
  eventCount: number;
  /** Latest `at` folded in (0 before any event). */
  maxAt: number;
  /** Replay cost of everything folded in: note update bytes + {@link EVENT_COST_BYTES} per other event. */
  logBytes: number;
};

/** The state before any event. */
export function initialTimeline(): TimelineState {
  return {
    meeting: initialMeetingState(),
    transcript: initialSegments(),
    doc: notesFold.init(),
    eventCount: 0,
    maxAt: 0,
    logBytes: 0,
  };
}

/** Apply one event. */
export function evolveTimeline(s: TimelineState, e: LogEvent): TimelineState {
  if (e.stream === "chat") return s;
  const next: TimelineState = {
    ...s,
    eventCount: s.eventCount + 1,
    maxAt: Math.max(s.maxAt, e.at),
    logBytes: s.logBytes + (e.stream === "notes" ? e.update.byteLength : EVENT_COST_BYTES),
  };
  if (e.stream === "notes") notesFold.evolve(s.doc, e);
  else {
    next.meeting = embedded.meetingState.evolve(s.meeting, e);
    if (e.stream === "transcript") next.transcript = transcriptSegmentsFold.evolve(s.transcript, e);
  }
  return next;
}

/** The timeline fold. */
export const timelineFold: Fold<TimelineState> = {
  streams: ["meeting", "transcript", "notes"],
  init: initialTimeline,
  evolve: evolveTimeline,
};

/** A keyframe's serializable parts: JSON for the views, Yjs V2 bytes for the notes. */
export type EncodedKeyframe = { state: string; doc: Uint8Array };

/** Encode a state as a keyframe, keeping only the open transcript tail. */
export function encodeKeyframe(s: TimelineState): EncodedKeyframe {
  const total = s.transcript.firstIndex + s.transcript.segments.length;
  const from = Math.max(s.transcript.firstIndex, total - OPEN_SEGMENTS);
  const transcript: TranscriptSegmentsView = {
    firstIndex: from,
    segments: s.transcript.segments.slice(from - s.transcript.firstIndex),
  };
  return {
    state: JSON.stringify({
      meeting: s.meeting,
      transcript,
      eventCount: s.eventCount,
      maxAt: s.maxAt,
      logBytes: s.logBytes,
    }),
    doc: Y.encodeStateAsUpdateV2(s.doc),
  };
}

/** Decode a keyframe into a state to fold on from. */
export function decodeKeyframe(k: EncodedKeyframe): TimelineState {
  const parsed = JSON.parse(k.state) as Omit<TimelineState, "doc">;
  const doc = notesFold.init();
  Y.applyUpdateV2(doc, k.doc);
  // Keyframes written before `logBytes` existed count as free to replay from.
  return { ...parsed, logBytes: parsed.logBytes ?? 0, doc };
}

/** Who is present, since when. */
export type Presence = { userId: string; since: number };

/** What a timeline shows at an instant (besides the transcript). */
export type TimelineFrame = {
  notes: Omit<StoredNotesDerived, "wordCount">;
  meeting: MeetingStateView;
  present: Presence[];
  eventCount: number;
  maxAt: number;
};

/** Render a state as a frame. */
export function frameOf(s: TimelineState): TimelineFrame {
  const { wordCount, ...notes } = storedNotesDerived(deriveNotes(s.doc));
  void wordCount;
  return {
    notes,
    meeting: s.meeting,
    present: s.meeting.participants
      .filter((p) => p.presentSince !== null)
      .map((p) => ({ userId: p.userId, since: p.presentSince as number })),
    eventCount: s.eventCount,
    maxAt: s.maxAt,
  };
}
