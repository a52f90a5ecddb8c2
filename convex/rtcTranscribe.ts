/**
 * Transcription from the call's audio (issue 14): a participant's browser cuts
 * its own microphone at pauses and sends each segment here. The action checks
 * consent and the call (`rtcTranscription.authorizeSegment`), calls the
 * configured OpenAI-compatible speech-to-text endpoint with retries and
 * backoff, at most once per segment (`idempotency.runOnce`), and appends the
 * final text as that speaker (`rtcTranscription.appendFinal`). Per-speaker
 * streams, so no diarization. Never called from a query or mutation.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { env } from "./_generated/server";
import { runOnce } from "./idempotency";
import { userAction } from "./lib/functions";
import { type Refused, refused, resultValidator } from "./lib/results";
import {
  openAiCompatibleStt,
  readSttConfig,
  STT_RETRY,
  SttError,
  type Transcription,
  withRetries,
} from "./lib/speechToText";
import { MAX_CHUNK_TEXT } from "./transcripts/ingest";

/** Why 2 MiB: 30 s of 16 kHz mono 16-bit WAV is 960 KB; compressed formats are far smaller. */
export const MAX_SEGMENT_BYTES = 2 * 1024 * 1024;
/** Why 30 s: the browser cuts at pauses and at 20 s at most; 30 s allows clock slack. */
export const MAX_SEGMENT_MS = 30_000;
/** Why: segment ids are client UUIDs or similar; the charset keeps keys and file names safe. */
const SEGMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Why: the formats OpenAI-compatible servers accept that a browser can produce. */
const MIME_TYPES: Record<string, string> = {
  "audio/wav": "wav",
  "audio/webm": "webm",
  "audio/ogg": "ogg",
  "audio/mp4": "m4a",
  "audio/mpeg": "mp3",
};

/** What `transcribe` answers. */
type TranscribeResult =
  | { ok: true; text: string; sequence: number | null; attempts: number }
  | Refused;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Transcribe one segment of the caller's microphone (`startMs`/`endMs`:
 * offsets from the meeting's start) and append it as the caller. Answers
 * `{ok: true, text, sequence}` (sequence null for silence or a duplicate still
 * in flight) or a refusal: VALIDATION_ERROR, RATE_LIMITED, FORBIDDEN (not in
 * the call, observer, transcription off, opted out), MEETING_NOT_ACTIVE,
 * QUOTA_EXCEEDED (the org's transcription minutes are used up: checked before
 * the provider is called), PROVIDER_ERROR (none configured, or it kept failing).
 */
export const transcribe = userAction({
  args: {
    meetingId: v.id("meetings"),
    segmentId: v.string(),
    startMs: v.number(),
    endMs: v.number(),
    mimeType: v.string(),
    audio: v.bytes(),
  },
  returns: resultValidator({
    text: v.string(),
    sequence: v.union(v.number(), v.null()),
    attempts: v.number(),
  }),
  handler: async (ctx, args): Promise<TranscribeResult> => {
    const { meetingId, segmentId, startMs, endMs, mimeType, audio } = args;
    if (!SEGMENT_ID.test(segmentId))
      return refused("VALIDATION_ERROR", "segmentId must be 1–64 letters, digits, - or _");
    const baseType = mimeType.split(";")[0]?.trim() ?? "";
    const ext = MIME_TYPES[baseType];
    if (!ext)
      return refused(
        "VALIDATION_ERROR",
        `mimeType must be one of ${Object.keys(MIME_TYPES).join(", ")}`,
      );
    if (audio.byteLength === 0 || audio.byteLength > MAX_SEGMENT_BYTES)
      return refused("VALIDATION_ERROR", `a segment is 1 byte to ${MAX_SEGMENT_BYTES} bytes`);
    if (!(startMs >= 0 && endMs > startMs && endMs - startMs <= MAX_SEGMENT_MS))
      return refused("VALIDATION_ERROR", `need 0 <= startMs < endMs, at most ${MAX_SEGMENT_MS} ms`);
    let settings: ReturnType<typeof readSttConfig>;
    try {
      settings = readSttConfig(env);
    } catch (e) {
      return refused("PROVIDER_ERROR", `speech-to-text is misconfigured: ${(e as Error).message}`);
    }
    if (!settings)
      return refused(
        "PROVIDER_ERROR",
        "transcription is off: no speech-to-text provider configured",
      );
    const ok: { ok: true } | Refused = await ctx.runMutation(
      internal.rtcTranscription.authorizeSegment,
      {
        meetingId,
        userId: ctx.user._id,
      },
    );
    if (!ok.ok) return ok;
    const provider = openAiCompatibleStt(settings);
    let attempts = 0;
    let heard: Transcription;
    try {
      const once = await runOnce(
        ctx,
        "stt",
        `${ctx.user._id}:${meetingId}:${segmentId}`,
        async () => {
          const r = await withRetries(
            () =>
              provider.transcribe({ audio, mimeType: baseType, fileName: `${segmentId}.${ext}` }),
            { ...STT_RETRY, sleep },
          );
          attempts = r.attempts;
          return r.value;
        },
      );
      if (once.status === "pending")
        return { ok: true as const, text: "", sequence: null, attempts };
      heard = once.result;
    } catch (e) {
      const message = e instanceof SttError ? e.message : `speech-to-text failed: ${String(e)}`;
      return refused("PROVIDER_ERROR", message);
    }
    if (heard.text.length === 0) return { ok: true as const, text: "", sequence: null, attempts };
    const appended: { ok: true; sequence: number } | Refused = await ctx.runMutation(
      internal.rtcTranscription.appendFinal,
      {
        meetingId,
        userId: ctx.user._id,
        segmentId,
        text: heard.text.slice(0, MAX_CHUNK_TEXT),
        confidence: heard.confidence ?? 1,
        startMs,
        endMs,
      },
    );
    if (!appended.ok) return appended;
    return { ok: true as const, text: heard.text, sequence: appended.sequence, attempts };
  },
});
