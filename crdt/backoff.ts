/**
 * One retry timer with exponential backoff: the provider's reconnect after a
 * failed connect or subscription. A plain timer: nothing in the dependencies
 * does this for a browser and Node alike without pulling in a framework.
 */

/** Why 500 ms: a transient server error usually clears within a round trip or two. */
export const RETRY_MIN_MS = 500;
/** Why 30 s: an outage should not be hammered; a returning network is caught by N9 anyway. */
export const RETRY_MAX_MS = 30_000;

/** Schedules at most one pending retry; each scheduled retry waits twice the last. */
export class Backoff {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly minMs = RETRY_MIN_MS,
    private readonly maxMs = RETRY_MAX_MS,
  ) {}

  /** Run `fn` after the next delay, unless a retry is already pending. */
  schedule(fn: () => void): void {
    if (this.timer) return;
    const ms = Math.min(this.maxMs, this.minMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    this.timer = setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  /** After a success: the next failure starts again from the shortest delay. */
  reset(): void {
    this.attempt = 0;
  }

  /** Drop the pending retry. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
