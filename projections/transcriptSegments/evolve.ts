/**
 * `transcriptSegments` read model: transcript chunks grouped into speaker
 * turns cut by time windows, each with its keywords. Events: `transcript`
 * chunks. An utterance's interim chunks are replaced by later ones; its first
 * final chunk wins (later duplicates change nothing).
 *
 * Only the last {@link OPEN_SEGMENTS} segments can change: a chunk for an
 * utterance that sits in an older segment starts a fresh utterance at the
 * tail. This rule is part of the fold (so the whole-log fold and the
 * projector, which loads only the open tail, agree) and keeps every batch's
 * writes bounded.
 */
import type { Fold } from "../core/fold";
import { topKeywords } from "../core/keywords";
import type { LogEvent } from "../core/logEvent";

/** Why: recognizers finalize an utterance within a few utterances; 4 open turns cover that. */
export const OPEN_SEGMENTS = 4;
/** Why: a minute per segment keeps segments readable and rows small (~10 chunks/s max). */
export const WINDOW_MS = 60_000;
/** Why: a 5 s pause by the same speaker reads as a new paragraph. */
export const GAP_MS = 5_000;
/** Why: a handful of keywords per segment is what the transcript UI shows. */
export const SEGMENT_KEYWORDS = 5;

/** One utterance inside a segment (its latest chunk). */
export type Utterance = {
  id: string;
  text: string;
  startMs: number;
  endMs: number;
  isFinal: boolean;
  confidence: number;
};

/** One speaker turn inside one time window. */
export type Segment = {
  index: number;
  speakerId: string;
  speaker: string;
  startMs: number;
  endMs: number;
  firstAt: number;
  lastAt: number;
  utterances: Utterance[];
  text: string;
  keywords: string[];
};

/** Segments from `firstIndex` on (the projector loads only the open tail). */
export type TranscriptSegmentsView = { firstIndex: number; segments: Segment[] };

/** The view before any event. */
export function initialSegments(): TranscriptSegmentsView {
  return { firstIndex: 0, segments: [] };
}

function finish(
  s: Omit<Segment, "text" | "keywords" | "startMs" | "endMs"> & Partial<Segment>,
): Segment {
  const text = s.utterances.map((u) => u.text).join(" ");
  return {
    ...s,
    startMs: Math.min(...s.utterances.map((u) => u.startMs)),
    endMs: Math.max(...s.utterances.map((u) => u.endMs)),
    text,
    // The utterances one by one: a token never spans the joining space, so the counts are the text's.
    keywords: topKeywords(
      s.utterances.map((u) => u.text),
      SEGMENT_KEYWORDS,
    ),
  } as Segment;
}

/** Apply one transcript chunk. */
export function evolveSegments(view: TranscriptSegmentsView, e: LogEvent): TranscriptSegmentsView {
  if (e.stream !== "transcript") return view;
  const c = e.chunk;
  const total = view.firstIndex + view.segments.length;
  const openFrom = Math.max(view.firstIndex, total - OPEN_SEGMENTS) - view.firstIndex;
  const utterance: Utterance = {
    id: c.utteranceId,
    text: c.text,
    startMs: c.startMs,
    endMs: c.endMs,
    isFinal: c.isFinal,
    confidence: c.confidence,
  };
  for (let i = view.segments.length - 1; i >= openFrom; i--) {
    const seg = view.segments[i]!;
    const u = seg.utterances.findIndex((x) => x.id === c.utteranceId);
    if (u < 0) continue;
    if (seg.utterances[u]!.isFinal) return view;
    const utterances = seg.utterances.map((x, j) => (j === u ? utterance : x));
    const segments = [...view.segments];
    segments[i] = finish({ ...seg, utterances, lastAt: Math.max(seg.lastAt, e.at) });
    return { ...view, segments };
  }
  const last =
    view.segments.length > openFrom ? view.segments[view.segments.length - 1] : undefined;
  if (
    last &&
    last.speakerId === c.speakerId &&
    c.startMs - last.startMs < WINDOW_MS &&
    c.startMs - last.endMs <= GAP_MS
  ) {
    const segments = [...view.segments];
    segments[segments.length - 1] = finish({
      ...last,
      utterances: [...last.utterances, utterance],
      lastAt: Math.max(last.lastAt, e.at),
    });
    return { ...view, segments };
  }
  const seg = finish({
    index: total,
    speakerId: c.speakerId,
    speaker: c.speaker,
    firstAt: e.at,
    lastAt: e.at,
    utterances: [utterance],
  });
  return { ...view, segments: [...view.segments, seg] };
}

/** The `transcriptSegments` fold. */
export const transcriptSegmentsFold: Fold<TranscriptSegmentsView> = {
  streams: ["transcript"],
  init: initialSegments,
  evolve: evolveSegments,
};
