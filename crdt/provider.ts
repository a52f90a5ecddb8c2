/**
 * The notes provider: `{ doc, awareness }` for TipTap, synced through a
 * {@link NotesTransport}. States and protocol: `crdt/README.md`; rules (N1…)
 * in `crdt/SPEC.md`. Pushing is `pusher.ts` over the pure `outbox.ts`; this
 * class holds the connection, the pull side, the coalescing window and timers.
 */
import { ObservableV2 } from "lib0/observable";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { Backoff } from "./backoff";
import { DEFAULT_COALESCE_MS, EditBuffer } from "./editBuffer";
import { windowUpdates } from "./outbox";
import { MemoryOutbox } from "./outboxStore";
import type {
  NotesProviderOptions,
  ProviderEvents,
  ProviderStatus,
  ResyncReason,
  SyncState,
} from "./providerTypes";
import { alignedCursor, followAnswer } from "./pullPolicy";
import { Pusher } from "./pusher";
import type { NoteCursor, NotesTransport, PullAnswer, Unsubscribe } from "./transport";
import { encodeStateVector, hasPending, MAX_UPDATE_BYTES, toArrayBuffer } from "./updates";

export { CLIENT_PUSH_BURST, DEFAULT_COALESCE_MS, MIN_PUSH_INTERVAL_MS } from "./editBuffer";
/** Why 5 s: offline reordering resolves within a pull round trip; longer means a lost update. */
export const DEFAULT_PENDING_TIMEOUT_MS = 5000;

export type {
  NotesProviderOptions,
  ProviderEvents,
  ProviderStatus,
  ResyncReason,
  SyncState,
} from "./providerTypes";

/** Keeps one Y.Doc in sync with a meeting's notes on the server. */
export class NotesProvider<M extends string = string> extends ObservableV2<ProviderEvents> {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly meetingId: M;
  status: ProviderStatus = "idle";
  /** True once the server state is applied and nothing local is unacknowledged. */
  synced = false;

  private readonly transport: NotesTransport<M>;
  private readonly pusher: Pusher;
  private readonly pendingTimeoutMs: number;
  private readonly ignore: Set<unknown>;
  /** Local edits not yet in the outbox (N17). */
  private readonly edits: EditBuffer;
  private cursor: NoteCursor | null = null;
  private subscribed: NoteCursor | null = null; // the pull's `after`: aligned, ≤ cursor
  private unsubscribe: Unsubscribe | null = null;
  /** The live pull subscription's token: answers of any other (superseded) one are ignored. */
  private pullToken: object | null = null;
  private stopConnection: Unsubscribe | null = null;
  /** connect() was called and disconnect() was not: reconnect when the transport returns. */
  private wanted = false;
  private bootstrapped = false;
  private pendingTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly registered = new Set<number>();
  private unsyncedEdits = 0;
  private lastSync = "";
  /** Reconnect attempts after a failed connect or subscription (N16). */
  private readonly retry = new Backoff();

  /** Create a provider; call {@link connect} to start syncing. */
  constructor(options: NotesProviderOptions<M>) {
    super();
    this.meetingId = options.meetingId;
    this.transport = options.transport;
    this.doc = options.doc ?? new Y.Doc();
    this.awareness = options.awareness ?? new Awareness(this.doc);
    this.pusher = new Pusher(options.outbox ?? new MemoryOutbox(), {
      live: () => this.status === "live",
      register: (clientId) => this.register(clientId),
      push: (args) => this.transport.push({ meetingId: this.meetingId, ...args }),
      error: (code, message) => this.emit("error", [{ code, message }]),
      idle: () => this.onPusherIdle(),
    });
    const coalesceMs = Math.min(options.coalesceMs ?? DEFAULT_COALESCE_MS, DEFAULT_COALESCE_MS);
    this.edits = new EditBuffer(coalesceMs, (parts) => {
      for (const update of windowUpdates(parts, MAX_UPDATE_BYTES)) {
        this.pusher.enqueue(this.doc.clientID, update);
      }
      this.pusher.kick();
    });
    this.pendingTimeoutMs = options.pendingTimeoutMs ?? DEFAULT_PENDING_TIMEOUT_MS;
    this.ignore = new Set<unknown>([this, ...(options.ignoreOrigins ?? [])]);
    this.doc.on("update", this.onDocUpdate);
    this.claimClientId();
    this.stopConnection =
      this.transport.connection?.subscribe((up) => this.onConnection(up)) ?? null;
  }

  /** Record the doc's client id as this device's before any edit can be made with it. */
  private claimClientId(): void {
    this.pusher.claim(this.doc.clientID);
  }

