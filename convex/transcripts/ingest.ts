/**
 * Transcript chunk ingestion: the one path every transcript writer takes.
 * Order of checks, chosen so refusals stay cheap and still cost the caller:
 * rate limit (keyed on the identity) → access (write, meeting live, caller
 * joined; refusals audited) → size/shape validation → idempotent append with
 * the next per-meeting sequence number. Everything is answered as a value.
 */
import { toStoredTranscriptChunk, transcriptBucket } from "../../projections/events/transcript";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { checkTranscriptionQuota, meterTranscription } from "../billing/usage";
import { checkMeetingAccess } from "../lib/access";
import { writeAudit } from "../lib/audit";
import { appendEvent, CLIENT_KEY_MAX } from "../lib/events";
import { spend } from "../lib/rateLimits";
import { type Refused, refused } from "../lib/results";
import { kickProjectors } from "../projectors/kick";

/** Why: a recognizer's chunk is a sentence or two; 2,000 chars bounds abuse and row size. */
export const MAX_CHUNK_TEXT = 2000;
/** Why: one chunk covers at most an utterance; 5 minutes is far beyond any real one. */
export const MAX_CHUNK_SPAN_MS = 5 * 60_000;
/** Why: one batch per second at 10 chunks/s with backlog room; keeps a mutation small. */
export const MAX_CHUNKS_PER_BATCH = 50;
/** Why: labels and utterance ids are short identifiers. */
const MAX_LABEL = 100;
/** Why: a meeting is at most a day (see the decider's MAX_DURATION_MINUTES), with slack. */
const MAX_OFFSET_MS = 48 * 3600_000;

/** One chunk as a client sends it. */
export type ChunkInput = {
  text: string;
  confidence: number;
  startMs: number;
  endMs: number;
  isFinal: boolean;
  /** Defaults to `<speakerId>:<startMs>` (recognizers keep startMs per utterance). */
  utteranceId?: string;
  /** Defaults to the sender's name. */
  speaker?: string;
  idempotencyKey: string;
};

function invalid(c: ChunkInput): string | null {
  if (c.text.length === 0 || c.text.length > MAX_CHUNK_TEXT)
    return `text must be 1–${MAX_CHUNK_TEXT} characters`;
  if (!(c.confidence >= 0 && c.confidence <= 1)) return "confidence must be in [0, 1]";
  if (
    !Number.isFinite(c.startMs) ||
    !Number.isFinite(c.endMs) ||
    c.startMs < 0 ||
    c.endMs < c.startMs
  )
    return "need 0 <= startMs <= endMs";
  if (c.endMs - c.startMs > MAX_CHUNK_SPAN_MS || c.endMs > MAX_OFFSET_MS)
    return "chunk span too long";
  if (
    (c.speaker?.length ?? 0) > MAX_LABEL ||
    (c.utteranceId?.length ?? 1) === 0 ||
    (c.utteranceId?.length ?? 0) > MAX_LABEL
  )
    return `speaker and utteranceId must be 1–${MAX_LABEL} characters`;
  if (c.idempotencyKey.length === 0 || c.idempotencyKey.length > CLIENT_KEY_MAX)
    return `idempotencyKey must be 1–${CLIENT_KEY_MAX} characters`;
  return null;
}

/**
 * An utterance left interim this long is closed by the server (`transcriptInterim.settle`).
 * Why 10 s: recognizers finalise within a second or two of a pause; an utterance
 * silent for 10 s will not be finalised by its client any more.
 */
export const INTERIM_TIMEOUT_MS = 10_000;

/** Schedule the interim check for an utterance whose first chunk (an interim one) was just appended. */
async function watchInterim(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  utteranceId: string,
): Promise<void> {
  const chunks = await ctx.db
    .query("transcriptEvents")
    .withIndex("by_meeting_utterance_final", (q) =>
      q.eq("meetingId", meetingId).eq("utteranceId", utteranceId),
    )
    .take(2);
  // Only the utterance's first chunk schedules: one check per utterance, not per chunk.
  if (chunks.length !== 1) return;
  await ctx.scheduler.runAfter(INTERIM_TIMEOUT_MS, internal.transcriptInterim.settle, {
    meetingId,
    utteranceId,
  });
}

