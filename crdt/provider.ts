/**
 * The notes provider: `{ doc, awareness }` for TipTap, synced through a
 * {@link NotesTransport}. States and protocol: see `crdt/README.md`.
 *
 * - Local updates are coalesced (≤ `coalesceMs`, at most 250 ms), appended to
 *   the outbox with `(clientId, seq)` and pushed in order, one call in flight.
 * - Remote updates (the pull subscription) are applied with the provider as
 *   origin, so they are never pushed back (no echo).
 * - A fresh doc bootstraps; a doc with state (restored from IndexedDB, or
 *   after a long wait on a missing dependency) resyncs by state vector.
 * - Updates parked in `doc.store.pendingStructs` longer than
 *   `pendingTimeoutMs` force a resync.
 */
import { ObservableV2 } from "lib0/observable";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { MemoryOutbox, type OutboxEntry, type OutboxStore } from "./outbox";
import type { NoteCursor, NotesTransport, PullAnswer, Unsubscribe } from "./transport";
import { encodeStateVector, hasPending, MAX_UPDATE_BYTES, toArrayBuffer } from "./updates";

/** Why 250 ms: the design's bound; enough to fold a burst of keystrokes into one row. */
export const DEFAULT_COALESCE_MS = 250;
/** Why 5 s: offline reordering resolves within a pull round trip; longer means a lost update. */
export const DEFAULT_PENDING_TIMEOUT_MS = 5000;
/** Why 64: merged outbox pushes stay small and a refusal drops little at once. */
const MAX_MERGED_ENTRIES = 64;
/** Why: retry a failed push soon, but back off to 10 s so an outage is not hammered. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 10_000;

/** Connection state of a provider. */
export type ProviderStatus = "idle" | "connecting" | "live" | "offline" | "closed";

/** Events of a provider (lib0 Observable). */
export type ProviderEvents = {
  status: (status: ProviderStatus) => void;
  synced: (synced: boolean) => void;
  /** A refusal or failure the app should show (the provider keeps going). */
  error: (error: { code: string; message: string }) => void;
  /** A forced resync happened, and why. */
  resync: (reason: "pending-timeout" | "reconnect") => void;
};

/** Options of {@link NotesProvider}. */
export type NotesProviderOptions<M extends string> = {
  meetingId: M;
  transport: NotesTransport<M>;
  doc?: Y.Doc;
  awareness?: Awareness;
  /** Where unacknowledged updates live (default: memory; IndexedDbOutbox in browsers). */
  outbox?: OutboxStore;
  /** Coalescing window, clamped to ≤ 250 ms. */
  coalesceMs?: number;
  pendingTimeoutMs?: number;
  /** Origins of updates that are not local edits (e.g. a y-indexeddb persistence). */
  ignoreOrigins?: unknown[];
};

/** Keeps one Y.Doc in sync with a meeting's notes on the server. */
export class NotesProvider<M extends string = string> extends ObservableV2<ProviderEvents> {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly meetingId: M;
  status: ProviderStatus = "idle";
  /** True once the server state is applied and nothing local is unacknowledged. */
  synced = false;

  private readonly transport: NotesTransport<M>;
  private readonly outbox: OutboxStore;
  private readonly coalesceMs: number;
  private readonly pendingTimeoutMs: number;
  private readonly ignore: Set<unknown>;
  private buffer: Uint8Array[] = [];
  private bufferTimer: ReturnType<typeof setTimeout> | null = null;
  private queue: OutboxEntry[] = [];
  private lastSeqs = new Map<number, number>();
  private loaded: Promise<void> | null = null;
  private pumping: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs = RETRY_MIN_MS;
  private cursor: NoteCursor | null = null;
  private unsubscribe: Unsubscribe | null = null;
  private bootstrapped = false;
  private pendingTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly registered = new Set<number>();
  private appendChain: Promise<void> = Promise.resolve();

  /** Create a provider; call {@link connect} to start syncing. */
  constructor(options: NotesProviderOptions<M>) {
    super();
    this.meetingId = options.meetingId;
    this.transport = options.transport;
    this.doc = options.doc ?? new Y.Doc();
    this.awareness = options.awareness ?? new Awareness(this.doc);
    this.outbox = options.outbox ?? new MemoryOutbox();
    this.coalesceMs = Math.min(options.coalesceMs ?? DEFAULT_COALESCE_MS, DEFAULT_COALESCE_MS);
    this.pendingTimeoutMs = options.pendingTimeoutMs ?? DEFAULT_PENDING_TIMEOUT_MS;
    this.ignore = new Set<unknown>([this, ...(options.ignoreOrigins ?? [])]);
    this.doc.on("update", this.onDocUpdate);
    this.claimClientId();
  }

