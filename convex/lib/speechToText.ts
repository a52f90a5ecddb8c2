/**
 * Speech-to-text behind one interface, with a real client for any
 * OpenAI-compatible `POST /v1/audio/transcriptions` endpoint (OpenAI, Groq, a
 * local whisper.cpp or faster-whisper server): multipart form with `file`,
 * `model`, `response_format` (and `language` when configured), bearer key when
 * one is set. Uses `fetch`/`FormData`/`Blob` only, so it runs in a Convex
 * action without "use node". Retries (429, 5xx, timeouts, network errors)
 * with exponential backoff honouring `Retry-After` live in {@link withRetries}.
 *
 * There is no local default provider: without `STT_URL` transcription from
 * audio is off and the room says so (the transcript simulator is a
 * development tool, not a provider).
 */
import { ProviderError, type RetryPolicy, retryAfterMs } from "./providerRetry";

export { type RetryPolicy, withRetries } from "./providerRetry";

/** One cut of a speaker's microphone. */
export type AudioSegment = { audio: ArrayBuffer; mimeType: string; fileName: string };

/** What a provider heard: the text and, when it reports one, a confidence in [0, 1]. */
export type Transcription = { text: string; confidence: number | null };

/** A speech-to-text provider. */
export interface SpeechToTextProvider {
  /** `openai-compatible:<model>`, shown in the room and stored nowhere else. */
  readonly name: string;
  /** Transcribe one segment; throws {@link SttError} on failure. */
  transcribe(segment: AudioSegment): Promise<Transcription>;
}

/** A speech-to-text failure; `retryable` for 429, 5xx, timeouts and network errors. */
export class SttError extends ProviderError {
  constructor(
    message: string,
    retryable: boolean,
    status: number | null = null,
    retryAfterMs: number | null = null,
  ) {
    super(message, retryable, status, retryAfterMs);
    this.name = "SttError";
  }
}

/** Settings of the OpenAI-compatible client. */
export type SttSettings = {
  /** The full endpoint URL (`…/v1/audio/transcriptions`). */
  url: string;
  model: string;
  apiKey: string | null;
  language: string | null;
  /** `json` (every compatible server) or `verbose_json` (adds per-segment log-probabilities). */
  responseFormat: "json" | "verbose_json";
  /** Per-request timeout. */
  timeoutMs: number;
};

/** Why 30 s: a 20 s segment transcribes in a few seconds even on a CPU whisper server. */
export const DEFAULT_STT_TIMEOUT_MS = 30_000;

/**
 * Settings from the environment, or null when `STT_URL` is unset (transcription
 * off): `STT_URL` (a base ending in `/v1`, or the full
 * `/v1/audio/transcriptions` URL), `STT_MODEL` (default `whisper-1`),
 * `STT_API_KEY`, `STT_LANGUAGE`, `STT_RESPONSE_FORMAT` (`json` default or
 * `verbose_json`). Throws naming the variable when one is malformed.
 */
export function readSttConfig(env: Record<string, string | undefined>): SttSettings | null {
  const raw = env.STT_URL?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`STT_URL "${raw}" is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new Error("STT_URL must be http(s)");
  const base = raw.replace(/\/+$/, "");
  const url = base.endsWith("/audio/transcriptions") ? base : `${base}/audio/transcriptions`;
  const format = env.STT_RESPONSE_FORMAT?.trim() || "json";
  if (format !== "json" && format !== "verbose_json")
    throw new Error("STT_RESPONSE_FORMAT must be json or verbose_json");
  return {
    url,
    model: env.STT_MODEL?.trim() || "whisper-1",
    apiKey: env.STT_API_KEY?.trim() || null,
    language: env.STT_LANGUAGE?.trim() || null,
    responseFormat: format,
    timeoutMs: DEFAULT_STT_TIMEOUT_MS,
  };
}

function retryAfter(header: string | null): number | null {
  return retryAfterMs(header, Date.now());
}

/** Confidence from a `verbose_json` answer: mean of exp(avg_logprob) over segments. */
export function confidenceOf(body: unknown): number | null {
  const segments = (body as { segments?: unknown }).segments;
  if (!Array.isArray(segments) || segments.length === 0) return null;
  const probs = segments
    .map((s) => (s as { avg_logprob?: unknown }).avg_logprob)
    .filter((p): p is number => typeof p === "number" && Number.isFinite(p))
    .map((p) => Math.min(1, Math.max(0, Math.exp(p))));
  return probs.length === 0 ? null : probs.reduce((a, b) => a + b, 0) / probs.length;
}

/** The OpenAI-compatible client with `settings` (`fetchImpl` for tests; default global fetch). */
export function openAiCompatibleStt(
  settings: SttSettings,
  fetchImpl: typeof fetch = fetch,
): SpeechToTextProvider {
  return {
    name: `openai-compatible:${settings.model}`,
    async transcribe(segment) {
      const form = new FormData();
      form.append("file", new Blob([segment.audio], { type: segment.mimeType }), segment.fileName);
      form.append("model", settings.model);
      form.append("response_format", settings.responseFormat);
      if (settings.language) form.append("language", settings.language);
      const headers: Record<string, string> = {};
      if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), settings.timeoutMs);
      let res: Response;
      try {
        res = await fetchImpl(settings.url, {
          method: "POST",
          headers,
          body: form,
          signal: abort.signal,
        });
      } catch (e) {
        const why = abort.signal.aborted ? `timed out after ${settings.timeoutMs} ms` : String(e);
        throw new SttError(`speech-to-text request failed: ${why}`, true);
      } finally {
        clearTimeout(timer);
      }
      if (!res.ok) {
        const detail = (await res.text().catch(() => "")).slice(0, 200);
        const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
        throw new SttError(
          `speech-to-text answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`,
          retryable,
          res.status,
          retryAfter(res.headers.get("retry-after")),
        );
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new SttError("speech-to-text answer is not JSON", false, res.status);
      }
      const text = (body as { text?: unknown }).text;
      if (typeof text !== "string") throw new SttError("speech-to-text answer has no text", false);
      return { text: text.trim(), confidence: confidenceOf(body) };
    },
  };
}

/**
 * Why 4 tries over ~3.5 s of backoff (+ Retry-After up to 8 s): a rate-limited
 * or restarting provider recovers within seconds; longer waits would make the
 * transcript lag the call more than it helps.
 */
export const STT_RETRY: Omit<RetryPolicy, "sleep"> = { attempts: 4, baseMs: 500, maxMs: 8_000 };
