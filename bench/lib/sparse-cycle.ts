/**
 * What one isolated event costs a quiet meeting, everything it sets off
 * included: the append, every projector it kicks (each run and the run that
 * goes idle after the linger), the search fan-out, sealing checks. This is the
 * shape of the design's global load (100 note operations/s and 50 chunks/s
 * over 1,000 meetings: one event per meeting every 10–20 s), which the busy
 * live meeting does not show (there runs linger and fold many events each).
 * Measured on the live meeting's backend after it went quiet.
 */
import { performance } from "node:perf_hooks";
import { CostRecorder, type FunctionCost } from "./cost-recorder";
import { drainScheduled, type InprocConvex } from "./inproc";
import { sleep } from "./timing";

/** Why: longer than any projector's kick delay + linger chain (timeline: 1 s + 5 s) with room. */
const QUIET_MAX_MS = 30_000;

/** Run scheduled work as it comes due until nothing is pending (or QUIET_MAX_MS passed). */
export async function settleAll(t: InprocConvex): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    await drainScheduled(t);
    const pending = await t.run(
      async (ctx) =>
        (await ctx.db.system.query("_scheduled_functions").collect()).filter(
          (j) => j.state.kind === "pending" || j.state.kind === "inProgress",
        ).length,
    );
    if (pending === 0 || performance.now() - t0 > QUIET_MAX_MS) return;
    await sleep(200);
  }
}

/** Costs of one isolated event and all it set off, per function. */
export async function sparseCycle(
  t: InprocConvex,
  event: () => Promise<void>,
): Promise<FunctionCost[]> {
  const rec = new CostRecorder().activate();
  try {
    await event();
    await settleAll(t);
    return rec.costs();
  } finally {
    rec.deactivate();
  }
}
