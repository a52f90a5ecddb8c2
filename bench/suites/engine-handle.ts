/** Starts the benchmark's engine child process with seeded meetings (shared by the engine suites). */
import { startChildServer } from "../lib/child-server";
import type { Cell, Table } from "../lib/report-types";
import type { SuiteContext } from "../lib/suite";
import type { SeededInfo, SeedSpec } from "../servers/engine-server";

/** The engine's counters, including its OCC simulation's (see engine/occ/simulator.ts). */
export type EngineCounters = {
  engine: {
    commits: number;
    sessions: number;
    queryRuns: number;
    queryRunsByPath?: Record<string, number>;
    commitsByTable?: Record<string, number>;
    scheduledByName?: Record<string, number>;
  };
  /** CPU time of the engine process so far, ms (absent from older servers). */
  cpuMs?: number;
  occ: {
    conflicts: number;
    retries: number;
    failures: number;
    checked: number;
    byFunction: Record<string, number>;
    byTable: Record<string, number>;
  };
};

/** A running engine child with what it seeded. */
export type EngineHandle = {
  info: SeededInfo;
  counters: () => Promise<EngineCounters | null>;
  /** `start` / `stop <file>`: a V8 CPU profile of the engine child (see servers/profile.ts). */
  profile: (command: string) => Promise<string>;
  stop: () => Promise<void>;
};

/** Start `bench/servers/engine-server.ts` with `spec`; resolves after seeding. */
export async function startBenchEngine(
  ctx: SuiteContext,
  spec: SeedSpec,
  opts: { startTimeoutMs?: number } = {},
): Promise<EngineHandle> {
  ctx.progress(
    `engine: starting (${spec.meetings.length} meetings, ${spec.coldKeystrokes} cold keystrokes)`,
  );
  const server = await startChildServer(
    ctx.root,
    "bench/servers/engine-server.ts",
    { BENCH_SEED: JSON.stringify(spec) },
    { infoLine: true, ...opts },
  );
  const counters = async () => {
    try {
      return JSON.parse(await server.ask("stats", "STATS")) as EngineCounters;
    } catch {
      return null;
    }
  };
  const profile = (command: string) => server.ask(`profile ${command}`, "PROFILE");
  return { info: JSON.parse(server.info) as SeededInfo, counters, profile, stop: server.stop };
}

/** A table of what the engine counted during one suite (the difference of two snapshots). */
export function countersTable(
  before: EngineCounters | null,
  after: EngineCounters | null,
): Table | null {
  if (!before || !after) return null;
  const d = (a: number, b: number) => a - b;
  const byFn = Object.entries(after.occ.byFunction)
    .map(([k, v]) => [k, v - (before.occ.byFunction[k] ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, v]) => `${k}×${v}`)
    .join(", ");
  const byTable = Object.entries(after.occ.byTable)
    .map(([k, v]) => [k, v - (before.occ.byTable[k] ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, v]) => `${k}×${v}`)
    .join(", ");
  return {
    title: "Engine counters during this suite (OCC simulation on)",
    columns: [
      "commits",
      "query runs",
      "transactions checked",
      "conflicts",
      "retries",
      "failed after retries",
      "conflicts by function",
      "by table",
    ],
    rows: [
      [
        d(after.engine.commits, before.engine.commits),
        d(after.engine.queryRuns, before.engine.queryRuns),
        d(after.occ.checked, before.occ.checked),
        d(after.occ.conflicts, before.occ.conflicts),
        d(after.occ.retries, before.occ.retries),
        d(after.occ.failures, before.occ.failures),
        byFn || "none",
        byTable || "none",
      ],
    ],
    method:
      "The engine runs with its optimistic-concurrency simulation (engine/occ/): each mutation's read set is checked " +
      "against the commits made since it started, as Convex does; a conflict re-runs the mutation (up to 4 retries). " +
      "Counters are the difference between snapshots taken before and after the suite's measurements (seeding excluded).",
  };
}

/** The top 8 keys of `after − before` (what grew between two counter snapshots), as `key×n`. */
function top(after: Record<string, number> = {}, before: Record<string, number> = {}): string {
  return Object.entries(after)
    .map(([k, v]) => [k.replace(/\.js:/, ":"), v - (before[k] ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, v]) => `${k}×${v}`)
    .join(", ");
}

/** The columns of {@link workRow}. */
export const WORK_COLUMNS = [
  "run",
  "engine CPU s",
  "commits",
  "query runs",
  "query runs per commit",
  "query runs by function",
  "commits by table written",
  "scheduled functions started",
];

/** One row of a "where the engine's work went" table: commits, query runs by function, commits by table. */
export function workRow(label: string, a: EngineCounters | null, b: EngineCounters | null): Cell[] {
  if (!a || !b)
    return [label, null, null, null, null, "not available", "not available", "not available"];
  const commits = b.engine.commits - a.engine.commits;
  const runs = b.engine.queryRuns - a.engine.queryRuns;
  const cpu = a.cpuMs !== undefined && b.cpuMs !== undefined ? (b.cpuMs - a.cpuMs) / 1000 : null;
  return [
    label,
    cpu,
    commits,
    runs,
    commits > 0 ? runs / commits : null,
    top(b.engine.queryRunsByPath, a.engine.queryRunsByPath),
    top(b.engine.commitsByTable, a.engine.commitsByTable),
    top(b.engine.scheduledByName, a.engine.scheduledByName) || "none",
  ];
}
