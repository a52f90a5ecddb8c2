/**
 * The embeddings provider seam. A provider turns profile texts into vectors
 * of a fixed length; it runs in actions only (never in a query or mutation).
 * The default is the local deterministic provider (`localHashed.ts`, no
 * network); an OpenAI-compatible `/v1/embeddings` client (`openAi.ts`) is
 * selected by configuration. Vectors of different model keys are never
 * compared: each key has its own rows and the index is searched per key.
 */

/**
 * Why 256: the Convex vector index has one fixed dimension; 256 keeps each
 * `embeddings` row ≈ 2 KiB, is enough for hashed lemma features of a profile,
 * and OpenAI's `text-embedding-3-*` models return it when asked
 * (`dimensions: 256`). Changing it means a new table/index, not a backfill.
 */
export const EMBEDDING_DIMENSIONS = 256;

/** A provider of embeddings. Deterministic providers make retries idempotent. */
export interface EmbeddingProvider {
  /** Identifies the vector space: provider, model and version (e.g. `local-hash@v1`). */
  readonly modelKey: string;
  readonly dimensions: number;
  /** One vector per text, in order, each of `dimensions` finite numbers. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** A provider failure; `retryable` for rate limits, server errors and timeouts. */
export class EmbeddingProviderError extends Error {
  readonly retryable: boolean;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  constructor(
    message: string,
    options: { retryable: boolean; status?: number | null; retryAfterMs?: number | null },
  ) {
    super(message);
    this.name = "EmbeddingProviderError";
    this.retryable = options.retryable;
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** Scale `v` to unit length (a zero vector stays zero). */
export function normalizeVector(v: number[]): number[] {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  return norm > 0 ? v.map((x) => x / norm) : v;
}

/** Cosine similarity of two vectors of equal length (0 when either is zero). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