  /** The last seq handed out for `clientId` (the server's after a completed {@link flush}). */
  lastSeqOf(clientId: number): number {
    return this.pusher.lastSeqOf(clientId);
  }

  /** True while local edits are not yet acknowledged by the server. */
  get hasUnsyncedChanges(): boolean {
    return this.edits.size > 0 || this.pusher.pending > 0;
  }

  /** Saved / syncing / offline, with the local edits made since the last time all was saved. */
  get syncState(): SyncState {
    const offline =
      this.status === "offline" ||
      (this.transport.connection !== undefined && !this.transport.connection.isConnected());
    const state = offline ? "offline" : this.synced ? "saved" : "syncing";
    return { state, unsynced: this.unsyncedEdits };
  }

  /** Go online: load the outbox, register, bootstrap or resync, subscribe, push. */
  async connect(): Promise<void> {
    if (this.status === "closed") throw new Error("this provider was destroyed");
    this.wanted = true;
    if (this.status === "connecting" || this.status === "live") return;
    this.setStatus("connecting");
    try {
      await this.pusher.load();
      await this.register(this.doc.clientID);
      for (const id of this.pusher.clientIds.queued) await this.register(id);
      const hasState = this.doc.store.clients.size > 0;
      if (hasState || this.bootstrapped) await this.resync("reconnect");
      else await this.bootstrap();
      // disconnect() may have run while we awaited.
      if ((this.status as ProviderStatus) !== "connecting") return;
      this.setStatus("live");
      this.retry.reset();
      this.subscribe();
      this.pusher.kick();
    } catch (e) {
      this.report("NETWORK", e);
      this.setStatus("offline");
      this.reconnectLater();
    }
  }

  /** Go offline: stop the subscription and pushes; local edits keep queueing. */
  disconnect(): void {
    this.wanted = false;
    this.retry.cancel();
    this.goOffline();
  }

  /** Push whatever is buffered now and wait until the outbox is empty (or offline). */
  async flush(): Promise<void> {
    this.edits.flush();
    await this.pusher.drain();
  }

  /** Stop everything and release the outbox store (the doc is left to its owner). */
  override destroy(): void {
    this.disconnect();
    this.stopConnection?.();
    this.edits.flush();
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.doc.off("update", this.onDocUpdate);
    this.setStatus("closed");
    this.pusher.close();
    super.destroy();
  }

  private goOffline(): void {
    if (this.status === "closed") return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pullToken = null;
    this.pusher.stop();
    this.setStatus("offline");
    this.updateSynced();
  }

  /** While wanted, try to connect again after a growing delay. */
  private reconnectLater(): void {
    if (!this.wanted) return;
    this.retry.schedule(() => {
      if (this.wanted && this.status === "offline") void this.connect();
    });
  }

