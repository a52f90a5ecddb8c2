/**
 * Local edits waiting to join the outbox, and when they go (rule N17): a live provider with
 * no push in flight sends an edit at once; what is typed while a push is in flight (or
 * within {@link MIN_PUSH_INTERVAL_MS} of the last one) is folded into one entry; offline,
 * edits are folded for at most the coalescing window per entry.
 */

/**
 * The longest a local edit waits before it joins the outbox, when it cannot go at once
 * (a push is in flight, or the provider is offline). Why 250 ms: the design's bound.
 */
export const DEFAULT_COALESCE_MS = 250;
/**
 * Why 50 ms: the server refills `notes.push` at 20 a second per person (`convex/lib/rateLimits.ts`);
 * pushing sooner after the last push only earns RATE_LIMITED refusals. A person typing 10 keys/s
 * never waits for it; a burst (a paste, a fast typist) folds into one push per 50 ms.
 */
export const MIN_PUSH_INTERVAL_MS = 50;

/** The coalescing buffer of one provider. */
export class EditBuffer {
  private parts: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the buffer last became an outbox entry. */
  private lastFlushAt = 0;

  /** `onFlush` receives the folded updates (never empty) to put in the outbox. */
  constructor(
    private readonly coalesceMs: number,
    private readonly onFlush: (parts: Uint8Array[]) => void,
  ) {}

  /** Edits waiting. */
  get size(): number {
    return this.parts.length;
  }

  /** Keep a local update; call {@link sendOrFold} after. */
  add(update: Uint8Array): void {
    this.parts.push(update);
  }

  /**
   * Live, nothing in flight and the last push ≥ {@link MIN_PUSH_INTERVAL_MS} ago → send now.
   * Live but too soon → fold until the interval has passed. A push in flight → fold until it
   * returns (the provider calls this again when its push loop goes idle). Offline → fold for
   * at most the coalescing window.
   */
  sendOrFold(live: boolean, busy: boolean): void {
    if (this.parts.length === 0 || (live && busy)) return;
    const wait = live ? this.lastFlushAt + MIN_PUSH_INTERVAL_MS - Date.now() : this.coalesceMs;
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), Math.min(wait, this.coalesceMs));
  }

  /** Hand everything waiting to the outbox now. */
  flush(): void {
    this.cancel();
    if (this.parts.length === 0) return;
    this.lastFlushAt = Date.now();
    const parts = this.parts;
    this.parts = [];
    this.onFlush(parts);
  }

  /** Drop the pending timer (the edits stay until the next flush). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
