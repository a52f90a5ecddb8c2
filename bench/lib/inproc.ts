/**
 * An in-process Convex backend for the benchmarks: `convex-test` over the
 * project's real `convex/` modules and schema, components registered, Convex's
 * transaction limits on — built without Vite (the module map comes from the
 * engine's walker), with every function's handler wrapped for the cost
 * recorder.
 */
import { relative } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { convexTest } from "convex-test";
import { componentsOf, type ModuleMap, moduleMapOf, schemaKeyOf } from "../../engine/modules";
import { wrapModuleHandlers } from "./cost-recorder";
import { sleep } from "./timing";

/** The convex-test backend type the suites drive. */
export type InprocConvex = ReturnType<typeof convexTest>;

/** Build a fresh in-process backend over `<root>/convex`. */
export async function makeInprocConvex(root: string): Promise<InprocConvex> {
  const functionsDir = `${root}/convex`;
  const appImporter = async (url: string) => {
    const mod = (await import(url)) as Record<string, unknown>;
    const rel = relative(functionsDir, fileURLToPath(url)).replace(/\.(ts|js|mjs|tsx)$/, "");
    wrapModuleHandlers(rel.split("\\").join("/"), mod);
    return mod;
  };
  const modules = moduleMapOf(functionsDir, appImporter);
  const schemaKey = schemaKeyOf(modules);
  const schema = schemaKey ? (await modules[schemaKey]!()).default : undefined;
  const t = convexTest({
    schema: schema as Parameters<typeof convexTest>[0] extends infer O
      ? O extends { schema?: infer S }
        ? S
        : never
      : never,
    modules,
    transactionLimits: true,
  });
  for (const c of componentsOf(functionsDir, (url) => import(url))) {
    const key = schemaKeyOf(c.modules);
    const componentSchema = key ? (await c.modules[key]!()).default : null;
    (t.registerComponent as (p: string, s: unknown, m: ModuleMap) => void)(
      c.path,
      componentSchema,
      c.modules,
    );
  }
  return t;
}

/** Upper bound on waiting for scheduled work (projectors, sealing) to drain. */
const DRAIN_MAX_MS = 120_000;
/** Why: a projector that reschedules itself per batch can chain hundreds of runs. */
const DRAIN_ITERATIONS = 10_000;

/**
 * Run every scheduled function that is due, and what they schedule in turn,
 * until none is in flight (convex-test's `finishAllScheduledFunctions` with real
 * timers: it yields event-loop turns for due timers and skips ones whose time
 * has not come, e.g. retry back-offs). Returns how long it took (ms).
 */
export async function drainScheduled(t: InprocConvex, settleMs = 0): Promise<number> {
  const t0 = performance.now();
  const finish = async () => {
    for (;;) {
      try {
        await t.finishAllScheduledFunctions(() => {}, DRAIN_ITERATIONS);
        return;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (!msg.includes("too many iterations") || performance.now() - t0 > DRAIN_MAX_MS) throw e;
      }
    }
  };
  await finish();
  if (settleMs > 0) {
    // Debounced kicks (a projector's kickDelayMs) sit on real timers: wait them out, then drain.
    await sleep(settleMs);
    await finish();
  }
  return performance.now() - t0;
}

/**
 * Longer than any projector's kick delay and linger (the largest: the timeline's 5 s linger),
 * so a settled drain sees the last lingering run fold the tail and go idle.
 */
export const SETTLE_MS = 6_000;