/** The outcome of an ingestion: the sequence number of each chunk (original ones for duplicates). */
export type IngestOutcome = { ok: true; sequences: number[] } | Refused;

/** The last sequence number of a meeting's transcript (0 when empty). */
export async function lastSequence(ctx: MutationCtx, meetingId: Id<"meetings">): Promise<number> {
  const last = await ctx.db
    .query("transcriptEvents")
    .withIndex("by_meeting_seq", (q) => q.eq("meetingId", meetingId))
    .order("desc")
    .first();
  return last?.seq ?? 0;
}

/** Ingest chunks from `user` into `meetingId` (see the module comment for the checks). */
export async function ingestChunks(
  ctx: MutationCtx & { user: Doc<"users"> },
  meetingId: Id<"meetings">,
  chunks: readonly ChunkInput[],
): Promise<IngestOutcome> {
  const limited = await spend(ctx, "transcriptChunks", ctx.user, Math.max(1, chunks.length));
  if (!limited.ok) return limited;
  const deny = async (r: Refused) => {
    await writeAudit(ctx, {
      action: "transcript.ingest",
      outcome: "denied",
      actorId: ctx.user._id,
      meetingId,
      code: r.code,
      detail: r.message,
    });
    return r;
  };
  const access = await checkMeetingAccess(ctx, meetingId, "write");
  if (!access.ok) return await deny(refused(access.code, access.message));
  if (access.meeting.status !== "active")
    return await deny(
      refused(
        "MEETING_NOT_ACTIVE",
        `transcripts are taken only while the meeting is live (it is ${access.meeting.status})`,
      ),
    );
  if (access.participant.status !== "joined")
    return await deny(refused("FORBIDDEN", "join the meeting before sending transcript"));
  if (chunks.length === 0 || chunks.length > MAX_CHUNKS_PER_BATCH)
    return refused("VALIDATION_ERROR", `send 1–${MAX_CHUNKS_PER_BATCH} chunks per call`);
  for (const [i, c] of chunks.entries()) {
    const why = invalid(c);
    if (why) return refused("VALIDATION_ERROR", `chunk ${i}: ${why}`);
  }
  const now = Date.now();
  const quota = await checkTranscriptionQuota(ctx, access.meeting, now);
  if (!quota.ok) return await deny(quota);
  let seq = await lastSequence(ctx, meetingId);
  const sequences: number[] = [];
  let meteredMs = 0;
  for (const c of chunks) {
    const next = seq + 1;
    const stored = toStoredTranscriptChunk({
      seq: next,
      utteranceId: c.utteranceId ?? `${ctx.user._id}:${c.startMs}`,
      speakerId: ctx.user._id,
      speaker: c.speaker ?? ctx.user.name,
      text: c.text,
      confidence: c.confidence,
      startMs: c.startMs,
      endMs: c.endMs,
      isFinal: c.isFinal,
    });
    const r = await appendEvent(
      ctx,
      "transcriptEvents",
      {
        meetingId,
        actor: ctx.user._id,
        idempotencyKey: `${ctx.user._id}:${c.idempotencyKey}`,
        at: now,
        bucket: transcriptBucket(c.startMs),
        ...stored,
      },
      kickProjectors,
    );
    if (r.duplicate) {
      const original = await ctx.db.get("transcriptEvents", r.eventId);
      sequences.push(original?.seq ?? 0);
    } else {
      seq = next;
      sequences.push(next);
      if (c.isFinal) meteredMs += c.endMs - c.startMs;
      if (!c.isFinal) await watchInterim(ctx, meetingId, stored.utteranceId);
    }
  }
  await meterTranscription(ctx, access.meeting, meteredMs, now);
  return { ok: true, sequences };
}
