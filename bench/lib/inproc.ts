/**
 * An in-process Convex backend for the benchmarks: `convex-test` over the
 * project's real `convex/` modules and schema, components registered, Convex's
 * transaction limits on — built without Vite (the module map comes from the
 * engine's walker), with every function's handler wrapped for the cost
 * recorder.
 */
import { relative } from "node:path";
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

/**
 * Wait until no scheduled function is pending or running (real timers:
 * `runAfter(0)` chains run on their own). Returns how long it took.
 */
export async function drainScheduled(t: InprocConvex): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    await t.finishInProgressScheduledFunctions();
    const pending = await t.run(async (ctx) => {
      const jobs = await ctx.db.system.query("_scheduled_functions").collect();
      return jobs.filter((j) => j.state.kind === "pending" || j.state.kind === "inProgress").length;
    });
    if (pending === 0) return Date.now() - t0;
    if (Date.now() - t0 > DRAIN_MAX_MS) {
      throw new Error(
        `scheduled functions still pending after ${DRAIN_MAX_MS} ms (${pending} left)`,
      );
    }
    await sleep(2);
  }
}