  private onConnection(up: boolean): void {
    if (!up && (this.status === "live" || this.status === "connecting")) this.goOffline();
    else if (up && this.wanted && this.status === "offline") void this.connect();
    this.publishSync();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.ignore.has(origin)) return;
    this.edits.add(update);
    this.unsyncedEdits++;
    this.updateSynced();
    this.publishSync();
    this.edits.sendOrFold(this.status === "live", this.pusher.busy);
  };

  /** The push loop went quiet: what was typed meanwhile goes as one entry (N17). */
  private onPusherIdle(): void {
    if (this.status === "live") this.edits.sendOrFold(true, this.pusher.busy);
    this.updateSynced();
  }

  private async register(clientId: number): Promise<void> {
    if (this.registered.has(clientId)) return;
    const answer = await this.transport.registerClient({ meetingId: this.meetingId, clientId });
    if (!answer.ok) {
      this.emit("error", [{ code: answer.code, message: answer.message }]);
      if (answer.code === "CONFLICT" && clientId === this.doc.clientID && !this.ownsStructs()) {
        // Someone else holds this random id: take another before authoring anything.
        this.pusher.forget(clientId);
        this.doc.clientID = Math.floor(Math.random() * 0xffffffff);
        this.claimClientId();
        return this.register(this.doc.clientID);
      }
      return;
    }
    this.registered.add(clientId);
    // Entries the server already stored (their acknowledgement was lost) are done.
    await this.pusher.serverHas(clientId, answer.lastSeq);
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

  private async resync(reason: ResyncReason): Promise<void> {
    const stateVector = toArrayBuffer(Y.encodeStateVector(this.doc));
    const answer = await this.transport.resync({ meetingId: this.meetingId, stateVector });
    if (!answer.ok) throw Object.assign(new Error(answer.message), { code: answer.code });
    this.emit("resync", [reason]);
    const before = this.cursor?.ts;
    this.applyState(answer);
    // A live subscription still reads after the old cursor; follow the new one.
    if (this.status === "live" && this.cursor?.ts !== before) this.subscribe();
    await this.recoverUnsent(Y.decodeStateVector(new Uint8Array(answer.stateVector)));
    this.pusher.kick();
  }

  private applyState(answer: {
    update: ArrayBuffer;
    stateVector: ArrayBuffer;
    encoding: "v1" | "v2";
    cursor: NoteCursor | null;
  }): void {
    const update = new Uint8Array(answer.update);
    try {
      // V2 only ever comes from the server's own validated snapshots.
      if (answer.encoding === "v2") Y.applyUpdateV2(this.doc, update, this);
      else Y.applyUpdate(this.doc, update, this);
    } catch (e) {
      // N14: what cannot be applied is reported and passed over; the provider goes on.
      this.report("APPLY_FAILED", e);
    }
    if (answer.cursor && (!this.cursor || answer.cursor.ts > this.cursor.ts)) {
      this.cursor = answer.cursor;
    }
    this.bootstrapped = true;
    this.checkPending();
    this.updateSynced();
  }

  /**
   * The outbox is an optimisation; the state vectors are the truth (N7).
   * Edits this device authored that the server lacks and no outbox entry
   * covers become a new outbox entry under their own client id.
   */
  private async recoverUnsent(server: Map<number, number>): Promise<void> {
    this.edits.flush();
    // Pending structs of other clients would ride along in the diff; wait for the resync.
    if (hasPending(this.doc)) return;
    const local = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    const own = [this.doc.clientID, ...this.pusher.clientIds.own];
    for (const { clientId, from } of this.pusher.unsent(own, local, server)) {
      // Learn the server's last seq for this id first, so the new entry's seq is fresh.
      await this.register(clientId);
      // Every other client counts as known, so the diff holds only this id's structs.
      const known = new Map(local);
      known.set(clientId, from);
      this.pusher.enqueue(clientId, Y.encodeStateAsUpdate(this.doc, encodeStateVector(known)));
    }
  }

  /** (Re)subscribe the pull at `after` (default: the aligned cursor, `pullPolicy.ts`). */
  private subscribe(after: NoteCursor | null = alignedCursor(this.cursor)): void {
    this.unsubscribe?.();
    const token = {};
    this.pullToken = token;
    this.subscribed = after;
    this.unsubscribe = this.transport.subscribePull(
      { meetingId: this.meetingId, after },
      (answer) => {
        if (this.pullToken === token) this.onPull(answer);
      },
      (error) => {
        // N16: a failed subscription (a server error, say) is retried, never final.
        this.report("NETWORK", error);
        this.goOffline();
        this.reconnectLater();
      },
    );
  }

  /**
   * One answer of the pull (commit order, from the aligned cursor behind ours): what was applied
   * is skipped; a later commit re-runs the same subscription, so none is missed while `done`.
   */
  private onPull(answer: PullAnswer): void {
    if (this.status !== "live") return;
    if (!answer.ok) {
      this.emit("error", [{ code: answer.code, message: answer.message }]);
      if (answer.code === "FORBIDDEN" || answer.code === "NOT_FOUND") this.disconnect();
      return;
    }
    const { fresh, cursor, moveTo } = followAnswer(answer, this.cursor, this.subscribed);
    let failed = false;
    if (fresh.length > 0) {
      try {
        this.doc.transact(() => {
          for (const u of fresh) Y.applyUpdate(this.doc, new Uint8Array(u.update), this);
        }, this);
      } catch (e) {
        // N14: an update this doc cannot apply must not stall it. Move past the answer and
        // resync from the server's state, which brings whatever of it does apply.
        this.report("APPLY_FAILED", e);
        failed = true;
      }
    }
    this.cursor = cursor;
    if (moveTo !== undefined) this.subscribe(moveTo);
    if (failed) {
      this.resync("apply-failed").catch((e: unknown) => this.report("NETWORK", e));
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

  private updateSynced(): void {
    const synced = this.status === "live" && this.bootstrapped && !this.hasUnsyncedChanges;
    if (synced) this.unsyncedEdits = 0;
    if (synced !== this.synced) {
      this.synced = synced;
      this.emit("synced", [synced]);
    }
    this.publishSync();
  }

  private publishSync(): void {
    const s = this.syncState;
    const key = `${s.state}:${s.unsynced}`;
    if (key === this.lastSync) return;
    this.lastSync = key;
    this.emit("sync", [s]);
  }

  private setStatus(status: ProviderStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit("status", [status]);
    this.publishSync();
  }

  private report(code: string, e: unknown): void {
    this.emit("error", [{ code, message: e instanceof Error ? e.message : String(e) }]);
  }
}
