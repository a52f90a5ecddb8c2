/** The contract between the runner and each benchmark suite. */
import type { BenchSizes } from "./config";
import type { CostRecorder } from "./cost-recorder";
import type { BenchMode, SuiteResult } from "./report-types";
import type { Summary } from "./stats";
import type { SequentialTrace, TypedTrace } from "./trace";

/** Raw-Yjs reference numbers, measured in the same run, that other suites divide by. */
export type YjsBaselines = {
  keystrokes: number;
  stateV1Bytes: number;
  stateV2Bytes: number;
  updateBytesPerKeystroke: number;
  loadV1Ms: Summary;
  replayMs: Summary;
  replayUpdatesPerSec: number;
  reconnectDiffBytes: number;
  reconnectMs: Summary;
};

/** Hocuspocus reference numbers (keystroke latency per client count, cold open). */
export type HocuspocusBaselines = {
  latencyMs: Record<number, Summary>;
  /** Raw latency samples per client count (for the comparison charts). */
  latencySamples: Record<number, number[]>;
  coldOpenMs: Summary | null;
};

/** Everything a suite gets. */
export type SuiteContext = {
  root: string;
  mode: BenchMode;
  sizes: BenchSizes;
  trace: SequentialTrace;
  /** The trace prefix typed into a Y.Doc with its per-keystroke V1 updates. */
  typed: TypedTrace;
  baselines: { yjs?: YjsBaselines; hocuspocus?: HocuspocusBaselines };
  /** Results one suite leaves for a later one (e.g. the live workload for the capacity model). */
  shared: Record<string, unknown>;
  /** Per-function costs of every in-process call the suites make (the cost report reads it). */
  costs: CostRecorder;
  /** One progress line on stderr. */
  progress: (msg: string) => void;
};

/** What a suite returns; the runner adds id, title and duration. */
export type SuiteOutput = Omit<SuiteResult, "id" | "title" | "durationMs">;

/** One benchmark suite. */
export type Suite = {
  id: string;
  title: string;
  /** Baseline suites always run (others divide by their numbers), even with `--only`. */
  baseline?: boolean;
  run: (ctx: SuiteContext) => Promise<SuiteOutput>;
};

/** An output for a suite whose subject is missing: says why, measures nothing. */
export function notMeasured(...reasons: string[]): SuiteOutput {
  return {
    status: "not-measured",
    notMeasured: reasons,
    tables: [],
    charts: [],
    headlines: [],
    data: {},
  };
}