  /** Record the doc's client id as this device's before any edit can be made with it. */
  private claimClientId(): void {
    const id = this.doc.clientID;
    if (!this.lastSeqs.has(id)) this.lastSeqs.set(id, 0);
    this.appendChain = this.appendChain
      .then(() => this.outbox.claim(id))
      .catch((e: unknown) => this.report("OUTBOX", e));
  }

  /** The last seq handed out for `clientId` (the server's after a completed {@link flush}). */
  lastSeqOf(clientId: number): number {
    return this.lastSeqs.get(clientId) ?? 0;
  }

  /** True while local edits are not yet acknowledged by the server. */
  get hasUnsyncedChanges(): boolean {
    return this.buffer.length > 0 || this.queue.length > 0;
  }

  /** Go online: load the outbox, register, bootstrap or resync, subscribe, push. */
  async connect(): Promise<void> {
    if (this.status === "closed") throw new Error("this provider was destroyed");
    if (this.status === "connecting" || this.status === "live") return;
    this.setStatus("connecting");
    try {
      this.loaded ??= this.loadOutbox();
      await this.loaded;
      await this.register(this.doc.clientID);
      for (const id of new Set(this.queue.map((e) => e.clientId))) await this.register(id);
      const hasState = this.doc.store.clients.size > 0;
      if (hasState || this.bootstrapped) await this.resync("reconnect");
      else await this.bootstrap();
      // disconnect() may have run while we awaited.
      if ((this.status as ProviderStatus) !== "connecting") return;
      this.setStatus("live");
      this.subscribe();
      this.kick();
    } catch (e) {
      this.report("NETWORK", e);
      this.setStatus("offline");
    }
  }

  /** Go offline: stop the subscription and pushes; local edits keep queueing. */
  disconnect(): void {
    if (this.status === "closed") return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setStatus("offline");
    this.updateSynced();
  }

  /** Push whatever is buffered now and wait until the outbox is empty (or offline). */
  async flush(): Promise<void> {
    this.flushBuffer();
    await this.appendChain;
    while (this.status === "live" && this.queue.length > 0) {
      this.kick();
      if (this.pumping) await this.pumping;
      else await new Promise((r) => setTimeout(r, this.retryMs));
    }
  }

