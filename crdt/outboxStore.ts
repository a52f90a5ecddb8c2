/**
 * Where the outbox lives: the local updates not yet acknowledged by the
 * server, in order, with the per-client sequence numbers that make pushes
 * idempotent. Two stores: in memory (tests, no persistence) and IndexedDB
 * (`indexedDbOutbox.ts`; browsers, `fake-indexeddb` in Node tests), so
 * nothing typed offline is lost on reload. Both pass one contract suite
 * (`outboxStore.test.ts`). What to push and when is decided by the pure
 * functions of `outbox.ts`.
 */
import type { OutboxEntry } from "./outbox";

/** Where the outbox lives. Calls are serialized by the provider. */
export interface OutboxStore {
  /**
   * Entries in push order, the last seq handed out per client id, and per client id the clock
   * through which its edits are settled (stored by the server or refused for good).
   */
  load(): Promise<{
    entries: OutboxEntry[];
    lastSeqs: Map<number, number>;
    settled: Map<number, number>;
  }>;
  /** Persist a new entry (its seq becomes the client's last seq). */
  append(entry: OutboxEntry): Promise<void>;
  /**
   * Drop every entry of `clientId` with `seq <= through` (acknowledged) and, in the same write,
   * raise its settled clock to `settledClock` when given (see {@link settle}).
   */
  ack(clientId: number, through: number, settledClock?: number): Promise<void>;
  /**
   * Remember that this device authors with `clientId` (last seq 0 if new), so
   * edits persisted in the doc but never appended can be recovered after a crash.
   */
  claim(clientId: number): Promise<void>;
  /**
   * The server holds (or refused for good) `clientId`'s edits below `clock`: kept as the highest
   * such clock, so what was typed offline can be counted before the server answers again.
   */
  settle(clientId: number, clock: number): Promise<void>;
  close(): void;
}

/** An outbox in memory only (lost on restart). */
export class MemoryOutbox implements OutboxStore {
  private entries: OutboxEntry[] = [];
  private readonly lastSeqs = new Map<number, number>();
  private readonly settled = new Map<number, number>();
  /** Load the (in-memory) contents. */
  async load() {
    return {
      entries: [...this.entries],
      lastSeqs: new Map(this.lastSeqs),
      settled: new Map(this.settled),
    };
  }
  /** Add one entry. */
  async append(entry: OutboxEntry) {
    this.entries.push(entry);
    this.lastSeqs.set(entry.clientId, entry.seq);
  }
  /** Drop acknowledged entries. */
  async ack(clientId: number, through: number, settledClock?: number) {
    this.entries = this.entries.filter((e) => e.clientId !== clientId || e.seq > through);
    if (settledClock !== undefined) await this.settle(clientId, settledClock);
  }
  /** Remember an authoring client id. */
  async claim(clientId: number) {
    if (!this.lastSeqs.has(clientId)) this.lastSeqs.set(clientId, 0);
  }
  /** Raise a client's settled clock. */
  async settle(clientId: number, clock: number) {
    this.settled.set(clientId, Math.max(clock, this.settled.get(clientId) ?? 0));
  }
  /** Nothing to release. */
  close() {}
}
