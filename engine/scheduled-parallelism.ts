/**
 * At most {@link SCHEDULED_JOB_PARALLELISM} scheduled functions run at once per
 * convex-test instance, as on Convex.
 *
 * convex-test arms one timer per `ctx.scheduler.runAfter` and starts every due
 * job when its timer fires, with no bound: a mutation that schedules 200 runs
 * (issue 19's profile pass: one embedding run per imported person) has 200 jobs
 * queueing their transactions beside whatever else the deployment is doing, and
 * 10,000 of them shared the engine's one thread with the rest of the import.
 * Convex's scheduled-job executor starts due jobs in time order up to
 * `SCHEDULED_JOB_EXECUTION_PARALLELISM` (10, `crates/common/src/knobs.rs`) and
 * the next one when a job finishes; client calls do not wait behind the backlog.
 *
 * How, without forking convex-test: its timer callback calls
 * `Scheduler.timerFired()`, then starts the job (whose first step, the
 * pending → inProgress transaction, reaches `TransactionManager.begin`
 * synchronously), then `Scheduler.add(promise)` with the job's promise, and
 * `Scheduler.finish` when it settles. So `timerFired` marks the next top-level
 * `begin` as a job's start; that begin waits for a free slot (nothing is locked
 * yet), and the slot is released when the job's promise settles. Jobs wait in
 * the order their timers fired. Every job state change stays convex-test's
 * (pending → inProgress → success | failed, canceled jobs skipped).
 */

/** Why 10: Convex's default `SCHEDULED_JOB_EXECUTION_PARALLELISM`. */
export const SCHEDULED_JOB_PARALLELISM = 10;

/** The members of convex-test's (unexported) `Scheduler` used here. */
export type SchedulerLike = {
  timerFired(): void;
  add(promise: Promise<unknown>): void;
};

/**
 * Jobs waiting for a slot, oldest first. Why not an array's `shift`: it copies the array, and
 * tens of thousands of jobs wait at once (issue 19's import), which made each start O(backlog).
 */
class Line {
  private items: Array<(() => void) | undefined> = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(f: () => void): void {
    this.items.push(f);
  }
  shift(): (() => void) | undefined {
    if (this.head === this.items.length) return undefined;
    const f = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return f;
  }
}

type Slots = { running: number; waiting: Line };
type Ticket = { slots: Slots; acquired: boolean; released: boolean };

const slotsBy = new WeakMap<SchedulerLike, Slots>();
/** Set by `timerFired`, taken by the next top-level `begin` (the job's first transaction). */
let starting: Ticket | null = null;
/** The ticket of the job whose promise `add` is about to receive. */
let started: Ticket | null = null;

function slotsOf(s: SchedulerLike): Slots {
  let slots = slotsBy.get(s);
  if (!slots) {
    slots = { running: 0, waiting: new Line() };
    slotsBy.set(s, slots);
  }
  return slots;
}

function release(t: Ticket): void {
  if (!t.acquired || t.released) return;
  t.released = true;
  t.slots.running -= 1;
  const next = t.slots.waiting.shift();
  // The next job starts from the event loop, not from this job's promise chain: started in a
  // microtask, a backlog of jobs ran as one unbroken chain and starved timers and I/O (the
  // importer's next call waited seconds for 2,000 queued embedding runs to drain).
  if (next) setImmediate(next);
}

/**
 * Called by the transaction queue's `begin` for top-level transactions: when this
 * begin starts a scheduled job, a promise that resolves once the job has a slot;
 * otherwise null (go on at once).
 */
export function jobSlotFor(isNested: boolean): Promise<void> | null {
  const t = starting;
  if (isNested || t === null) return null;
  starting = null;
  started = t;
  if (t.slots.running < SCHEDULED_JOB_PARALLELISM && t.slots.waiting.length === 0) {
    t.slots.running += 1;
    t.acquired = true;
    return null;
  }
  return new Promise<void>((resolve) => {
    t.slots.waiting.push(() => {
      t.slots.running += 1;
      t.acquired = true;
      resolve();
    });
  });
}

/**
 * Run `job` within the bound of `owner`'s slots (the jobs the engine re-arms after a restart,
 * `scheduled.ts`, which start outside convex-test's scheduler).
 */
export async function withJobSlot<T>(owner: object, job: () => Promise<T>): Promise<T> {
  const t: Ticket = { slots: slotsOf(owner as SchedulerLike), acquired: false, released: false };
  if (t.slots.running < SCHEDULED_JOB_PARALLELISM && t.slots.waiting.length === 0) {
    t.slots.running += 1;
    t.acquired = true;
  } else {
    await new Promise<void>((resolve) => {
      t.slots.waiting.push(() => {
        t.slots.running += 1;
        t.acquired = true;
        resolve();
      });
    });
  }
  try {
    return await job();
  } finally {
    release(t);
  }
}

/** Wrap convex-test's `Scheduler` prototype (once). */
export function installScheduledParallelism(proto: SchedulerLike): void {
  const fired = proto.timerFired;
  const add = proto.add;
  if (typeof fired !== "function" || typeof add !== "function")
    throw new Error("engine: convex-test's Scheduler changed shape; pin convex-test 0.0.60");
  proto.timerFired = function (this: SchedulerLike) {
    fired.call(this);
    starting = { slots: slotsOf(this), acquired: false, released: false };
  };
  proto.add = function (this: SchedulerLike, promise: Promise<unknown>) {
    add.call(this, promise);
    // A job that never reached `begin` (convex-test changed its start) holds no slot.
    starting = null;
    const t = started;
    started = null;
    if (!t) return;
    const done = () => release(t);
    promise.then(done, done);
  };
}
