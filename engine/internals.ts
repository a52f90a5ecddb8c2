/**
 * The engine's only contact with `convex-test` internals (pinned at 0.0.60).
 *
 * `convex-test` keeps one in-memory `DatabaseFake` per component; every
 * top-level commit passes through `DatabaseFake.prototype.commit(commitTs)`.
 * The class is not exported, so we capture its prototype once by registering a
 * throw-away component while a one-shot setter on `Object.prototype` catches
 * the `{ db, modules }` record `registerComponent` stores. We then:
 *
 * - wrap `commit` to report each top-level commit's writes (with before and
 *   after images) to whoever bound that database (the engine);
 * - wrap `startTransaction` to bind databases to an engine the first time they
 *   run inside {@link bindDatabases};
 * - replace `_iterateDocs` with a per-table id index, because the original
 *   scans every document of every table for each query;
 * - queue top-level transactions in FIFO order in front of the transaction
 *   lock (`transaction-queue.ts`), because the original wakes every waiter
 *   at each commit, and bound the scheduled functions running at once
 *   (`scheduled-parallelism.ts`), because the original starts every due job;
 * - check written documents against the schema with a predicate first
 *   (`doc-validation.ts`), because the original throws out of every union branch;
 * - answer AES-GCM `crypto.subtle` calls inline (`webcrypto-inline.ts`), because
 *   Node sends each one to its thread pool;
 * - wrap the global `Convex.syscall`/`asyncSyscall` proxy so reads made inside
 *   {@link runInCallContext} land in a {@link ReadRecorder} (subscriptions use it to
 *   learn what a query depends on; the conflict mode to learn read sets).
 *
 * If a `convex-test` upgrade changes these shapes, {@link installHooks} throws
 * at startup with a message naming the missing member.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { jsonToConvex, type Value } from "convex/values";
import { convexTest } from "convex-test";
import { TransactionMetricsTracker } from "convex-test/dist/transactionMetrics.js";
import { docJson, docSize } from "./doc-json";
import { installDocValidation } from "./doc-validation";
import { checkWriteSyscall } from "./limits";
import { installPaginate, type JournalSlot } from "./paginate";
import {
  cleanupQuery,
  installSortedIndexes,
  queryDatabase,
  resetSortedIndexes,
  type StreamExtent,
  streamExtent,
  updateSortedIndexes,
  withoutDocuments,
} from "./sorted-index";
import { installStoreRules } from "./store-rules";
import {
  type DocChange,
  type FakeDatabase,
  type StoredDoc,
  tableOfId,
  type WriteLayer,
} from "./store-types";
import { installTextSearch } from "./text-search";
import { installTransactionQueue } from "./transaction-queue";
import { installInlineAesGcm } from "./webcrypto-inline";

export type { DocChange, FakeDatabase, StoredDoc, WriteLayer } from "./store-types";
export { tableOfId } from "./store-types";

/** Receives every top-level commit of a bound database, after it is applied. */
export type CommitListener = (db: FakeDatabase, commitTs: bigint, changes: DocChange[]) => void;

/** Receives the syscalls (operation and JSON arguments) made inside {@link runInCallContext}. */
export interface ReadRecorder {
  /** A syscall; `result` is the parsed answer of `1.0/queryStream` (its `queryId`). */
  record(op: string, args: Record<string, unknown>, result?: Record<string, unknown>): void;
  /** A query stream closed before the end of its range, at `extent`. */
  endQuery?(queryId: number, extent: StreamExtent): void;
  /** The function asked for the caller's identity (`ctx.auth.getUserIdentity()`). */
  authRead?(): void;
}

const listeners = new WeakMap<FakeDatabase, CommitListener>();
const tableIndexes = new WeakMap<FakeDatabase, Map<string, Set<string>>>();
const bindingStorage = new AsyncLocalStorage<(db: FakeDatabase) => void>();
/**
 * One AsyncLocalStorage for everything per call (read recorder, log sink):
 * on Node 20 every live ALS instance adds work to every promise created.
 */
export type CallContext = {
  recorder: ReadRecorder | null;
  logs: { lines: string[]; open: boolean } | null;
  /** Set by the conflict simulator: who is calling and when the call arrived. */
  occ?: { udfPath: string; arrivalSeq: number; open: boolean; retryable?: boolean } | undefined;
  /** A subscription's query journal (pagination end cursor), read and written by `.paginate()`. */
  journal?: JournalSlot | undefined;
};

