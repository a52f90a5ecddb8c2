/**
 * Transcripts: chunk ingestion (only while the meeting is live, only from
 * joined participants who may write; rate-limited per identity; coded
 * results) and a bounded, resumable stream by per-meeting sequence.
 */
import { v } from "convex/values";
import {
  supersede,
  TRANSCRIPT_BUCKET_MS,
  transcriptBucket,
  upcastTranscriptChunk,
} from "../projections/events/transcript";
import { requireMeetingAccess } from "./lib/access";
import { appError } from "./lib/errors";
import { transcriptChunkValidator } from "./lib/eventValidators";
import { roomQuery, userMutation, userQuery } from "./lib/functions";
import { requireFinite } from "./lib/numbers";
import { openTranscriptRow } from "./lib/personalData";
import { resultValidator } from "./lib/results";
import { requireRoom } from "./lib/roomKey";
import { ingestChunks } from "./transcripts/ingest";

/** Why: the bound; a page of 200 chunks is ~20 s of speech, well inside query limits. */
export const MAX_STREAM_LIMIT = 200;

const chunkArgs = {
  text: v.string(),
  confidence: v.number(),
  startMs: v.number(),
  endMs: v.number(),
  utteranceId: v.optional(v.string()),
  speaker: v.optional(v.string()),
  idempotencyKey: v.string(),
};

const ingestResult = resultValidator({ sequences: v.array(v.number()) });

/** Append one chunk (`interim: true` for a recognizer's provisional guess). */
export const append = userMutation({
  args: { meetingId: v.id("meetings"), interim: v.boolean(), ...chunkArgs },
  returns: ingestResult,
  handler: async (ctx, { meetingId, interim, ...chunk }) =>
    await ingestChunks(ctx, meetingId, [{ ...chunk, isFinal: !interim }]),
});

/** Append up to 50 chunks (`MAX_CHUNKS_PER_BATCH`) in one call. */
export const ingest = userMutation({
  args: {
    meetingId: v.id("meetings"),
    chunks: v.array(v.object({ ...chunkArgs, isFinal: v.boolean() })),
  },
  returns: ingestResult,
  handler: async (ctx, { meetingId, chunks }) => await ingestChunks(ctx, meetingId, chunks),
});

/** A chunk as clients read it: the domain chunk plus its append time. */
const chunkView = transcriptChunkValidator.extend({ at: v.number() });

/**
 * Chunks with `seq >= fromSequence`, at most `limit` (≤ 200) rows read.
 * Interim chunks whose utterance already has a final are left out (the final
 * supersedes them); an interim served earlier is superseded client-side by
 * the later final with the same `utteranceId`. Resume with `nextSequence`.
 * A room query (room key, never auth): a stale key (someone was removed)
 * throws FORBIDDEN at once.
 */
export const stream = roomQuery({
  args: {
    fromSequence: v.optional(v.number()),
    limit: v.optional(v.number()),
  },
  returns: v.object({ chunks: v.array(chunkView), nextSequence: v.number(), done: v.boolean() }),
  handler: async (ctx, { meetingId, fromSequence = 1, limit = MAX_STREAM_LIMIT }) => {
    requireFinite("fromSequence", fromSequence);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STREAM_LIMIT) {
      throw appError("VALIDATION_ERROR", `limit must be an integer in 1–${MAX_STREAM_LIMIT}`);
    }
    requireRoom(ctx.room);
    const rows = await ctx.db
      .query("transcriptEvents")
      .withIndex("by_meeting_seq", (q) => q.eq("meetingId", meetingId).gte("seq", fromSequence))
      .take(limit);
    const finals = new Map<string, boolean>();
    const hasFinal = async (utteranceId: string) => {
      const known = finals.get(utteranceId);
      if (known !== undefined) return known;
      const f = await ctx.db
        .query("transcriptEvents")
        .withIndex("by_meeting_utterance_final", (q) =>
          q.eq("meetingId", meetingId).eq("utteranceId", utteranceId).eq("data.isFinal", true),
        )
        .first();
      finals.set(utteranceId, f !== null);
      return f !== null;
    };
    const chunks = [];
    for (const r of rows) {
      const c = upcastTranscriptChunk(await openTranscriptRow(ctx, r));
      if (!c.isFinal && (await hasFinal(c.utteranceId))) continue;
      chunks.push({ ...c, at: r.at });
    }
    const last = rows[rows.length - 1];
    return { chunks, nextSequence: last ? last.seq + 1 : fromSequence, done: rows.length < limit };
  },
});

/** Why: a window of at most 10 minutes (10 buckets) keeps one read to a few thousand rows. */
export const MAX_RANGE_MS = 10 * TRANSCRIPT_BUCKET_MS;
/** Why: 10 chunks/s for 10 minutes is 6,000 rows; the cap keeps the read inside query limits. */
const MAX_RANGE_ROWS = 8000;

/**
 * The transcript as it stands for chunks starting in `[fromMs, toMs)` (offsets
 * from the meeting start, a window of at most 10 minutes), read through the
 * time-bucket index: finals, plus the latest interim of utterances without a
 * final, in sequence order. For timeline views that jump to an instant.
 */
export const range = userQuery({
  args: { meetingId: v.id("meetings"), fromMs: v.number(), toMs: v.number() },
  returns: v.object({ chunks: v.array(chunkView), truncated: v.boolean() }),
  handler: async (ctx, { meetingId, fromMs, toMs }) => {
    if (!(fromMs >= 0 && toMs > fromMs && toMs - fromMs <= MAX_RANGE_MS)) {
      throw appError(
        "VALIDATION_ERROR",
        `need 0 <= fromMs < toMs with a window of at most ${MAX_RANGE_MS} ms`,
      );
    }
    await requireMeetingAccess(ctx, meetingId, "read");
    const rows = await ctx.db
      .query("transcriptEvents")
      .withIndex("by_meeting_bucket", (q) =>
        q
          .eq("meetingId", meetingId)
          .gte("bucket", transcriptBucket(fromMs))
          .lte("bucket", transcriptBucket(toMs - 1)),
      )
      .take(MAX_RANGE_ROWS + 1);
    const truncated = rows.length > MAX_RANGE_ROWS;
    const at = new Map<number, number>();
    const chunks = [];
    for (const r of rows.slice(0, MAX_RANGE_ROWS)) {
      at.set(r.seq, r.at);
      chunks.push(upcastTranscriptChunk(await openTranscriptRow(ctx, r)));
    }
    const inWindow = supersede(chunks).filter((c) => c.startMs >= fromMs && c.startMs < toMs);
    return { chunks: inWindow.map((c) => ({ ...c, at: at.get(c.seq) ?? 0 })), truncated };
  },
});
