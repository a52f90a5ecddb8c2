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
 */
import type { UserIdentity } from "convex/server";
import { type JSONValue, jsonToConvex } from "convex/values";
import type { CallOutcome, Commit, FunctionKind, ResolvedFunction } from "./backend";
import { describeError } from "./backend";
import type { MutationDedupe } from "./mutation-dedupe";
import { cacheKey, type QueryCache } from "./query-cache";
import { ReadSet } from "./read-set";
import { encodeTs, maxTs, queryModification, requestResponse } from "./sync-messages";

/** What a session needs from the engine. */
export type SessionHost = {
  resolve(udfPath: string, kind: FunctionKind): Promise<ResolvedFunction>;
  call(
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    via: string,
  ): Promise<CallOutcome>;
  lastCommitTs(): bigint;
  verifyToken(token: string): Promise<{ identity: UserIdentity; expiresAtMs: number | null }>;
  queries: QueryCache;
  /** Answers a mutation resent after a reconnect (same sessionId and requestId) from its first run. */
  dedupe: MutationDedupe;
  /** Mutations waiting or running (subscription reruns yield to them). */
  gate: { enter(): void; leave(): void };
  log: { debug(m: string): void; warn(m: string): void };
};

type Query = {
  udfPath: string;
  args: JSONValue;
  decodedArgs: unknown;
  argsJson: string;
  cacheKey: string | null;
  resolved: ResolvedFunction | null;
  readSet: ReadSet | null;
  lastSent: string | null;
};

/** Longest delay a Node timer takes (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

type Send = (message: Record<string, unknown>) => void;

/**
 * The identity in effect after one `Authenticate` (or at session start).
 * Messages capture the latest one when they arrive, so an identity change
 * applies to every later message and to no earlier one, as in Convex.
 * `identity` turns null in place when that token expires.
 */
type IdentityState = { identity: UserIdentity | null };

