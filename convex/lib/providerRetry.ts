/**
 * Retries for calls to outside providers (speech-to-text, mail): a provider
 * failure says whether it is worth retrying (429, 408, 5xx, timeouts, network
 * errors) and may carry the server's `Retry-After`; {@link withRetries} backs
 * off exponentially and honours it. Web APIs only (runs in Convex's runtime).
 */

/** A provider failure; `retryable` for 429, 408, 5xx, timeouts and network errors. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** Whether an HTTP status is worth retrying. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** A `Retry-After` header (seconds or an HTTP date) in milliseconds, or null. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (header.trim() !== "" && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/** Retry policy of {@link withRetries}. */
export type RetryPolicy = {
  /** Tries in all (the first included). */
  attempts: number;
  /** Backoff before try n+1: `baseMs * 2^(n-1)`, capped at `maxMs`, or the server's Retry-After. */
  baseMs: number;
  maxMs: number;
  sleep: (ms: number) => Promise<void>;
};

/** Run `fn`, retrying retryable {@link ProviderError}s per `policy`; other errors pass through. */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (e) {
      if (!(e instanceof ProviderError) || !e.retryable || attempt >= policy.attempts) throw e;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      await policy.sleep(Math.min(policy.maxMs, e.retryAfterMs ?? backoff));
    }
  }
}
