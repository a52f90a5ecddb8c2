/**
 * An OpenAI-compatible embeddings client (`POST <base>/v1/embeddings`, the
 * request and answer of OpenAI's API, which most hosted and self-hosted
 * embedding servers also speak). Uses `fetch`, so it runs in a Convex action
 * without "use node". Selected by configuration (`convex/embeddings/config.ts`).
 *
 * Request: `{model, input: string[], dimensions, encoding_format: "float"}`
 * with `Authorization: Bearer <key>`. Answer: `{data: [{index, embedding}]}`,
 * validated (one vector per input, by index, `dimensions` finite numbers).
 * Failures: 429 and 5xx are retried with back-off (honouring `Retry-After` /
 * `retry-after-ms`, capped), as are network errors and timeouts; other 4xx
 * fail at once. After the last attempt an {@link EmbeddingProviderError}
 * says whether a later retry may help.
 */
import { EMBEDDING_DIMENSIONS, type EmbeddingProvider, EmbeddingProviderError } from "./provider";

/** Settings of the client. */
export type OpenAiEmbeddingSettings = {
  /** API base, e.g. `https://api.openai.com` (a trailing `/v1` is accepted). */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Changes the model key: bump it to re-embed everything with the same model. */
  version?: string;
  dimensions?: number;
  /** Per request. */
  timeoutMs?: number;
  /** Attempts per request (1 = no retry). */
  maxAttempts?: number;
  /** Base back-off; doubles per attempt. */
  backoffMs?: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
};

/** Why 64: OpenAI accepts up to 2,048 inputs, but a batch of profiles this size stays far below its token cap. */
export const MAX_INPUTS_PER_REQUEST = 64;
/** Why 10 s: an embeddings call answers in well under a second; 10 s means it is stuck. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Why 3: rides out a blip or a short rate-limit window; the caller retries later beyond that. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Why 20 s: a longer Retry-After is better served by the caller's own later retry. */
export const MAX_RETRY_WAIT_MS = 20_000;

/** The URL the client posts to for a base URL. */
export function embeddingsUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return base.endsWith("/v1") ? `${base}/embeddings` : `${base}/v1/embeddings`;
}

/** The model key of a configuration: `openai:<model>@<dimensions>[-<version>]`. */
export function openAiModelKey(
  s: Pick<OpenAiEmbeddingSettings, "model" | "version" | "dimensions">,
) {
  const dims = s.dimensions ?? EMBEDDING_DIMENSIONS;
  return `openai:${s.model}@${dims}${s.version ? `-${s.version}` : ""}`;
}

function retryAfter(res: Response): number | null {
  const ms = Number(res.headers.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const s = Number(res.headers.get("retry-after"));
  if (Number.isFinite(s) && s > 0) return s * 1000;
  return null;
}

/** Validate an answer into vectors in input order. */
export function parseEmbeddings(body: unknown, inputs: number, dimensions: number): number[][] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error("answer has no data array");
  if (data.length !== inputs)
    throw new Error(`answer has ${data.length} vectors for ${inputs} inputs`);
  const out: (number[] | undefined)[] = new Array(inputs);
  for (const [i, item] of data.entries()) {
    const o = (item ?? {}) as { index?: unknown; embedding?: unknown };
    const index = typeof o.index === "number" ? o.index : i;
    if (!Number.isInteger(index) || index < 0 || index >= inputs || out[index])
      throw new Error(`answer has a bad or repeated index ${String(o.index)}`);
    const v = o.embedding;
    if (!Array.isArray(v) || v.length !== dimensions)
      throw new Error(
        `vector ${index} has ${Array.isArray(v) ? v.length : "no"} dimensions, expected ${dimensions}`,
      );
    if (!v.every((x) => typeof x === "number" && Number.isFinite(x)))
      throw new Error(`vector ${index} holds a non-finite number`);
    out[index] = v as number[];
  }
  return out as number[][];
}

/** The OpenAI-compatible provider for `settings`. */
export function openAiEmbeddingProvider(settings: OpenAiEmbeddingSettings): EmbeddingProvider {
  const dimensions = settings.dimensions ?? EMBEDDING_DIMENSIONS;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempts = Math.max(1, settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const backoff = settings.backoffMs ?? 500;
  const doFetch = settings.fetch ?? fetch;
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const url = embeddingsUrl(settings.baseUrl);

  async function once(input: readonly string[]): Promise<number[][]> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    try {
      res = await doFetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${settings.apiKey}`,
        },
        body: JSON.stringify({
          model: settings.model,
          input,
          dimensions,
          encoding_format: "float",
        }),
        signal: controller.signal,
      });
    } catch (e) {
      const timedOut = controller.signal.aborted;
      throw new EmbeddingProviderError(
        timedOut
          ? `embeddings endpoint did not answer within ${timeoutMs} ms`
          : `embeddings endpoint unreachable: ${e instanceof Error ? e.message : String(e)}`,
        { retryable: true },
      );
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => "")).slice(0, 200);
      throw new EmbeddingProviderError(`embeddings endpoint answered HTTP ${res.status}: ${text}`, {
        retryable: res.status === 429 || res.status >= 500,
        status: res.status,
        retryAfterMs: retryAfter(res),
      });
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new EmbeddingProviderError("embeddings answer is not JSON", { retryable: true });
    }
    try {
      return parseEmbeddings(body, input.length, dimensions);
    } catch (e) {
      throw new EmbeddingProviderError(
        `embeddings answer is malformed: ${e instanceof Error ? e.message : String(e)}`,
        { retryable: false },
      );
    }
  }

  async function withRetry(input: readonly string[]): Promise<number[][]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(input);
      } catch (e) {
        if (!(e instanceof EmbeddingProviderError) || !e.retryable || attempt >= attempts) throw e;
        const wait = Math.min(MAX_RETRY_WAIT_MS, e.retryAfterMs ?? backoff * 2 ** (attempt - 1));
        await sleep(wait);
      }
    }
  }

  return {
    modelKey: openAiModelKey(settings),
    dimensions,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += MAX_INPUTS_PER_REQUEST) {
        out.push(...(await withRetry(texts.slice(i, i + MAX_INPUTS_PER_REQUEST))));
      }
      return out;
    },
  };
}
