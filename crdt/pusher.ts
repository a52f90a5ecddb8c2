/**
 * The push side of the notes provider: the outbox state (pure functions of
 * `outbox.ts`) persisted through an `OutboxStore`, and the push loop — one
 * push in flight, in order, each batch merged once (a retry reuses it),
 * network failures retried with backoff, RATE_LIMITED after `retryAfterMs`,
 * any other refusal dropped for good (rules N4–N6 of `crdt/SPEC.md`).
 */
import {
  acknowledge,
  coveredClock,
  dropClient,
  emptyOutbox,
  enqueue,
  lastSeqOf,
  nextPush,
  type OutboxState,
  type PushBatch,
  pushUpdate,
  raiseSeq,
  restore,
  unsentClocks,
} from "./outbox";
import type { OutboxStore } from "./outboxStore";
import type { PushAnswer } from "./transport";
import { MAX_UPDATE_BYTES, toArrayBuffer } from "./updates";

/** Why 64: merged outbox pushes stay small and a refusal drops little at once. */
const MAX_MERGED_ENTRIES = 64;
/** Why: retry a failed push soon, but back off to 10 s so an outage is not hammered. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 10_000;

/** What the pusher needs from its provider. */
export type PusherHost = {
  /** True while pushes may go out. */
  live(): boolean;
  /** Make sure `clientId` is registered to the caller (before its first push). */
  register(clientId: number): Promise<void>;
  push(args: { clientId: number; clientSeq: number; update: ArrayBuffer }): Promise<PushAnswer>;
  /** A refusal or failure to show. */
  error(code: string, message: string): void;
  /** The loop stopped (the outbox may have emptied). */
  idle(): void;
};

/** The outbox and its push loop. */
export class Pusher {
  private outbox: OutboxState = emptyOutbox();
  /** The batch being pushed and its merged update (merged once, reused by retries). */
  private inFlight: { batch: PushBatch; update: Uint8Array } | null = null;
  private chain: Promise<void> = Promise.resolve();
  private loaded: Promise<void> | null = null;
  private pumping: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs = RETRY_MIN_MS;

  constructor(
    private readonly store: OutboxStore,
    private readonly host: PusherHost,
  ) {}

  /** A push is on its way or waits to be retried: later edits can wait and ride along. */
  get busy(): boolean {
    return this.pumping !== null || this.retryTimer !== null;
  }

  /** Entries not yet acknowledged. */
  get pending(): number {
    return this.outbox.entries.length;
  }

  /** Client ids of the entries, and every id this device authored with. */
  get clientIds(): { queued: Set<number>; own: number[] } {
    return {
      queued: new Set(this.outbox.entries.map((e) => e.clientId)),
      own: [...this.outbox.lastSeqs.keys()],
    };
  }

  /** Load the persisted outbox once (entries first, then anything queued meanwhile). */
  load(): Promise<void> {
    this.loaded ??= this.store.load().then((l) => {
      this.outbox = restore(this.outbox, l);
    });
    return this.loaded;
  }

  /** The last seq handed out for `clientId`. */
  lastSeqOf(clientId: number): number {
    return lastSeqOf(this.outbox, clientId);
  }

  /** Record `clientId` as this device's (before any edit is made with it). */
  claim(clientId: number): void {
    this.outbox = raiseSeq(this.outbox, clientId, 0);
    this.persist((s) => s.claim(clientId));
  }

  /** Forget a client id someone else holds. */
  forget(clientId: number): void {
    this.outbox = dropClient(this.outbox, clientId);
  }

  /** The server already stored `clientId` through `lastSeq`: drop those entries, seq on. */
  async serverHas(clientId: number, lastSeq: number): Promise<void> {
    if (lastSeq > 0) await this.acknowledge(clientId, lastSeq);
    this.outbox = raiseSeq(this.outbox, clientId, lastSeq);
  }

  /** Queue `update` under the next seq of `clientId` and persist it. */
  enqueue(clientId: number, update: Uint8Array): void {
    const { state, entry } = enqueue(this.outbox, clientId, update);
    this.outbox = state;
    this.persist((s) => s.append(entry));
  }

  /**
   * Own edits neither the server nor the outbox holds (see `unsentClocks`). The server's clocks
   * for own ids are kept as settled, so a later start without network counts only what is new.
   */
  unsent(own: Iterable<number>, local: Map<number, number>, server: Map<number, number>) {
    const ids = [...new Set(own)];
    for (const id of ids) {
      const clock = server.get(id) ?? 0;
      if (clock > 0) this.persist((s) => s.settle(id, clock));
    }
    return unsentClocks(this.outbox, ids, local, server);
  }

  /** Wait for the store, then until the outbox is empty (or the host is not live). */
  async drain(): Promise<void> {
    await this.chain;
    while (this.host.live() && this.outbox.entries.length > 0) {
      this.kick();
      if (this.pumping) await this.pumping;
      else await new Promise((r) => setTimeout(r, this.retryMs));
    }
  }

  /** Start the push loop unless it runs or waits to retry. */
  kick(): void {
    if (this.pumping || !this.host.live() || this.retryTimer) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      this.host.idle();
    });
  }

  /** Stop waiting to retry (going offline). */
  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Release the store once its pending writes are done. */
  close(): void {
    void this.chain.then(() => this.store.close());
  }

  private persist(op: (store: OutboxStore) => Promise<void>): void {
    this.chain = this.chain
      .then(() => op(this.store))
      .catch((e: unknown) => this.host.error("OUTBOX", message(e)));
  }

  private next(): { batch: PushBatch; update: Uint8Array } | null {
    const limits = { maxEntries: MAX_MERGED_ENTRIES, maxBytes: MAX_UPDATE_BYTES };
    const batch = nextPush(this.outbox, limits);
    if (!batch) return null;
    const f = this.inFlight;
    const same =
      f !== null &&
      f.batch.clientId === batch.clientId &&
      f.batch.through === batch.through &&
      f.batch.entries[0]!.seq === batch.entries[0]!.seq;
    if (!same) this.inFlight = { batch, update: pushUpdate(batch) };
    return this.inFlight;
  }

  private async pump(): Promise<void> {
    await this.chain;
    for (let next = this.next(); next && this.host.live(); next = this.next()) {
      const { batch, update } = next;
      let answer: PushAnswer;
      try {
        await this.host.register(batch.clientId);
        answer = await this.host.push({
          clientId: batch.clientId,
          clientSeq: batch.through,
          update: toArrayBuffer(update),
        });
      } catch (e) {
        this.host.error("NETWORK", message(e));
        this.retryLater();
        return;
      }
      if (!answer.ok) {
        this.host.error(answer.code, answer.message);
        if (answer.code === "RATE_LIMITED" || answer.code === "INTERNAL") {
          this.retryLater(answer.retryAfterMs);
          return;
        }
        // A permanent refusal (validation, access): these entries can never be stored.
      }
      this.retryMs = RETRY_MIN_MS;
      this.inFlight = null;
      await this.acknowledge(batch.clientId, batch.through);
    }
  }

  private async acknowledge(clientId: number, through: number): Promise<void> {
    // How far the acknowledged entries reach in the client's clock: settled from now on.
    const done = this.outbox.entries.filter((e) => e.clientId === clientId && e.seq <= through);
    const reached = coveredClock({ ...this.outbox, entries: done }, clientId);
    this.outbox = acknowledge(this.outbox, clientId, through);
    this.persist((s) => s.ack(clientId, through, reached > 0 ? reached : undefined));
    await this.chain;
  }

  private retryLater(afterMs?: number): void {
    const wait = afterMs ?? this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, wait);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