/**
 * Per-engine replacements of syscalls (file storage, vector search): return a
 * result to answer `op`, or undefined to let convex-test answer. `next` is
 * convex-test's own implementation (for calls the override makes itself).
 */
export type SyscallOverrides = {
  async?(
    op: string,
    json: string,
    next: (op: string, json: string) => Promise<string>,
  ): Promise<string> | undefined;
  js?(
    op: string,
    args: Record<string, unknown>,
    asyncNext: (op: string, json: string) => Promise<string>,
  ): Promise<unknown> | undefined;
};
const asyncOverrides = new WeakMap<object, NonNullable<SyscallOverrides["async"]>>();
const jsOverrides = new WeakMap<object, NonNullable<SyscallOverrides["js"]>>();
let innerHost: SyscallHost | null = null;

/**
 * Register `overrides` for the convex-test instance whose context is current
 * (call inside one of its runs, e.g. `runInComponent`).
 */
export function overrideSyscalls(overrides: SyscallOverrides): void {
  if (!innerHost) throw new Error("engine: installHooks() first");
  if (overrides.async) asyncOverrides.set(innerHost.asyncSyscall, overrides.async);
  if (overrides.js) jsOverrides.set(innerHost.jsSyscall, overrides.js);
}

/**
 * Observes top-level transactions of one database (the app's root), for the
 * conflict simulator. convex-test runs one top-level transaction at a time,
 * so "the current transaction" is well defined.
 */
export interface TransactionObserver {
  /** A top-level transaction started (its reads follow as syscalls). */
  begin(): void;
  /** Every syscall while a transaction of this database is open. */
  record(op: string, args: Record<string, unknown>, result?: Record<string, unknown>): void;
  /** A query stream of the open transaction closed early. */
  endQuery?(queryId: number, extent: StreamExtent): void;
  /** About to apply the top-level writes; throw to abort (rolls back every component). */
  beforeCommit(layer: WriteLayer): void;
  /** The transaction committed or rolled back. */
  end(): void;
}

const observers = new WeakMap<FakeDatabase, TransactionObserver>();
let openObserver: TransactionObserver | null = null;

/** Observe `db`'s top-level transactions (conflict simulation). */
export function observeTransactions(db: FakeDatabase, observer: TransactionObserver): void {
  observers.set(db, observer);
}
const callStorage = new AsyncLocalStorage<CallContext>();
let installed = false;

function indexOf(db: FakeDatabase): Map<string, Set<string>> {
  let index = tableIndexes.get(db);
  if (!index) {
    index = new Map();
    for (const id of Object.keys(db._documents)) addToIndex(index, id);
    tableIndexes.set(db, index);
  }
  return index;
}

function addToIndex(index: Map<string, Set<string>>, id: string): void {
  const table = tableOfId(id);
  if (table === null) return;
  let ids = index.get(table);
  if (!ids) {
    ids = new Set();
    index.set(table, ids);
  }
  ids.add(id);
}

function endObserved(db: FakeDatabase): void {
  const observer = observers.get(db);
  if (observer && openObserver === observer) {
    openObserver = null;
    observer.end();
  }
}

/** Forget the table index of `db` (call after changing `_documents` directly). */
export function resetTableIndex(db: FakeDatabase): void {
  tableIndexes.delete(db);
  resetSortedIndexes(db);
}

function captureDatabasePrototype(): FakeDatabase {
  const probeKey = "__connvoEngineProbe__";
  let captured: { db: FakeDatabase } | undefined;
  Object.defineProperty(Object.prototype, probeKey, {
    configurable: true,
    set(value: { db: FakeDatabase }) {
      captured = value;
    },
  });
  try {
    const t = convexTest(undefined, { "/probe/_generated/api.js": async () => ({}) });
    (t.registerComponent as (p: string, s: unknown, m: Record<string, unknown>) => void)(
      probeKey,
      null,
      { "/probe/_generated/api.js": async () => ({}) },
    );
  } finally {
    delete (Object.prototype as Record<string, unknown>)[probeKey];
  }
  if (!captured) throw new Error("engine: could not capture convex-test's DatabaseFake");
  const proto = Object.getPrototypeOf(captured.db) as FakeDatabase;
  for (const member of ["commit", "startTransaction", "_iterateDocs", "get"] as const) {
    if (typeof proto[member] !== "function") {
      throw new Error(
        `engine: convex-test's DatabaseFake has no ${member}(); pin convex-test 0.0.60`,
      );
    }
  }
  return proto;
}

