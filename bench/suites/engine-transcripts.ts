/**
 * Transcript load through the embedded engine (issue 7 item 6): sustained
 * chunks per second per meeting and across meetings with live subscribers,
 * and the delay until subscribers see each chunk.
 */
import { join } from "node:path";
import { LIVE_MODEL } from "../lib/live-model";
import type { CdfChart, Cell, Headline } from "../lib/report-types";
import { summarize } from "../lib/stats";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { type TranscriptRun, transcriptLoad } from "../lib/transcript-load";
import { fmt } from "../report/format";
import {
  countersTable,
  type EngineHandle,
  startBenchEngine,
  WORK_COLUMNS,
  workRow,
} from "./engine-handle";

/** Writers in the closed-loop (max rate) run: each person is rate-limited to 20 chunks/s. */
const MAX_RUN_WRITERS = 2;

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const { sizes } = ctx;
  const m = sizes.transcriptMeetings;
  const people = LIVE_MODEL.participants;
  const meetings = [
    ...Array.from({ length: m }, (_, i) => ({ label: `tr-${i}`, people })),
    { label: "tr-one", people },
    { label: "tr-max", people },
  ];
  let engine: EngineHandle;
  try {
    engine = await startBenchEngine(ctx, { meetings, coldKeystrokes: 0, coldKeysPerSecond: 200 });
  } catch (e) {
    return {
      status: "not-measured",
      notMeasured: [
        `the embedded engine did not start: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
      ],
      tables: [],
      charts: [],
      headlines: [],
      data: {},
    };
  }
  const before = await engine.counters();
  try {
    const byLabel = (l: string) => engine.info.meetings.filter((x) => x.label.startsWith(l));
    const rate = LIVE_MODEL.transcriptChunksPerSec;
    const runs: {
      name: string;
      writers: number;
      target: string;
      r: TranscriptRun;
      work: Cell[];
    }[] = [];
    /** One load run with the engine's counters around it (and its CPU profile when asked). */
    const measured = async (
      name: string,
      writers: number,
      target: string,
      load: () => Promise<TranscriptRun>,
    ) => {
      const profileDir = process.env.BENCH_TRANSCRIPTS_PROFILE;
      if (profileDir) await engine.profile("start");
      const c0 = await engine.counters();
      const r = await load();
      const c1 = await engine.counters();
      if (profileDir) {
        const file = `transcripts-${runs.length + 1}.cpuprofile`;
        await engine.profile(`stop ${join(profileDir, file)}`);
      }
      runs.push({ name, writers, target, r, work: workRow(name, c0, c1) });
    };
    ctx.progress(`transcripts: 1 meeting at ${rate} chunks/s for ${sizes.transcriptSeconds} s`);
    await measured("1 meeting, design rate", 1, `${rate}/s`, () =>
      transcriptLoad({
        url: engine.info.url,
        meetings: byLabel("tr-one"),
        writers: 1,
        chunksPerSec: rate,
        seconds: sizes.transcriptSeconds,
      }),
    );
    ctx.progress(`transcripts: ${m} meetings at ${rate} chunks/s each`);
    await measured(`${m} meetings, design rate`, 1, `${rate}/s each`, () =>
      transcriptLoad({
        url: engine.info.url,
        meetings: byLabel("tr-").filter((x) => /^tr-\d+$/.test(x.label)),
        writers: 1,
        chunksPerSec: rate,
        seconds: sizes.transcriptSeconds,
      }),
    );
    ctx.progress(`transcripts: 1 meeting, ${MAX_RUN_WRITERS} writers as fast as answers come`);
    await measured("1 meeting, closed loop (max)", MAX_RUN_WRITERS, "as fast as acknowledged", () =>
      transcriptLoad({
        url: engine.info.url,
        meetings: byLabel("tr-max"),
        writers: MAX_RUN_WRITERS,
        chunksPerSec: null,
        seconds: sizes.transcriptSeconds,
      }),
    );
    const rows: Cell[][] = runs.map(({ name, writers, target, r }) => {
      const d = summarize(r.delays.length > 0 ? r.delays : [Number.NaN]);
      return [
        name,
        writers,
        people - writers,
        target,
        r.acked / r.seconds / r.meetings,
        r.acked / r.seconds,
        d.median,
        d.p95,
        d.p99,
        r.missing,
        Object.entries(r.refused)
          .map(([k, v]) => `${k}×${v}`)
          .join(", ") || "none",
        r.failed,
      ];
    });
    const chart: CdfChart = {
      kind: "cdf",
      id: "transcript-delay",
      title: "Transcript chunk → subscribers (embedded engine)",
      unit: "ms",
      series: runs.map(({ name, r }) => ({ label: name, values: r.delays })),
    };
    const many = runs[1]!.r;
    const manyDelay = summarize(many.delays.length > 0 ? many.delays : [Number.NaN]);
    const max = runs[2]!.r;
    const headlines: Headline[] = [
      {
        measure: `transcript delivery p95 to live subscribers, ${m} meetings × ${rate} chunks/s (engine)`,
        ours: `${fmt(manyDelay.p95)} ms`,
        baseline: "design target: delivery p95 < 150 ms",
        ratio: manyDelay.p95 / 150,
        goal: "≤ 1×",
      },
      {
        measure: "sustained transcript chunks/s in one meeting, closed loop (engine)",
        ours: `${fmt(max.acked / max.seconds)} chunks/s`,
        baseline: `design target ≥ ${rate} chunks/s per meeting`,
        ratio: max.acked / max.seconds / rate,
        goal: "≥ 1×",
      },
    ];
    const occTable = countersTable(before, await engine.counters());
    return {
      status: "measured",
      notMeasured: [],
      headlines,
      charts: [chart],
      tables: [
        {
          title: "Transcript load through the embedded engine",
          columns: [
            "run",
            "writers/meeting",
            "subscribers/meeting",
            "target",
            "acked chunks/s per meeting",
            "acked chunks/s total",
            "delay median ms",
            "delay p95 ms",
            "delay p99 ms",
            "missing arrivals",
            "refusals",
            "failed calls",
          ],
          rows,
          method:
            "The embedded engine in a child process; meetings of 5 seeded through the public functions. Each person is " +
            "its own ConvexClient (WebSocket, dev JWT). Writers call `transcripts.append` (final chunks) — open loop at " +
            `the design rate, or closed loop (next chunk when the previous is answered); the other people hold a live ` +
            "`transcripts.stream` subscription, re-subscribing after their last sequence. Delay = the chunk's arrival " +
            "in a subscriber's callback − the moment its append was sent, over every (subscriber, chunk) pair. Rate limit: " +
            `20 chunks/s per person (burst 100). ${sizes.transcriptSeconds} s per run; subscribers get ≤ 10 s to drain.`,
        },
        {
          title: "Where the engine's work went during each run",
          columns: WORK_COLUMNS,
          rows: runs.map((x) => x.work),
          method:
            "Engine counters taken before and after each run: commits, subscription query executions by function, " +
            "and commits by the tables they wrote (top 8 each; a scheduled function costs three commits in the " +
            "engine: started, its own, finished). `BENCH_TRANSCRIPTS_PROFILE=<dir>` writes a CPU profile of the " +
            "engine per run there.",
        },
        ...(occTable ? [occTable] : []),
      ],
      data: {
        runs: runs.map(({ name, r }) => ({
          name,
          ...r,
          delays: summarize(r.delays.length ? r.delays : [Number.NaN]),
        })),
      },
    };
  } finally {
    await engine.stop();
  }
}

/** The transcript load suite. */
export const engineTranscriptsSuite: Suite = {
  id: "engine-transcripts",
  title: "Transcript load through the embedded engine",
  run,
};
