/**
 * Local edits waiting to join the outbox, and when they go (rule N17): a live provider with
 * no push in flight sends an edit at once while its push budget (a token bucket shaped like
 * the server's `notes.push` limit) holds a push; what is typed while a push is in flight, or
 * once the budget is spent, is folded into one entry; offline, edits are folded for at most
 * the coalescing window per entry.
 */

/**
 * The longest a local edit waits before it joins the outbox, when it cannot go at once
 * (a push is in flight, or the provider is offline). Why 250 ms: the design's bound.
 */
export const DEFAULT_COALESCE_MS = 250;
/**
 * The server's per-person `notes.push` limit (`convex/lib/rateLimits.ts` reads it from here):
 * a token bucket refilled at 20 pushes a second holding up to 200. Why: 20/s keeps one person's
 * writes bounded; 200 lets an offline outbox drain on reconnect without being refused.
 */
export const NOTE_PUSH_LIMIT = { ratePerSec: 20, capacity: 200 } as const;
/**
 * The burst one provider spends before it paces its pushes at the server's rate. Why 20 (a
 * tenth of the server's bucket): a fast typist's bursts and a paste go at once, and the
 * person's other tabs and an outbox drain still find the server's bucket nearly full.
 */
export const CLIENT_PUSH_BURST = 20;
/** The pause between pushes once the burst is spent (the server's refill period): 50 ms. */
export const MIN_PUSH_INTERVAL_MS = 1000 / NOTE_PUSH_LIMIT.ratePerSec;

/** The coalescing buffer of one provider. */
export class EditBuffer {
  private parts: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Pushes this provider may send now without outrunning the server's refill. */
  private tokens = CLIENT_PUSH_BURST;
  private refilledAt = Date.now();

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
   * Live, nothing in flight and a push in the budget → send now. Live but the budget spent →
   * fold until it holds a push again. A push in flight → fold until it returns (the provider
   * calls this again when its push loop goes idle). Offline → fold for at most the coalescing
   * window.
   */
  sendOrFold(live: boolean, busy: boolean): void {
    if (this.parts.length === 0 || (live && busy)) return;
    let wait = this.coalesceMs;
    if (live) {
      this.refill();
      if (this.tokens >= 1) {
        this.flush();
        return;
      }
      wait = Math.ceil((1 - this.tokens) * MIN_PUSH_INTERVAL_MS);
    }
    this.timer ??= setTimeout(() => this.flush(), Math.min(wait, this.coalesceMs));
  }

  /** Hand everything waiting to the outbox now (one push of the budget). */
  flush(): void {
    this.cancel();
    if (this.parts.length === 0) return;
    this.refill();
    this.tokens -= 1;
    const parts = this.parts;
    this.parts = [];
    this.onFlush(parts);
  }

  private refill(): void {
    const now = Date.now();
    const earned = ((now - this.refilledAt) * NOTE_PUSH_LIMIT.ratePerSec) / 1000;
    this.tokens = Math.min(CLIENT_PUSH_BURST, this.tokens + earned);
    this.refilledAt = now;
  }

  /** Drop the pending timer (the edits stay until the next flush). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
