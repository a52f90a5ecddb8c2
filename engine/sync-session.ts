/**
 * One WebSocket client of the sync protocol (`convex/browser/sync/protocol.ts`).
 *
 * State machine: the session holds a version `{querySet, identity, ts}`,
 * starting at `{0, 0, 0}`. `ModifyQuerySet` must name the current querySet
 * as its base; `Authenticate` the current identity version. Every change is
 * sent as one `Transition` whose `startVersion` is the previous
 * `endVersion`. Commits mark the queries whose read sets they touch as dirty;
 * a refresh reruns only those and sends only changed results, at a `ts` read
 * *before* rerunning (so results are at least that fresh). A mutation's
 * response carries its commit ts; a refresh follows so a Transition with
 * `ts >=` it arrives and the client resolves the mutation. Mutations run in
 * order per session; actions concurrently; bad messages get a `FatalError`.
 * Nothing a client sends can throw out of `receive` (see `frame-guard.ts`);
 * requests run in `session-calls.ts`.
 */
import type { UserIdentity } from "convex/server";
import { jsonToConvex } from "convex/values";
import type { CallOutcome, Commit } from "./backend";
import { describeError } from "./backend";
import {
  type ConnectionLimits,
  DEFAULT_CONNECTION_LIMITS,
  parseFrame,
  preview,
} from "./frame-guard";
import { cacheKeys, type QueryCache } from "./query-cache";
import { ReadSet } from "./read-set";
import { type AuthHost, decideAuthenticate, ExpiryTimer } from "./session-auth";
import {
  type Caller,
  type RequestHost,
  type RequestMessage,
  requestShapeError,
  runAction,
  runMutation,
} from "./session-calls";
import { addedQuery, type SessionQuery, tooManyQueries } from "./session-query";
import { encodeTransition, encodeTs, maxTs, queryModification } from "./sync-messages";

/** What a session needs from the engine. */
export type SessionHost = RequestHost &
  AuthHost & {
    queries: QueryCache;
    /** Mutations waiting or running (subscription reruns yield to them). */
    gate: { enter(): void; leave(): void };
    log: { debug(m: string): void; warn(m: string): void };
    limits?: ConnectionLimits;
  };

type Query = SessionQuery;

/** Sends a frame: an object to serialize, or JSON text already encoded (a Transition). */
type Send = (message: Record<string, unknown> | string) => void;

/**
 * The identity in effect after one `Authenticate` (or at session start).
 * Messages capture the latest one when they arrive, so an identity change
 * applies to every later message and to no earlier one, as in Convex.
 * `identity` turns null in place when that token expires.
 */
type IdentityState = Caller;

/** A connected client. */
export class SyncSession {
  private querySet = 0;
  private identityVersion = 0;
  private ts = 0n;
  private identity: UserIdentity | null = null;
  private admin = false;
  /** The current identity state; null once an Authenticate failed (the session ends). */
  private identityState: IdentityState | null = { identity: null, admin: false };
  /**
   * Resolves to the identity state of the last `Authenticate` received (null
   * if it failed) once its token is verified. Mutations and actions wait for
   * it, so a call sent right after `Authenticate` runs with the new identity.
   */
  private authReady: Promise<IdentityState | null> = Promise.resolve(this.identityState);
  private readonly queries = new Map<number, Query>();
  private readonly dirty = new Set<number>();
  private versionChanged = false;
  /** The highest commit ts acknowledged in a MutationResponse not yet followed by a Transition at or after it. */
  private ackTs: bigint | null = null;
  private state: Promise<void> = Promise.resolve();
  private mutations: Promise<void> = Promise.resolve();
  private refreshQueued = false;
  private readonly running = new Set<number>();
  private closed = false;
  /** The client's `sessionId` (kept across its reconnects), from `Connect`. */
  private clientSessionId: string | null = null;

  constructor(
    private readonly host: SessionHost,
    private readonly send: Send,
    private readonly fatal: (reason: string) => void,
    /** Close the socket without a FatalError (after an AuthError). */
    private readonly end: (reason: string) => void = () => undefined,
  ) {}

  /** Stop all work for this session. */
  close(): void {
    this.closed = true;
    this.expiry.clear();
  }

  private readonly expiry = new ExpiryTimer();

  /**
   * Like Convex: when the token in use expires, tell the client (AuthError,
   * not caused by an update) and treat the session as unauthenticated until
   * it sends a fresh token.
   */
  private expired(version: number): void {
    this.enqueue(async () => {
      if (this.closed || this.identityVersion !== version) return;
      this.send({
        type: "AuthError",
        error: "Token expired",
        baseVersion: version,
        authUpdateAttempted: false,
      });
      this.identity = null;
      if (this.identityState) this.identityState.identity = null;
      for (const q of this.queries.values()) q.cacheKey = null;
      for (const id of this.queries.keys()) this.dirty.add(id);
      await this.refresh([]);
    });
  }

