/**
 * Workload sizes per mode. `full` is what the lead runs on a quiet machine
 * (bounded to ≈ 15 min); `quick` runs every suite small (≈ 3 min, CI).
 */
import type { BenchMode } from "./report-types";

/** Sizes every suite reads; each number says why it is what it is. */
export type BenchSizes = {
  /** Keystrokes of automerge-paper replayed (full trace: 259,778 — the reference document of DESIGN.md). */
  traceKeystrokes: number;
  /** Timed runs for fast measures (ms-scale): enough for a stable median and a rough p95. */
  fastRuns: number;
  /** Timed runs for slow measures (≈ 1 s each, e.g. raw-log replay): bounded by the time budget. */
  slowRuns: number;
  /** Client counts for the end-to-end latency runs (issue 7: 2, 5 and 20). */
  clientCounts: number[];
  /** Seconds of typing per latency run at 200 keys/s. */
  latencySeconds: number;
  /**
   * Typing runs for storage/cold open/reconnect: 8 keys/s is a fast human
   * (2 keystrokes per 250 ms push; capped because each push is a full
   * mutation and the in-process backend does ≈ 100 pushes/s on this machine),
   * 200 keys/s the latency runs' writer (50 keystrokes per push: the whole
   * trace fits the time budget).
   */
  typingRuns: { keysPerSecond: number; maxKeystrokes: number }[];
  /** Keys per second typed by the writer (DESIGN.md targets: 200 keys/s). */
  keysPerSecond: number;
  /** Transcript load: seconds per run, meetings in the multi-meeting run. */
  transcriptSeconds: number;
  transcriptMeetings: number;
  /** Virtual seconds of the live-meeting cost workload (each ≈ 4 ticks of ~25 calls). */
  liveSeconds: number;
  /**
   * The long meeting (projection throughput, timeline): events in it (built at ≈ 40–80 events/s
   * in-process with every projector running, so 4,000 ≈ a 5-minute meeting ≈ 1–2 min to build),
   * and random instants probed.
   */
  timelineEvents: number;
  timelineProbes: number;
  /**
   * Issue 20 goal 3 (`engine-latency`): prior note updates and transcript chunks each of the
   * meeting whose `timeline.stateAt` is timed through the engine (2 × this many events).
   */
  stateAtHistory: number;
  /**
   * Issue 20 goal 2 (`engine-growth`): prior note updates and transcript chunks each of the
   * young and the grown meeting (the issue asks for 100 and 10,000), subscribers (the issue: 50),
   * and seconds of live load (5 writers, 20 writes/s) per meeting.
   */
  growthYoung: number;
  growthGrown: number;
  growthSubscribers: number;
  growthSeconds: number;
  /** Waiting people in the matching cycle (issue 17 asks for 10,000). */
  matchingPeople: number;
  /** Seekers the brute-force baseline is timed on (scaled to all; each scores the whole queue). */
  matchingBruteSeekers: number;
};

const QUICK: BenchSizes = {
  traceKeystrokes: 20_000,
  fastRuns: 5,
  slowRuns: 2,
  clientCounts: [2, 5, 20],
  latencySeconds: 2,
  typingRuns: [
    { keysPerSecond: 8, maxKeystrokes: 3_000 },
    { keysPerSecond: 200, maxKeystrokes: 20_000 },
  ],
  keysPerSecond: 200,
  transcriptSeconds: 2,
  transcriptMeetings: 3,
  liveSeconds: 15,
  timelineEvents: 600,
  timelineProbes: 50,
  stateAtHistory: 300,
  // Why 2,000 in quick mode: seeding 10,000 of each through the real functions takes minutes.
  growthYoung: 100,
  growthGrown: 2_000,
  growthSubscribers: 50,
  growthSeconds: 5,
  // Why 2,000 in quick mode: in-process a cycle costs ≈ 35 ms per person (convex-test's
  // per-document overhead and its brute-force vector search), so 10,000 take ≈ 15 min.
  matchingPeople: 2_000,
  matchingBruteSeekers: 100,
};

const FULL: BenchSizes = {
  traceKeystrokes: Number.POSITIVE_INFINITY,
  fastRuns: 15,
  slowRuns: 3,
  clientCounts: [2, 5, 20],
  latencySeconds: 10,
  typingRuns: [
    { keysPerSecond: 8, maxKeystrokes: 12_000 },
    { keysPerSecond: 200, maxKeystrokes: Number.POSITIVE_INFINITY },
  ],
  keysPerSecond: 200,
  transcriptSeconds: 10,
  transcriptMeetings: 10,
  liveSeconds: 90,
  timelineEvents: 4_000,
  timelineProbes: 200,
  // Why 2,000 of each: the 4,000 events of the in-process `projections` meeting.
  stateAtHistory: 2_000,
  growthYoung: 100,
  growthGrown: 10_000,
  growthSubscribers: 50,
  growthSeconds: 20,
  matchingPeople: 10_000,
  matchingBruteSeekers: 500,
};

/** The sizes for a mode. */
export function sizesFor(mode: BenchMode): BenchSizes {
  return mode === "quick" ? QUICK : FULL;
}
