/**
 * Deletes finished scheduled-function records (`_scheduled_functions` rows
 * in state success, failed or canceled) once they are older than the
 * retention window. Convex keeps them for 7 days; a local engine whose
 * projectors reschedule on every append would otherwise hold millions of
 * them in memory, in every snapshot and in the journal.
 */
import type { Backend } from "./backend";
import type { StoredDoc } from "./internals";
import type { Logger } from "./logger";

/** Finished jobs are kept this long: status checks right after completion still work. */
const RETENTION_MS = 10 * 60_000;
/** How often to sweep. */
const SWEEP_EVERY_MS = 60_000;
/** Rows deleted per transaction, well under Convex's 16,000 writes per transaction. */
const BATCH = 4_000;

type Job = StoredDoc & { scheduledTime: number; state: { kind: string } };

/** Delete finished jobs older than the window now; returns how many. */
export async function sweepScheduledFunctions(backend: Backend, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (const [component, db] of backend.databases) {
    const old: string[] = [];
    for (const doc of Object.values(db._documents)) {
      if (!doc._id.endsWith("_scheduled_functions")) continue;
      const job = doc as Job;
      const kind = job.state?.kind;
      if (
        (kind === "success" || kind === "failed" || kind === "canceled") &&
        job.scheduledTime < now - RETENTION_MS
      ) {
        old.push(job._id);
      }
    }
    for (let i = 0; i < old.length; i += BATCH) {
      const batch = old.slice(i, i + BATCH);
      await backend.transact(component, async () => {
        for (const id of batch)
          if (db.get("_scheduled_functions", id)) db.delete("_scheduled_functions", id);
      });
      deleted += batch.length;
    }
  }
  return deleted;
}

/** Sweep every {@link SWEEP_EVERY_MS}; returns a stop function. */
export function startScheduledRetention(backend: Backend, log: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepScheduledFunctions(backend)
      .then((n) => {
        if (n > 0) log.debug(`scheduler: deleted ${n} finished scheduled-function record(s)`);
      })
      .catch((e: unknown) => log.warn(`scheduler: retention sweep failed: ${(e as Error).message}`))
      .finally(() => {
        running = false;
      });
  }, SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
