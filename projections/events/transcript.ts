/**
 * Transcript chunk events (stored in `transcriptEvents`) and the pure fold that
 * supersedes interim chunks by finals. No Convex imports.
 *
 * A speech recognizer emits, per utterance, zero or more interim chunks (its
 * current guess, replaced by the next one) and then one final chunk. Every
 * chunk carries the utterance's `utteranceId`; the current transcript is all
 * finals plus, for utterances without a final yet, their latest interim.
 */

import { liftPayload, type UpcasterTable } from "./upcast";

/** The `kind` of every `transcriptEvents` row. */
export const TRANSCRIPT_CHUNK_KIND = "TranscriptChunk";
/** Payload version of `TranscriptChunk`. */
export const TRANSCRIPT_EVENT_VERSION = 1;

/** One transcript chunk as the domain sees it. */
export type TranscriptChunk = {
  /** Per-meeting sequence number, gap-free, from 1. */
  seq: number;
  utteranceId: string;
  /** User id of the participant who sent it. */
  speakerId: string;
  /** Display label of the speaker (recognizer diarization label or name). */
  speaker: string;
  text: string;
  /** Recognizer confidence in [0, 1]. */
  confidence: number;
  /** Offsets from the meeting start, in ms. */
  startMs: number;
  endMs: number;
  isFinal: boolean;
};

/** Why: one-minute buckets keep a timeline range read to a few index ranges. */
export const TRANSCRIPT_BUCKET_MS = 60_000;

/** The time bucket of a chunk starting at `startMs` (ms from meeting start). */
export function transcriptBucket(startMs: number): number {
  return Math.floor(startMs / TRANSCRIPT_BUCKET_MS);
}

/**
 * The current transcript from chunks in sequence order: every final, plus the
 * latest interim of each utterance that has no final yet, ordered by the
 * sequence of the chunk kept. A final supersedes every chunk of its
 * utterance, even an interim that arrives after it (a late retry).
 */
export function supersede(chunks: readonly TranscriptChunk[]): TranscriptChunk[] {
  const kept = new Map<string, TranscriptChunk>();
  for (const c of chunks) {
    const prev = kept.get(c.utteranceId);
    if (prev?.isFinal) continue;
    kept.set(c.utteranceId, c);
  }
  return [...kept.values()].sort((a, b) => a.seq - b.seq);
}

/** How a chunk is stored: envelope fields, indexed fields, and the payload. */
export type StoredTranscriptChunk = {
  schemaVersion: number;
  seq: number;
  utteranceId: string;
  data: Record<string, unknown>;
};

/** The payload of a chunk: everything but the top-level (indexed) `seq` and `utteranceId`. */
export type TranscriptChunkData = Omit<TranscriptChunk, "seq" | "utteranceId">;

/** Split a chunk into its stored shape (current version). */
export function toStoredTranscriptChunk(chunk: TranscriptChunk): {
  kind: typeof TRANSCRIPT_CHUNK_KIND;
  schemaVersion: number;
  seq: number;
  utteranceId: string;
  data: TranscriptChunkData;
} {
  const { seq, utteranceId, ...data } = chunk;
  return {
    kind: TRANSCRIPT_CHUNK_KIND,
    schemaVersion: TRANSCRIPT_EVENT_VERSION,
    seq,
    utteranceId,
    data,
  };
}

/** Upcasting steps of transcript chunks (none yet: version 1). */
export const TRANSCRIPT_UPCASTERS: UpcasterTable<typeof TRANSCRIPT_CHUNK_KIND> = {};

/** Bring a stored chunk to the current shape (throws on a future version). */
export function upcastTranscriptChunk(
  row: StoredTranscriptChunk,
  upcasters: UpcasterTable<typeof TRANSCRIPT_CHUNK_KIND> = TRANSCRIPT_UPCASTERS,
  currentVersion: number = TRANSCRIPT_EVENT_VERSION,
): TranscriptChunk {
  const d = liftPayload(
    "transcript",
    TRANSCRIPT_CHUNK_KIND,
    row.schemaVersion,
    row.data,
    upcasters,
    currentVersion,
  );
  return {
    seq: row.seq,
    utteranceId: row.utteranceId,
    speakerId: String(d.speakerId),
    speaker: String(d.speaker),
    text: String(d.text),
    confidence: Number(d.confidence),
    startMs: Number(d.startMs),
    endMs: Number(d.endMs),
    isFinal: d.isFinal === true,
  };
}