type SyscallHost = {
  syscall: (op: string, args: string) => string;
  asyncSyscall: (op: string, args: string) => Promise<string>;
  jsSyscall: (op: string, args: Record<string, unknown>) => unknown;
};

function wrapSyscalls(): void {
  const g = globalThis as unknown as { Convex?: SyscallHost };
  const inner = g.Convex;
  if (!inner) throw new Error("engine: convex-test did not install the global Convex proxy");
  innerHost = inner;
  const recordIfTracking = (op: string, json: string, result?: string) => {
    const recorder = callStorage.getStore()?.recorder;
    if (op === "1.0/queryCleanup") {
      const { queryId } = JSON.parse(json) as { queryId: number };
      const extent = openObserver || recorder ? streamExtent(queryId) : null;
      if (extent) {
        openObserver?.endQuery?.(queryId, extent);
        recorder?.endQuery?.(queryId, extent);
      }
      cleanupQuery(queryId);
      streamTrackers.delete(queryId);
      return;
    }
    if (!openObserver && !recorder) return;
    const args = JSON.parse(json) as Record<string, unknown>;
    const parsed =
      result === undefined ? undefined : (JSON.parse(result) as Record<string, unknown>);
    openObserver?.record(op, args, parsed);
    recorder?.record(op, args, parsed);
  };
  g.Convex = {
    get syscall() {
      const f = inner.syscall;
      return (op: string, json: string) => {
        checkWriteSyscall(op, json);
        if (op !== "1.0/queryStream") {
          recordIfTracking(op, json);
          return f(op, json);
        }
        const result = startStreamTracked(() => f(op, json), result0Id);
        recordIfTracking(op, json, result);
        return result;
      };
    },
    get asyncSyscall() {
      const f = inner.asyncSyscall;
      const override = asyncOverrides.get(f);
      return (op: string, json: string) => {
        checkWriteSyscall(op, json);
        recordIfTracking(op, json);
        const answer = override?.(op, json, f);
        if (answer) return answer;
        if (op === "1.0/queryStreamNext") {
          const fast = nextFromCache(json);
          if (fast !== null) return fast;
        }
        return f(op, json);
      };
    },
    get jsSyscall() {
      const f = inner.jsSyscall;
      const override = jsOverrides.get(f);
      if (!override) return f;
      const asyncNext = inner.asyncSyscall;
      return (op: string, args: Record<string, unknown>) =>
        override(op, args, asyncNext) ?? f(op, args);
    },
  };
}

/**
 * Read fast path: `1.0/queryStreamNext` answered from the stream's database with each
 * document's JSON and size computed once per stored object (`doc-json.ts`), charging the
 * same read metrics to the transaction's tracker as convex-test does. The tracker of a
 * stream is the one `1.0/queryStream` charged its index range to (captured below).
 */
let lastRangeTracker: TransactionMetricsTracker | null = null;
const streamTrackers = new Map<number, TransactionMetricsTracker | null>();

function result0Id(result: string): number | null {
  const id = (JSON.parse(result) as { queryId?: unknown }).queryId;
  return typeof id === "number" ? id : null;
}

function startStreamTracked(start: () => string, idOf: (r: string) => number | null): string {
  lastRangeTracker = null;
  const result = start();
  const id = idOf(result);
  if (id !== null) streamTrackers.set(id, lastRangeTracker);
  lastRangeTracker = null;
  return result;
}

function nextFromCache(json: string): Promise<string> | null {
  const { queryId } = JSON.parse(json) as { queryId: number };
  const db = queryDatabase(queryId);
  if (!db || !streamTrackers.has(queryId)) return null;
  try {
    const { value, done } = db.queryNext(queryId);
    if (!done && value !== null) streamTrackers.get(queryId)?.trackRead(docSize(value));
    if (done) streamTrackers.delete(queryId);
    return Promise.resolve(
      `{"value":${value === null ? "null" : docJson(value)},"done":${done ? "true" : "false"}}`,
    );
  } catch (e) {
    return Promise.reject(e);
  }
}

function installTrackerCapture(): void {
  const proto = TransactionMetricsTracker.prototype;
  const original = proto.trackIndexRange;
  proto.trackIndexRange = function (this: TransactionMetricsTracker) {
    lastRangeTracker = this;
    return original.call(this);
  };
}

