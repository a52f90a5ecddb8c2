/**
 * One FIFO queue in front of convex-test's transaction lock.
 *
 * convex-test runs one top-level transaction at a time: `TransactionManager.begin`
 * loops `while (lock) await lock`, so every waiter awaits the same promise and
 * all of them wake at each commit, one takes the lock and the rest wait again.
 * With N transactions waiting, each commit costs O(N) wake-ups: quadratic in
 * the backlog. Convex itself runs scheduled functions with bounded
 * concurrency; convex-test arms a timer per scheduled job, so a batch that
 * schedules thousands (issue 19's import: one embedding run per imported
 * profile, 5 s later) had ~5,000 waiters, and an import batch of 500
 * messages waited 2 minutes for the lock while the engine spent its time
 * waking waiters (CPU profile: `begin`, promise hooks, GC).
 *
 * Here each waiter waits on its own promise and a commit wakes only the
 * first, so the order is convex-test's own: waiters in arrival order, and a
 * transaction that asks while the lock is free (the next step of the flow
 * that just committed, before the woken waiter resumes) takes it at once, the
 * woken waiter keeping its place at the front. Keeping that order matters:
 * the conflict simulator (`occ/`) reads concurrency windows off it. The lock
 * itself stays convex-test's (`_waitOnCurrentFunction`, which
 * `isInTransaction()` reads).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { convexTest } from "convex-test";
import {
  installScheduledParallelism,
  jobSlotFor,
  type SchedulerLike,
} from "./scheduled-parallelism";

/** The members of convex-test's (unexported) `TransactionManager` used here. */
type TransactionManager = {
  _waitOnCurrentFunction: Promise<void> | null;
  begin(isNested: boolean, limits?: unknown): Promise<void>;
  _endTransaction(isNested: boolean): void;
};

/** `herd`: transactions waiting in convex-test's own loop; `waiting`: the FIFO line. */
type Queue = { waiting: Array<() => void>; herd: number };

/**
 * Why 128: up to this many waiters convex-test's loop costs little (128 wake-ups
 * per commit) and its order is kept exactly (the conflict simulator's tests
 * depend on it, `tests/engine/occ-app.test.ts`); past it, waiters queue.
 */
const HERD_MAX = 128;
const queues = new WeakMap<TransactionManager, Queue>();

function queueOf(tm: TransactionManager): Queue {
  let q = queues.get(tm);
  if (!q) {
    q = { waiting: [], herd: 0 };
    queues.set(tm, q);
  }
  return q;
}

/**
 * The prototypes of convex-test's `TransactionManager` and `Scheduler`: a throw-away
 * `convexTest()` instance's methods run inside `convexGlobalStorage.run(global, …)`;
 * the global they pass holds both.
 */
function capturePrototypes(): { tm: TransactionManager; scheduler: SchedulerLike } {
  const als = AsyncLocalStorage.prototype as unknown as {
    run: (store: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => unknown;
  };
  const originalRun = als.run;
  let captured: TransactionManager | undefined;
  let scheduler: SchedulerLike | undefined;
  als.run = function (this: unknown, store, fn, ...args) {
    const g = store as {
      transactionManager?: TransactionManager;
      scheduler?: SchedulerLike;
    } | null;
    const tm = g?.transactionManager;
    if (tm && !captured) {
      captured = tm;
      scheduler = g?.scheduler;
    }
    return originalRun.call(this, store, fn, ...args);
  };
  try {
    const t = convexTest(undefined, { "/probe/_generated/api.js": async () => ({}) });
    void t.finishInProgressScheduledFunctions();
  } finally {
    als.run = originalRun;
  }
  const proto = captured && (Object.getPrototypeOf(captured) as TransactionManager);
  if (
    !proto ||
    !scheduler ||
    typeof proto.begin !== "function" ||
    typeof proto._endTransaction !== "function" ||
    !("_waitOnCurrentFunction" in captured!)
  )
    throw new Error(
      "engine: convex-test's TransactionManager changed shape; pin convex-test 0.0.60",
    );
  return { tm: proto, scheduler: Object.getPrototypeOf(scheduler) as SchedulerLike };
}

/**
 * Put the FIFO queue in front of every convex-test instance's transaction lock, and the
 * scheduled-job bound (`scheduled-parallelism.ts`) in front of each job's first transaction (once).
 */
export function installTransactionQueue(): void {
  const { tm: proto, scheduler } = capturePrototypes();
  installScheduledParallelism(scheduler);
  const originalBegin = proto.begin;
  const originalEnd = proto._endTransaction;
  const queued = async function (
    this: TransactionManager,
    q: Queue,
    isNested: boolean,
    limits: unknown,
  ): Promise<void> {
    let woken = false;
    while (this._waitOnCurrentFunction !== null || (!woken && q.herd > 0)) {
      // First wait: the back of the line. Woken but beaten to the lock: the front again.
      await new Promise<void>((resolve) =>
        woken ? q.waiting.unshift(resolve) : q.waiting.push(resolve),
      );
      woken = true;
    }
    // With the lock free, convex-test's own begin takes it before its first await.
    return await originalBegin.call(this, isNested, limits);
  };
  const begin = function (this: TransactionManager, isNested: boolean, limits: unknown) {
    if (isNested || this._waitOnCurrentFunction === null)
      return originalBegin.call(this, isNested, limits);
    const q = queueOf(this);
    if (q.waiting.length > 0 || q.herd >= HERD_MAX) return queued.call(this, q, isNested, limits);
    // convex-test's own wait, its promise returned as it is (same timing, same order).
    q.herd += 1;
    const started = originalBegin.call(this, isNested, limits);
    const left = () => {
      q.herd -= 1;
    };
    started.then(left, left);
    return started;
  };
  proto.begin = function (this: TransactionManager, isNested, limits) {
    // A scheduled job's first transaction waits for a job slot before it queues for the lock.
    const slot = jobSlotFor(isNested);
    if (slot === null) return begin.call(this, isNested, limits);
    return slot.then(() => begin.call(this, isNested, limits));
  };
  proto._endTransaction = function (this: TransactionManager, isNested) {
    originalEnd.call(this, isNested);
    if (!isNested) queues.get(this)?.waiting.shift()?.();
  };
}