  /** Stop everything and release the outbox (the doc is left to its owner). */
  override destroy(): void {
    this.disconnect();
    this.flushBuffer();
    if (this.bufferTimer) clearTimeout(this.bufferTimer);
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.doc.off("update", this.onDocUpdate);
    this.setStatus("closed");
    void this.appendChain.then(() => this.outbox.close());
    super.destroy();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.ignore.has(origin)) return;
    this.buffer.push(update);
    this.updateSynced();
    if (!this.bufferTimer) {
      this.bufferTimer = setTimeout(() => this.flushBuffer(), this.coalesceMs);
    }
  };

  /** Move the coalescing buffer into the outbox as one entry (or a few, when large). */
  private flushBuffer(): void {
    if (this.bufferTimer) clearTimeout(this.bufferTimer);
    this.bufferTimer = null;
    if (this.buffer.length === 0) return;
    const parts = this.buffer;
    this.buffer = [];
    const merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    const chunks = merged.byteLength <= MAX_UPDATE_BYTES ? [merged] : parts;
    for (const update of chunks) this.enqueue(this.doc.clientID, update);
    this.kick();
  }

  /** Give `update` the next seq of `clientId` and persist it in the outbox. */
  private enqueue(clientId: number, update: Uint8Array): void {
    const seq = (this.lastSeqs.get(clientId) ?? 0) + 1;
    this.lastSeqs.set(clientId, seq);
    const entry = { clientId, seq, update };
    this.queue.push(entry);
    this.appendChain = this.appendChain
      .then(() => this.outbox.append(entry))
      .catch((e: unknown) => this.report("OUTBOX", e));
  }

  private async loadOutbox(): Promise<void> {
    const { entries, lastSeqs } = await this.outbox.load();
    this.queue = [...entries, ...this.queue];
    for (const [id, seq] of lastSeqs) {
      this.lastSeqs.set(id, Math.max(seq, this.lastSeqs.get(id) ?? 0));
    }
  }

  private async register(clientId: number): Promise<void> {
    if (this.registered.has(clientId)) return;
    const answer = await this.transport.registerClient({ meetingId: this.meetingId, clientId });
    if (!answer.ok) {
      this.emit("error", [{ code: answer.code, message: answer.message }]);
      if (answer.code === "CONFLICT" && clientId === this.doc.clientID && !this.ownsStructs()) {
        // Someone else holds this random id: take another before authoring anything.
        this.lastSeqs.delete(clientId);
        this.doc.clientID = Math.floor(Math.random() * 0xffffffff);
        this.claimClientId();
        return this.register(this.doc.clientID);
      }
      return;
    }
    this.registered.add(clientId);
    // Entries the server already stored (their acknowledgement was lost) are done.
    if (answer.lastSeq > 0) await this.acknowledge(clientId, answer.lastSeq);
    this.lastSeqs.set(clientId, Math.max(answer.lastSeq, this.lastSeqs.get(clientId) ?? 0));
  }

  private ownsStructs(): boolean {
    return this.doc.store.clients.has(this.doc.clientID);
  }

  private async bootstrap(): Promise<void> {
    const answer = await this.transport.bootstrap({ meetingId: this.meetingId });
    if (!answer.ok) throw Object.assign(new Error(answer.message), { code: answer.code });
    this.applyState(answer);
    await this.recoverUnsent(Y.decodeStateVector(new Uint8Array(answer.stateVector)));
  }

  private async resync(reason: "pending-timeout" | "reconnect"): Promise<void> {
    const stateVector = toArrayBuffer(Y.encodeStateVector(this.doc));
    const answer = await this.transport.resync({ meetingId: this.meetingId, stateVector });
    if (!answer.ok) throw Object.assign(new Error(answer.message), { code: answer.code });
    this.emit("resync", [reason]);
    const before = this.cursor?.ts;
    this.applyState(answer);
    // A live subscription still reads after the old cursor; follow the new one.
    if (this.status === "live" && this.cursor?.ts !== before) this.subscribe();
    await this.recoverUnsent(Y.decodeStateVector(new Uint8Array(answer.stateVector)));
    this.kick();
  }

  private applyState(answer: {
    update: ArrayBuffer;
    stateVector: ArrayBuffer;
    encoding: "v1" | "v2";
    cursor: NoteCursor | null;
  }): void {
    const update = new Uint8Array(answer.update);
    // V2 only ever comes from the server's own validated snapshots.
    if (answer.encoding === "v2") Y.applyUpdateV2(this.doc, update, this);
    else Y.applyUpdate(this.doc, update, this);
    if (answer.cursor && (!this.cursor || answer.cursor.ts > this.cursor.ts)) {
      this.cursor = answer.cursor;
    }
    this.bootstrapped = true;
    this.checkPending();
    this.updateSynced();
  }

  /**
   * The outbox is an optimisation; the state vectors are the truth. Edits this
   * device authored that the server lacks and no outbox entry covers (e.g. the
   * doc was persisted but the tab died inside the coalescing window) become a
   * new outbox entry under their own client id.
   */
  private async recoverUnsent(server: Map<number, number>): Promise<void> {
    this.flushBuffer();
    // Pending structs of other clients would ride along in the diff; wait for the resync.
    if (hasPending(this.doc)) return;
    const localClocks = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    const own = new Set<number>([this.doc.clientID, ...this.lastSeqs.keys()]);
    for (const id of own) {
      const mine = localClocks.get(id) ?? 0;
      let covered = server.get(id) ?? 0;
      for (const e of this.queue) {
        if (e.clientId === id)
          covered = Math.max(covered, Y.parseUpdateMeta(e.update).to.get(id) ?? 0);
      }
      if (mine <= covered) continue;
      // Learn the server's last seq for this id first, so the new entry's seq is fresh.
      await this.register(id);
      // Every other client counts as known, so the diff holds only `id`'s structs.
      const known = new Map(localClocks);
      known.set(id, covered);
      this.enqueue(id, Y.encodeStateAsUpdate(this.doc, encodeStateVector(known)));
    }
  }

  private subscribe(): void {
    this.unsubscribe?.();
    const after = this.cursor;
    this.unsubscribe = this.transport.subscribePull(
      { meetingId: this.meetingId, after },
      (answer) => this.onPull(after, answer),
      (error) => {
        this.report("NETWORK", error);
        this.disconnect();
      },
    );
  }

  private onPull(after: NoteCursor | null, answer: PullAnswer): void {
    if (this.status !== "live") return;
    if (!answer.ok) {
      this.emit("error", [{ code: answer.code, message: answer.message }]);
      if (answer.code === "FORBIDDEN" || answer.code === "NOT_FOUND") this.disconnect();
      return;
    }
    // Ignore answers of a superseded subscription.
    if ((after?.ts ?? -1n) !== (this.cursor?.ts ?? -1n)) return;
    const fresh = answer.updates.filter((u) => !this.cursor || u.ts > this.cursor.ts);
    if (fresh.length > 0) {
      this.doc.transact(() => {
        for (const u of fresh) Y.applyUpdate(this.doc, new Uint8Array(u.update), this);
      }, this);
    }
    if (answer.cursor && (!this.cursor || answer.cursor.ts > this.cursor.ts)) {
      this.cursor = answer.cursor;
      this.subscribe();
    }
    this.checkPending();
    this.updateSynced();
  }

  /** Watch structs parked on a missing dependency; resync when they wait too long. */
  private checkPending(): void {
    if (!hasPending(this.doc)) {
      if (this.pendingTimer) clearTimeout(this.pendingTimer);
      this.pendingTimer = null;
      return;
    }
    if (this.pendingTimer) return;
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = null;
      if (!hasPending(this.doc) || this.status !== "live") return;
      this.resync("pending-timeout").then(
        () => this.checkPending(),
        (e: unknown) => this.report("NETWORK", e),
      );
    }, this.pendingTimeoutMs);
  }

  /** Start the push loop unless it runs (one push in flight, in order). */
  private kick(): void {
    if (this.pumping || this.status !== "live" || this.retryTimer) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      this.updateSynced();
    });
  }

  private async pump(): Promise<void> {
    await this.appendChain;
    while (this.status === "live" && this.queue.length > 0) {
      const first = this.queue[0]!;
      const batch = [first];
      let bytes = first.update.byteLength;
      for (const e of this.queue.slice(1, MAX_MERGED_ENTRIES)) {
        if (e.clientId !== first.clientId || bytes + e.update.byteLength > MAX_UPDATE_BYTES) break;
        batch.push(e);
        bytes += e.update.byteLength;
      }
      const last = batch[batch.length - 1]!;
      const update = batch.length === 1 ? first.update : Y.mergeUpdates(batch.map((e) => e.update));
      let answer: Awaited<ReturnType<NotesTransport<M>["push"]>>;
      try {
        await this.register(first.clientId);
        answer = await this.transport.push({
          meetingId: this.meetingId,
          clientId: first.clientId,
          clientSeq: last.seq,
          update: toArrayBuffer(update),
        });
      } catch (e) {
        this.report("NETWORK", e);
        this.retryLater();
        return;
      }
      if (!answer.ok) {
        this.emit("error", [{ code: answer.code, message: answer.message }]);
        if (answer.code === "RATE_LIMITED" || answer.code === "INTERNAL") {
          this.retryLater(answer.retryAfterMs);
          return;
        }
        // A permanent refusal (validation, access): these entries can never be stored.
      }
      this.retryMs = RETRY_MIN_MS;
      await this.acknowledge(first.clientId, last.seq);
    }
  }

  private async acknowledge(clientId: number, through: number): Promise<void> {
    this.queue = this.queue.filter((e) => e.clientId !== clientId || e.seq > through);
    this.appendChain = this.appendChain
      .then(() => this.outbox.ack(clientId, through))
      .catch((e: unknown) => this.report("OUTBOX", e));
    await this.appendChain;
  }

  private retryLater(afterMs?: number): void {
    const wait = afterMs ?? this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, wait);
  }

  private updateSynced(): void {
    const synced = this.status === "live" && this.bootstrapped && !this.hasUnsyncedChanges;
    if (synced !== this.synced) {
      this.synced = synced;
      this.emit("synced", [synced]);
    }
  }

  private setStatus(status: ProviderStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit("status", [status]);
  }

  private report(code: string, e: unknown): void {
    this.emit("error", [{ code, message: e instanceof Error ? e.message : String(e) }]);
  }
}
