/**
 * The shape of a benchmark report: what every suite returns and what
 * `bench/out/report.json` holds. The Markdown and the charts are rendered from
 * this object only, so the JSON is the source of truth.
 */
import type { Summary } from "./stats";

/** `full` is the lead's report run; `quick` runs everything small (CI). */
export type BenchMode = "quick" | "full";

/** A cell: numbers are rendered with units by the column; null renders as "—". */
export type Cell = string | number | null;

/** One Markdown table, with the method that produced its numbers. */
export type Table = {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** How the numbers were obtained (printed under the table). */
  method: string;
};

/** A latency distribution chart: one empirical CDF per series (values in ms). */
export type CdfChart = {
  kind: "cdf";
  id: string;
  title: string;
  unit: string;
  series: { label: string; values: number[] }[];
};

/** A bar chart (e.g. throughput), one bar per label. */
export type BarChart = {
  kind: "bar";
  id: string;
  title: string;
  unit: string;
  bars: { label: string; value: number }[];
};

/** Any chart a suite can ask for. */
export type Chart = CdfChart | BarChart;

/** One headline figure, quoted at the top of the report and in the README. */
export type Headline = {
  measure: string;
  ours: string;
  baseline: string;
  /** ours / baseline where both are measured, else null. */
  ratio: number | null;
  goal: string;
};

/** What one suite produced. A suite whose subject is missing says why instead of inventing numbers. */
export type SuiteResult = {
  id: string;
  title: string;
  status: "measured" | "partial" | "not-measured";
  /** Why parts were not measured (one line each). */
  notMeasured: string[];
  tables: Table[];
  charts: Chart[];
  headlines: Headline[];
  /** Raw numbers for the JSON (summaries, sizes, counts). */
  data: Record<string, unknown>;
  durationMs: number;
  /**
   * Set when the suite was measured in another run than the report's and merged in
   * (`--merge`): that run's time, mode and machine (load average included).
   */
  run?: { generatedAt: string; mode: BenchMode; machine: Record<string, string | number> };
};

/** The whole report. */
export type Report = {
  schemaVersion: 1;
  generatedAt: string;
  mode: BenchMode;
  machine: Record<string, string | number>;
  totalDurationMs: number;
  suites: SuiteResult[];
};

/** A summary as a row fragment: median, p95, p99 (rounded for display). */
export function summaryCells(s: Summary | null | undefined): Cell[] {
  if (!s) return [null, null, null];
  return [s.median, s.p95, s.p99];
}
