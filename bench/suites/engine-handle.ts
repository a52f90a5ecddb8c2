/** Starts the benchmark's engine child process with seeded meetings (shared by the engine suites). */
import { startChildServer } from "../lib/child-server";
import type { SuiteContext } from "../lib/suite";
import type { SeededInfo, SeedSpec } from "../servers/engine-server";

/** A running engine child with what it seeded. */
export type EngineHandle = { info: SeededInfo; stop: () => Promise<void> };

/** Start `bench/servers/engine-server.ts` with `spec`; resolves after seeding. */
export async function startBenchEngine(ctx: SuiteContext, spec: SeedSpec): Promise<EngineHandle> {
  ctx.progress(
    `engine: starting (${spec.meetings.length} meetings, ${spec.coldKeystrokes} cold keystrokes)`,
  );
  const server = await startChildServer(
    ctx.root,
    "bench/servers/engine-server.ts",
    { BENCH_SEED: JSON.stringify(spec) },
    { infoLine: true },
  );
  return { info: JSON.parse(server.info) as SeededInfo, stop: server.stop };
}