  /** Handle one raw frame from the client. Never throws. */
  receive(raw: string): void {
    try {
      const parsed = parseFrame(raw, this.limits);
      if (!parsed.ok) this.fatal(parsed.reason);
      else this.dispatch(parsed.message);
    } catch (e) {
      this.fatal(`Internal error handling a message: ${preview(String((e as Error)?.message))}`);
    }
  }

  private get limits(): ConnectionLimits {
    return this.host.limits ?? DEFAULT_CONNECTION_LIMITS;
  }

  private dispatch(msg: Record<string, unknown>): void {
    switch (msg.type) {
      case "Connect":
        if (typeof msg.sessionId === "string") this.clientSessionId = msg.sessionId.slice(0, 256);
        return;
      case "Event":
        return;
      case "ModifyQuerySet":
        this.enqueue(() => this.modifyQuerySet(msg));
        return;
      case "Authenticate": {
        let settle: (s: IdentityState | null) => void = () => undefined;
        this.authReady = new Promise((r) => {
          settle = r;
        });
        this.enqueue(async () => {
          try {
            await this.authenticate(msg);
          } finally {
            settle(this.identityState);
          }
        });
        return;
      }
      case "Mutation":
      case "Action": {
        const bad = requestShapeError(msg);
        if (bad) {
          this.fatal(bad);
          return;
        }
        if (msg.type === "Mutation") this.mutation(msg as RequestMessage);
        else this.action(msg as RequestMessage);
        return;
      }
      default:
        this.fatal(
          `Malformed message: unknown type ${preview(typeof msg.type === "string" ? msg.type : typeof msg.type, 40)}`,
        );
    }
  }

  private mutation(msg: RequestMessage): void {
    const auth = this.authReady;
    this.host.gate.enter();
    this.mutations = this.mutations
      .then(async () => {
        const state = await auth;
        if (!state) return;
        const r = await runMutation(this.host, this.clientSessionId, msg, state);
        if (this.closed) return;
        if (r.ackTs !== null)
          this.ackTs = this.ackTs === null ? r.ackTs : maxTs(this.ackTs, r.ackTs);
        this.send(r.frame);
        if (r.ackTs !== null) this.scheduleRefresh();
      })
      .catch((e: unknown) => this.host.log.warn(`sync mutation failed: ${(e as Error).message}`))
      .finally(() => this.host.gate.leave());
  }

  private action(msg: RequestMessage): void {
    void this.authReady
      .then(async (state) => {
        if (!state) return;
        const frame = await runAction(this.host, msg, state);
        if (!this.closed) this.send(frame);
      })
      .catch((e: unknown) => this.host.log.warn(`sync action failed: ${(e as Error).message}`));
  }

  private enqueue(step: () => Promise<void>): void {
    this.state = this.state
      .then(() => (this.identityState ? step() : undefined))
      .catch((e: unknown) => {
        this.host.log.warn(`sync session step failed: ${(e as Error).message}`);
      });
  }

  /** Called by the engine after each commit. */
  onCommit(commit: Commit): void {
    if (this.closed) return;
    let touched = false;
    // A query running right now may have read the state before this commit.
    for (const id of this.running) {
      this.dirty.add(id);
      touched = true;
    }
    for (const [id, q] of this.queries) {
      if (!q.readSet || q.readSet.intersects(commit.changes)) {
        this.dirty.add(id);
        touched = true;
      }
    }
    if (touched) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    this.enqueue(async () => {
      this.refreshQueued = false;
      await this.refresh([]);
    });
  }

  private async modifyQuerySet(msg: Record<string, unknown>): Promise<void> {
    const base = msg.baseVersion;
    const next = msg.newVersion;
    const mods = msg.modifications;
    if (base !== this.querySet || typeof next !== "number" || !Array.isArray(mods)) {
      this.fatal(
        `Invalid ModifyQuerySet: base version ${String(base)} does not match the server's ${this.querySet} (or newVersion/modifications malformed)`,
      );
      return;
    }
    const removed: Array<Record<string, unknown>> = [];
    const tooMany: Array<Record<string, unknown>> = [];
    for (const m of mods as Array<Record<string, unknown>>) {
      if (typeof m !== "object" || m === null) {
        this.fatal("Malformed query set modification: not an object");
        return;
      }
      if (m.type === "Add" && typeof m.queryId === "number" && typeof m.udfPath === "string") {
        if (!this.queries.has(m.queryId) && this.queries.size >= this.limits.maxQueriesPerSession) {
          tooMany.push(tooManyQueries(m.queryId, this.limits.maxQueriesPerSession));
          continue;
        }
        this.queries.set(m.queryId, addedQuery(m));
        this.dirty.add(m.queryId);
      } else if (m.type === "Remove" && typeof m.queryId === "number") {
        this.queries.delete(m.queryId);
        this.dirty.delete(m.queryId);
        removed.push({ type: "QueryRemoved", queryId: m.queryId });
      } else {
        this.fatal(`Malformed query set modification: type ${preview(String(m.type), 40)}`);
        return;
      }
    }
    this.querySet = next;
    this.versionChanged = true;
    await this.refresh([...removed, ...tooMany]);
  }