/** A connected client. */
export class SyncSession {
  private querySet = 0;
  private identityVersion = 0;
  private ts = 0n;
  private identity: UserIdentity | null = null;
  /** The current identity state; null once an Authenticate failed (the session ends). */
  private identityState: IdentityState | null = { identity: null };
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
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
  }

  private expiryTimer: NodeJS.Timeout | null = null;

  /**
   * Like Convex: when the token in use expires, tell the client (AuthError,
   * not caused by an update) and treat the session as unauthenticated until
   * it sends a fresh token.
   */
  private armExpiry(expiresAtMs: number | null, version: number): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (expiresAtMs === null) return;
    // Node timers overflow past ~24.8 days; tokens that long-lived never expire here.
    const delay = Math.min(expiresAtMs - Date.now(), MAX_TIMER_MS);
    this.expiryTimer = setTimeout(
      () => {
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
      },
      Math.max(0, delay),
    );
    this.expiryTimer.unref();
  }

  /** Handle one raw frame from the client. */
  receive(raw: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(raw) as Record<string, unknown>;
      if (typeof msg !== "object" || msg === null || Array.isArray(msg)) throw new Error();
    } catch {
      this.fatal(`Malformed message: not a JSON object: ${raw.slice(0, 80)}`);
      return;
    }
    switch (msg.type) {
      case "Connect":
        if (typeof msg.sessionId === "string") this.clientSessionId = msg.sessionId;
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
      case "Mutation": {
        if (!this.validRequest(msg)) return;
        const auth = this.authReady;
        this.host.gate.enter();
        this.mutations = this.mutations
          .then(async () => {
            const state = await auth;
            if (state) await this.runMutation(msg, state);
          })
          .catch(() => undefined)
          .finally(() => this.host.gate.leave());
        return;
      }
      case "Action": {
        if (!this.validRequest(msg)) return;
        const auth = this.authReady;
        void auth.then((state) => (state ? this.runAction(msg, state) : undefined));
        return;
      }
      default:
        this.fatal(`Malformed message: unknown type ${JSON.stringify(msg.type)}`);
    }
  }

  private validRequest(msg: Record<string, unknown>): boolean {
    if (typeof msg.componentPath === "string" && msg.componentPath !== "") {
      this.send({
        type: msg.type === "Mutation" ? "MutationResponse" : "ActionResponse",
        requestId: msg.requestId,
        success: false,
        result:
          "Calling functions of components from clients needs an admin key, which the embedded engine does not support.",
        logLines: [],
      });
      return false;
    }
    if (
      typeof msg.requestId !== "number" ||
      typeof msg.udfPath !== "string" ||
      !Array.isArray(msg.args)
    ) {
      this.fatal(
        `Malformed ${String(msg.type)}: needs requestId (number), udfPath (string), args (array)`,
      );
      return false;
    }
    return true;
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
    for (const m of mods as Array<Record<string, unknown>>) {
      if (m.type === "Add" && typeof m.queryId === "number" && typeof m.udfPath === "string") {
        const args = Array.isArray(m.args) ? (m.args[0] ?? {}) : {};
        this.queries.set(m.queryId, {
          udfPath: m.udfPath,
          args: args as JSONValue,
          decodedArgs: undefined,
          argsJson: JSON.stringify(args),
          cacheKey: null,
          resolved: null,
          readSet: null,
          lastSent: null,
        });
        this.dirty.add(m.queryId);
      } else if (m.type === "Remove" && typeof m.queryId === "number") {
        this.queries.delete(m.queryId);
        this.dirty.delete(m.queryId);
        removed.push({ type: "QueryRemoved", queryId: m.queryId });
      } else {
        this.fatal(`Malformed query set modification: ${JSON.stringify(m).slice(0, 120)}`);
        return;
      }
    }
    this.querySet = next;
    this.versionChanged = true;
    await this.refresh(removed);
  }

  private async authenticate(msg: Record<string, unknown>): Promise<void> {
    const base = msg.baseVersion;
    if (base !== this.identityVersion) {
      this.fatal(
        `Invalid Authenticate: base version ${String(base)} does not match ${this.identityVersion}`,
      );
      return;
    }
    let identity: UserIdentity | null = null;
    if (msg.tokenType === "User" && typeof msg.value === "string") {
      try {
        const verified = await this.host.verifyToken(msg.value);
        identity = verified.identity;
        this.armExpiry(verified.expiresAtMs, base + 1);
      } catch (e) {
        this.authFailed(base, (e as Error).message);
        return;
      }
    } else if (msg.tokenType === "Admin") {
      this.authFailed(base, "Admin tokens are not supported by the embedded engine");
      return;
    } else if (msg.tokenType !== "None") {
      this.fatal(`Malformed Authenticate: tokenType ${JSON.stringify(msg.tokenType)}`);
      return;
    }
    if (identity === null) this.armExpiry(null, base + 1);
    this.identity = identity;
    this.identityState = { identity };
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
    this.send({ type: "Transition", startVersion: start, endVersion: end, modifications });
  }

  private lastEnd: { querySet: number; identity: number; ts: string } | null = null;

  private async runQuery(queryId: number, q: Query): Promise<Record<string, unknown> | null> {
    let outcome: CallOutcome;
    try {
      q.resolved ??= await this.host.resolve(q.udfPath, "query");
      q.decodedArgs ??= jsonToConvex(q.args);
      q.cacheKey ??= cacheKey(q.resolved.udfPath, q.argsJson, this.identity);
      const result = await this.host.queries.run(
        q.resolved,
        q.decodedArgs,
        this.identity,
        q.cacheKey,
      );
      q.readSet = result.readSet;
      outcome = result.outcome;
    } catch (e) {
      outcome = { ok: false, ...describeError(e), logLines: [] };
      // An unresolvable query depends on nothing; rerun it only when resubscribed.
      q.readSet = new ReadSet();
    }
    const { frame, key } = queryModification(queryId, outcome);
    if (key === q.lastSent) return null;
    q.lastSent = key;
    return frame;
  }

  private async runMutation(msg: Record<string, unknown>, auth: IdentityState): Promise<void> {
    const requestId = msg.requestId as number;
    const key = this.clientSessionId === null ? null : `${this.clientSessionId}:${requestId}`;
    const { outcome, ts } = await this.host.dedupe.run(key, async () => {
      let outcome: CallOutcome;
      try {
        const fn = await this.host.resolve(msg.udfPath as string, "mutation");
        outcome = await this.host.call(
          fn,
          jsonToConvex((msg.args as JSONValue[])[0] ?? {}),
          auth.identity,
          "ws",
        );
      } catch (e) {
        outcome = { ok: false, ...describeError(e), logLines: [] };
      }
      return { outcome, ts: this.host.lastCommitTs() };
    });
    if (this.closed) return;
    if (!outcome.ok) {
      this.send(requestResponse("MutationResponse", requestId, outcome));
      return;
    }
    this.ackTs = this.ackTs === null ? ts : maxTs(this.ackTs, ts);
    this.send(requestResponse("MutationResponse", requestId, outcome, ts));
    this.scheduleRefresh();
  }

  private async runAction(msg: Record<string, unknown>, auth: IdentityState): Promise<void> {
    const requestId = msg.requestId as number;
    let outcome: CallOutcome;
    try {
      const fn = await this.host.resolve(msg.udfPath as string, "action");
      outcome = await this.host.call(
        fn,
        jsonToConvex((msg.args as JSONValue[])[0] ?? {}),
        auth.identity,
        "ws",
      );
    } catch (e) {
      outcome = { ok: false, ...describeError(e), logLines: [] };
    }
    if (this.closed) return;
    this.send(requestResponse("ActionResponse", requestId, outcome));
  }
}
