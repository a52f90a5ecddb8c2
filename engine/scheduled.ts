/**
 * Re-arms scheduled functions found pending in loaded data (convex-test only
 * arms a timer when `ctx.scheduler` is called, so after a restart nobody
 * would run them). Same job states as convex-test and Convex: pending →
 * inProgress → success | failed. A job left `inProgress` by a stopped engine
 * is retried when it is a mutation (its effects never committed: exactly
 * once) and marked failed when it is an action (at most once). Re-armed jobs run at most
 * `SCHEDULED_JOB_PARALLELISM` at a time (`scheduled-parallelism.ts`).
 */
import type { Backend } from "./backend";
import { canonicalizeUdfPath } from "./backend";
import type { FakeDatabase, StoredDoc } from "./internals";
import type { Logger } from "./logger";
import { withJobSlot } from "./scheduled-parallelism";

type Job = StoredDoc & {
  name: string;
  args: unknown[];
  scheduledTime: number;
  state: { kind: string };
};

async function isAction(backend: Backend, component: string, name: string): Promise<boolean> {
  try {
    const { module, exportName } = canonicalizeUdfPath(name);
    const fn = await backend.loadExport(component, module, exportName);
    return Boolean(fn && (fn as { isAction?: boolean }).isAction);
  } catch {
    return false;
  }
}

async function runJob(
  backend: Backend,
  db: FakeDatabase,
  component: string,
  job: Job,
  log: Logger,
) {
  const started = await backend.transact(component, async () => {
    const current = db.get("_scheduled_functions", job._id) as Job | null;
    if (current?.state.kind !== "pending") return false;
    db.patch("_scheduled_functions", job._id, {
      state: { kind: "inProgress" },
    });
    return true;
  });
  if (!started) return;
  const patch = (state: Record<string, unknown>) =>
    backend.transact(component, async () => {
      db.patch("_scheduled_functions", job._id, state);
    });
  try {
    await backend.runInternal(component, job.name, job.args[0] ?? {});
    await patch({ state: { kind: "success" } });
  } catch (e) {
    log.warn(`scheduled ${job.name} failed: ${(e as Error).message}`);
    await patch({ state: { kind: "failed" }, completedTime: Date.now() });
  }
}

/** Arm timers for every pending job in `backend`'s data; returns a stop function. */
export function rearmScheduledFunctions(backend: Backend, log: Logger): () => void {
  const timers: NodeJS.Timeout[] = [];
  let count = 0;
  for (const [component, db] of backend.databases) {
    for (const doc of Object.values(db._documents)) {
      if (!doc._id.endsWith("_scheduled_functions")) continue;
      const job = doc as Job;
      if (job.state.kind !== "pending" && job.state.kind !== "inProgress") continue;
      count += 1;
      const fire = async () => {
        if (job.state.kind === "inProgress") {
          if (await isAction(backend, component, job.name)) {
            await backend.transact(component, async () => {
              db.patch("_scheduled_functions", job._id, {
                state: { kind: "failed" },
                completedTime: Date.now(),
              });
            });
            return;
          }
          await backend.transact(component, async () => {
            db.patch("_scheduled_functions", job._id, {
              state: { kind: "pending" },
            });
          });
        }
        await runJob(backend, db, component, job, log);
      };
      armAt(job.scheduledTime, timers, () => {
        withJobSlot(backend, fire).catch((e: unknown) =>
          log.warn(`scheduled ${job.name}: ${(e as Error).message}`),
        );
      });
    }
  }
  if (count > 0) log.info(`scheduler: re-armed ${count} pending scheduled function(s)`);
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}

/** Why: Node keeps a timer of at most 2^31 - 1 ms (about 24.8 days) and fires a longer one at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `fire` at the wall-clock time `at`: a wait longer than Node keeps is armed in steps, each
 * measured again from the clock (a meeting reminder a month ahead must not run now). Every
 * timer armed goes into `timers`, so clearing them all stops the wait.
 */
export function armAt(at: number, timers: NodeJS.Timeout[], fire: () => void): void {
  const wait = Math.max(0, at - Date.now());
  timers.push(
    setTimeout(
      () => (wait > MAX_TIMER_MS ? armAt(at, timers, fire) : fire()),
      Math.min(wait, MAX_TIMER_MS),
    ),
  );
}