  private async authenticate(msg: Record<string, unknown>): Promise<void> {
    const base = msg.baseVersion;
    if (base !== this.identityVersion) {
      this.fatal(
        `Invalid Authenticate: base version ${String(base)} does not match ${this.identityVersion}`,
      );
      return;
    }
    const decision = await decideAuthenticate(this.host, msg);
    if (decision.kind === "malformed") {
      this.fatal(decision.reason);
      return;
    }
    if (decision.kind === "refused") {
      this.authFailed(base, decision.error);
      return;
    }
    this.expiry.arm(decision.expiresAtMs, () => this.expired(base + 1));
    this.identity = decision.identity;
    this.admin = decision.admin;
    this.identityState = { identity: decision.identity, admin: decision.admin };
    for (const q of this.queries.values()) q.cacheKey = null;
    this.identityVersion = base + 1;
    this.versionChanged = true;
    for (const id of this.queries.keys()) this.dirty.add(id);
    await this.refresh([]);
  }

  /**
   * Like Convex's sync worker: a refused token ends the session. The client
   * gets an `AuthError` (it then fetches a fresh token and reconnects, resending
   * its unacknowledged mutations); messages sent after the `Authenticate` are
   * never run with the previous identity.
   */
  private authFailed(baseVersion: number, error: string): void {
    this.send({ type: "AuthError", error, baseVersion, authUpdateAttempted: true });
    this.identityState = null;
    this.end("AuthError");
  }

  private async refresh(extra: Array<Record<string, unknown>>): Promise<void> {
    if (this.closed) return;
    const target = this.host.lastCommitTs();
    const ids = [...this.dirty];
    this.dirty.clear();
    const modifications: Array<Record<string, unknown>> = [...extra];
    for (const id of ids) {
      const q = this.queries.get(id);
      if (!q) continue;
      this.running.add(id);
      try {
        const mod = await this.runQuery(id, q);
        if (mod && this.queries.get(id) === q) modifications.push(mod);
      } finally {
        this.running.delete(id);
      }
    }
    // A mutation resolves on the first Transition at or after its ts that
    // follows its response: every acknowledged mutation gets one. A refresh
    // whose ts was read before the mutation committed cannot serve; the
    // next one will (the commit queued it).
    const endTs = maxTs(target, this.ts);
    const ackServed = this.ackTs !== null && endTs >= this.ackTs;
    if (modifications.length === 0 && !this.versionChanged && !ackServed) {
      if (this.ackTs !== null) this.scheduleRefresh();
      return;
    }
    if (ackServed) this.ackTs = null;
    else if (this.ackTs !== null) this.scheduleRefresh();
    const start = this.lastEnd ?? { querySet: 0, identity: 0, ts: encodeTs(0n) };
    const end = { querySet: this.querySet, identity: this.identityVersion, ts: encodeTs(endTs) };
    this.ts = endTs;
    this.versionChanged = false;
    this.lastEnd = end;
    this.send(encodeTransition(start, end, modifications));
  }

  private lastEnd: { querySet: number; identity: number; ts: string } | null = null;

  private async runQuery(queryId: number, q: Query): Promise<Record<string, unknown> | null> {
    let outcome: CallOutcome;
    try {
      q.resolved ??= this.admin
        ? await this.host.resolveAdmin(q.udfPath, "query", "")
        : await this.host.resolve(q.udfPath, "query");
      q.decodedArgs ??= jsonToConvex(q.args);
      q.cacheKey ??= cacheKeys(q.resolved, q.argsJson, this.identity, q.journal);
      const result = await this.host.queries.run(
        q.resolved,
        q.decodedArgs,
        this.identity,
        q.cacheKey,
        q.journal,
      );
      q.readSet = result.readSet;
      outcome = result.outcome;
      if (outcome.ok && result.journal !== q.journal) {
        q.journal = result.journal;
        q.cacheKey = null;
      }
    } catch (e) {
      outcome = { ok: false, ...describeError(e), logLines: [] };
      // An unresolvable query depends on nothing; rerun it only when resubscribed.
      q.readSet = new ReadSet();
    }
    const { frame, key } = queryModification(queryId, outcome, q.journal);
    if (key === q.lastSent) return null;
    q.lastSent = key;
    return frame;
  }
}
