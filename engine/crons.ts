/**
 * Runs the jobs of the app's `crons.ts` on the engine's own timers (Convex
 * runs them in the backend; convex-test does not). Each job runs as the
 * system (no identity); a failing run is logged and the next one still fires.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type JSONValue, jsonToConvex } from "convex/values";
import type { Backend } from "./backend";
import { type CronSchedule, nextRun } from "./cron-schedule";
import type { Logger } from "./logger";

type CronSpec = { name: string; args: JSONValue[]; schedule: CronSchedule };

/** Load `functionsDir/crons.ts` and arm every job; returns a stop function. */
export async function startCrons(
  backend: Backend,
  functionsDir: string,
  log: Logger,
): Promise<() => void> {
  const file = ["crons.ts", "crons.js"].map((f) => join(functionsDir, f)).find(existsSync);
  if (!file) return () => undefined;
  const mod = (await import(pathToFileURL(file).href)) as {
    default?: { crons?: Record<string, CronSpec> };
  };
  const jobs = mod.default?.crons ?? {};
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  const arm = (id: string, job: CronSpec, after: number) => {
    const at = nextRun(job.schedule, after);
    const timer = setTimeout(
      () => {
        if (stopped) return;
        const started = performance.now();
        const udfPath = job.name.includes(":") ? job.name : `${job.name}:default`;
        backend
          .runInternal("", udfPath, jsonToConvex(job.args[0] ?? {}))
          .then(() =>
            log.call("cron", `${id} → ${udfPath}`, performance.now() - started, "ok", "cron"),
          )
          .catch((e: unknown) =>
            log.call(
              "cron",
              `${id} → ${udfPath}`,
              performance.now() - started,
              `error: ${(e as Error).message}`,
              "cron",
            ),
          )
          .finally(() => {
            if (!stopped) arm(id, job, Math.max(Date.now(), at));
          });
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    timers.set(id, timer);
  };
  for (const [id, job] of Object.entries(jobs)) {
    arm(id, job, Date.now());
    log.info(`cron "${id}" armed (${job.schedule.type}) → ${job.name}`);
  }
  return () => {
    stopped = true;
    for (const t of timers.values()) clearTimeout(t);
  };
}