/** Install the hooks (idempotent). Must run before any engine creates its backend. */
export function installHooks(): void {
  if (installed) return;
  const proto = captureDatabasePrototype();
  const originalCommit = proto.commit;
  const originalStart = proto.startTransaction;
  proto.startTransaction = function (this: FakeDatabase) {
    const bind = bindingStorage.getStore();
    if (bind) bind(this);
    if (this._writes.length === 0) {
      const observer = observers.get(this);
      if (observer) {
        openObserver = observer;
        observer.begin();
      }
    }
    originalStart.call(this);
  };
  const originalRollback = (proto as unknown as { rollbackWrites(): void }).rollbackWrites;
  (proto as unknown as { rollbackWrites(): void }).rollbackWrites = function (this: FakeDatabase) {
    originalRollback.call(this);
    if (this._writes.length === 0) endObserved(this);
  };
  proto.commit = function (this: FakeDatabase, commitTs: bigint | null = null) {
    const applying = commitTs !== null && this._writes.length === 1;
    const layer = applying ? this._writes[0] : undefined;
    if (layer) observers.get(this)?.beforeCommit(layer);
    const before: Array<[string, StoredDoc | null]> = [];
    if (layer) for (const id of Object.keys(layer)) before.push([id, this._documents[id] ?? null]);
    originalCommit.call(this, commitTs);
    if (layer) endObserved(this);
    if (!layer || commitTs === null || before.length === 0) return;
    const index = tableIndexes.get(this);
    if (index) {
      for (const [id, value] of Object.entries(layer)) {
        if (value === null) index.get(tableOfId(id) ?? "")?.delete(id);
        else addToIndex(index, id);
      }
    }
    const changes: DocChange[] = before.map(([id, b]) => ({
      id,
      table: tableOfId(id) ?? "",
      before: b,
      after: this._documents[id] ?? null,
    }));
    updateSortedIndexes(this, changes);
    listeners.get(this)?.(this, commitTs, changes);
  };
  proto._iterateDocs = function (this: FakeDatabase, table: string, cb: (doc: StoredDoc) => void) {
    const ids = new Set(indexOf(this).get(table) ?? []);
    for (const layer of this._writes) {
      for (const id of Object.keys(layer)) if (tableOfId(id) === table) ids.add(id);
    }
    for (const id of ids) {
      const doc = this.get(table, id);
      if (doc !== null) cb(doc);
    }
  };
  installSortedIndexes(
    proto,
    (v) => jsonToConvex(v as Parameters<typeof jsonToConvex>[0]) as Value,
  );
  installTextSearch(proto, withoutDocuments);
  installPaginate(proto, () => callStorage.getStore()?.journal ?? null);
  installStoreRules(proto);
  installDocValidation(proto);
  installTrackerCapture();
  installTransactionQueue();
  installInlineAesGcm();
  wrapSyscalls();
  installed = true;
}

/** Run `fn`; every database that starts a transaction meanwhile is passed to `bind`. */
export async function bindDatabases<T>(bind: (db: FakeDatabase) => void, fn: () => Promise<T>) {
  try {
    return await bindingStorage.run(bind, fn);
  } finally {
    // Only needed at startup; a disabled ALS costs nothing per promise.
    bindingStorage.disable();
  }
}

/** Report `db`'s top-level commits to `listener`. */
export function listenToCommits(db: FakeDatabase, listener: CommitListener): void {
  listeners.set(db, listener);
}

/** Run `fn` in a call context (its syscalls go to `ctx.recorder`, its console lines to `ctx.logs`). */
export function runInCallContext<T>(ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  return callStorage.run(ctx, fn);
}

/**
 * Report `ctx.auth.getUserIdentity()` calls made inside {@link runInCallContext}
 * to the call's recorder, as Convex notes that a query read its caller's
 * identity: only a query that did not may share its result with other callers.
 * `ctx` is the context of any convex-test run: its `auth` is convex-test's
 * `AuthFake`, whose prototype is wrapped once.
 */
export function trackAuthReads(ctx: unknown): void {
  const auth = (ctx as { auth?: object } | null)?.auth;
  const proto = auth ? (Object.getPrototypeOf(auth) as Record<string, unknown>) : null;
  const original = proto?.getUserIdentity;
  if (!proto || typeof original !== "function") {
    throw new Error("engine: convex-test's ctx.auth has no getUserIdentity() to track");
  }
  if ((original as { tracked?: boolean }).tracked) return;
  const tracked = function (this: unknown, ...args: unknown[]) {
    callStorage.getStore()?.recorder?.authRead?.();
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  tracked.tracked = true;
  proto.getUserIdentity = tracked;
}

/** The current call context, if any. */
export function currentCallContext(): CallContext | undefined {
  return callStorage.getStore();
}
