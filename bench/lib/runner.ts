/** Runs the suites in order and assembles the {@link Report} object (no files written). */
import { performance } from "node:perf_hooks";
import { allSuites } from "../suites/all";
import { type BenchSizes, sizesFor } from "./config";
import { CostRecorder } from "./cost-recorder";
import { machineDetails } from "./machine";
import type { BenchMode, Chart, Report, SuiteResult } from "./report-types";
import { quantile } from "./stats";
import type { SuiteContext } from "./suite";
import { loadSequentialTrace, tracesDir, typeTrace } from "./trace";

/** Why 1,001: a CDF drawn from every 0.1th percentile is indistinguishable from the raw samples. */
const CDF_POINTS = 1001;

/**
 * Replace a CDF's raw samples by its 0.1-percentiles (the distribution's shape,
 * not every sample), so report.json stays small; tables keep exact statistics.
 */
export function compactChart(c: Chart): Chart {
  if (c.kind !== "cdf") return c;
  return {
    ...c,
    series: c.series.map((s) => {
      const finite = s.values.filter(Number.isFinite);
      if (finite.length <= CDF_POINTS) return s;
      const sorted = [...finite].sort((a, b) => a - b);
      return {
        label: s.label,
        values: Array.from({ length: CDF_POINTS }, (_, i) =>
          quantile(sorted, i / (CDF_POINTS - 1)),
        ),
      };
    }),
  };
}

/** Options of one bench run. */
export type RunOptions = {
  root: string;
  mode: BenchMode;
  /** Suite ids to run (baselines they depend on are always run first); null = all. */
  only: string[] | null;
  progress: (msg: string) => void;
  /** Shrink or grow the mode's sizes (tests use tiny ones). */
  sizes?: Partial<BenchSizes>;
};

/** Run the benchmark suites and return the report object. */
export async function runBench(opts: RunOptions): Promise<Report> {
  const t0 = performance.now();
  const sizes = { ...sizesFor(opts.mode), ...opts.sizes };
  const machine = machineDetails(opts.root);
  opts.progress(`mode ${opts.mode}; loading automerge-paper`);
  const trace = loadSequentialTrace(tracesDir(opts.root), "automerge-paper");
  const typed = typeTrace(trace, sizes.traceKeystrokes);
  opts.progress(`typed ${typed.keystrokes} keystrokes (${typed.text.length} chars) into Yjs`);
  const ctx: SuiteContext = {
    root: opts.root,
    mode: opts.mode,
    sizes,
    trace,
    typed,
    baselines: {},
    costs: new CostRecorder(),
    shared: {},
    progress: opts.progress,
  };
  const suites: SuiteResult[] = [];
  for (const suite of allSuites) {
    if (opts.only && !suite.baseline && !opts.only.includes(suite.id)) continue;
    opts.progress(`suite ${suite.id}: ${suite.title}`);
    const s0 = performance.now();
    let out: Omit<SuiteResult, "id" | "title" | "durationMs">;
    try {
      out = await suite.run(ctx);
    } catch (e) {
      // Error messages can embed whole argument objects: keep the report readable.
      const msg = (e instanceof Error ? e.message : String(e)).slice(0, 600);
      opts.progress(`suite ${suite.id} failed: ${msg}`);
      out = {
        status: "not-measured",
        notMeasured: [`the suite failed: ${msg.split("\n")[0]}`],
        tables: [],
        charts: [],
        headlines: [],
        data: { error: msg },
      };
    }
    suites.push({
      id: suite.id,
      title: suite.title,
      durationMs: performance.now() - s0,
      ...out,
      charts: out.charts.map(compactChart),
    });
  }
  return {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    mode: opts.mode,
    machine,
    totalDurationMs: performance.now() - t0,
    suites,
  };
}
