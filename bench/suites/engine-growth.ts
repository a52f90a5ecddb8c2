/**
 * Flat as meetings grow (issue 20 goal 2): the same live load — 50
 * subscribers holding the meeting room's subscriptions, 5 writers making 20
 * writes/s (note updates and transcript chunks, alternately) — on a young
 * meeting (100 prior note updates and 100 prior chunks) and on a grown one
 * (10,000 of each), in one engine process, side by side: acknowledgement and
 * delivery median/p95, missing deliveries, and the grown/young ratio.
 *
 * Iterating: `BENCH_GROWTH_GROWN`, `BENCH_GROWTH_SECONDS`,
 * `BENCH_GROWTH_SUBSCRIBERS` override the mode's sizes; `BENCH_GROWTH_PROFILE=<dir>`
 * writes a V8 CPU profile of the engine per run there.
 */
import { join } from "node:path";
import { type GrowthRun, growthLoad } from "../lib/growth-load";
import type { CdfChart, Cell, Headline } from "../lib/report-types";
import { ratio, type Summary, summarize } from "../lib/stats";
import { notMeasured, type Suite, type SuiteContext, type SuiteOutput } from "../lib/suite";
import { fmt } from "../report/format";
import {
  countersTable,
  type EngineHandle,
  startBenchEngine,
  WORK_COLUMNS,
  workRow,
} from "./engine-handle";

/** The issue's load: 5 writers, 20 writes/s in all. */
const WRITERS = 5;
const WRITES_PER_SEC = 20;
/** Why 10: a second, lighter pair shows whether the engine stays flat when it is not saturated. */
const LIGHT_SUBSCRIBERS = 10;
/** The issue's goals, ms. */
const ACK_P95_GOAL = 250;
const DELIVERY_P95_GOAL = 300;
/** Why 40 min: seeding 10,000 note pushes + 10,000 chunks through the real functions, plus catch-up. */
const START_TIMEOUT_MS = 40 * 60_000;

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

const sum = (xs: number[]) => (xs.length > 0 ? summarize(xs) : null);
const both = (x: { notes: number[]; chunks: number[] }) => sum([...x.notes, ...x.chunks]);

type Run = { label: string; prior: number; r: GrowthRun; work: Cell[] };

function row(label: string, prior: number, r: GrowthRun): Cell[] {
  const ack = both(r.ack);
  const delay = both(r.delay);
  const acked = r.ack.notes.length + r.ack.chunks.length;
  return [
    label,
    prior,
    r.subscribers,
    acked / r.seconds,
    ack?.median ?? null,
    ack?.p95 ?? null,
    sum(r.ack.notes)?.p95 ?? null,
    sum(r.ack.chunks)?.p95 ?? null,
    delay?.median ?? null,
    delay?.p95 ?? null,
    sum(r.delay.notes)?.p95 ?? null,
    sum(r.delay.chunks)?.p95 ?? null,
    r.missing,
    Object.entries(r.refused)
      .map(([k, v]) => `${k}×${v}`)
      .join(", ") || "none",
    `${r.failed} calls, ${r.subscriptionErrors} subscription errors`,
  ];
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const young = ctx.sizes.growthYoung;
  const grown = envInt("BENCH_GROWTH_GROWN", ctx.sizes.growthGrown);
  const seconds = envInt("BENCH_GROWTH_SECONDS", ctx.sizes.growthSeconds);
  const subscribers = envInt("BENCH_GROWTH_SUBSCRIBERS", ctx.sizes.growthSubscribers);
  const profileDir = process.env.BENCH_GROWTH_PROFILE;
  const light = Math.min(subscribers, envInt("BENCH_GROWTH_LIGHT", LIGHT_SUBSCRIBERS));
  const people = WRITERS + subscribers;
  let engine: EngineHandle;
  ctx.progress(`growth: seeding ${young} and ${grown} prior note updates + chunks`);
  try {
    engine = await startBenchEngine(
      ctx,
      {
        meetings: [
          { label: "young", people, history: { notes: young, chunks: young } },
          {
            label: "young-light",
            people: WRITERS + light,
            history: { notes: young, chunks: young },
          },
          { label: "grown", people, history: { notes: grown, chunks: grown } },
        ],
        coldKeystrokes: 0,
        coldKeysPerSecond: 200,
      },
      { startTimeoutMs: START_TIMEOUT_MS },
    );
  } catch (e) {
    return notMeasured(
      `the embedded engine did not start: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
    );
  }
  const before = await engine.counters();
  try {
    const byLabel = (l: string) => engine.info.meetings.find((m) => m.label === l)!;
    // Events each meeting holds before a run (its history plus earlier runs' writes).
    const held = new Map<string, { notes: number; chunks: number }>([
      ["young", { notes: young, chunks: young }],
      ["young-light", { notes: young, chunks: young }],
      ["grown", { notes: grown, chunks: grown }],
    ]);
    // The light pair first (the grown meeting then holds its writes too: a few hundred more).
    const plan = [
      { meeting: "young-light", label: "young", subs: light },
      { meeting: "grown", label: "grown", subs: light },
      { meeting: "young", label: "young", subs: subscribers },
      { meeting: "grown", label: "grown", subs: subscribers },
    ];
    const runs: { label: string; prior: number; r: GrowthRun; work: Cell[] }[] = [];
    for (const [i, step] of plan.entries()) {
      const m = byLabel(step.meeting);
      const h = held.get(step.meeting)!;
      const name = `${step.label}, ${step.subs} subscribers`;
      ctx.progress(`growth: ${name} (${h.notes} prior note updates), ${seconds} s`);
      if (profileDir) await engine.profile("start");
      const c0 = await engine.counters();
      const r = await growthLoad({
        url: engine.info.url,
        meetingId: m.meetingId,
        people: m.people.slice(0, WRITERS + step.subs),
        writers: WRITERS,
        writesPerSec: WRITES_PER_SEC,
        seconds,
        fromSequence: h.chunks + 1,
        // Prior chunks are 100 ms each from 0; live speech follows them (and earlier runs).
        startMsBase: h.chunks * 100 + (i + 1) * 60_000,
        clientIdBase: 7_000_000 + i * 1000,
      });
      if (profileDir)
        await engine.profile(
          `stop ${join(profileDir, `growth-${step.label}-${step.subs}.cpuprofile`)}`,
        );
      runs.push({
        label: name,
        prior: h.notes,
        r,
        work: workRow(name, c0, await engine.counters()),
      });
      h.notes += r.ack.notes.length;
      h.chunks += r.ack.chunks.length;
    }
    const [ly, lg, y, g] = runs as [Run, Run, Run, Run];
    const ya = both(y.r.ack);
    const ga = both(g.r.ack);
    const yd = both(y.r.delay);
    const gd = both(g.r.delay);
    const pair = (a: Summary | null, b: Summary | null) =>
      `${fmt(a?.p95 ?? Number.NaN)} ms (${fmt(b?.p95 ?? Number.NaN)} ms at ${young})`;
    const headlines: Headline[] = [
      {
        measure: `acknowledgement p95, ${subscribers} subscribers, ${WRITES_PER_SEC} writes/s, meeting with ${grown} prior note updates + ${grown} chunks (engine)`,
        ours: pair(ga, ya),
        baseline: `same load at ${young} prior events (same run)`,
        ratio: ratio(ga?.p95, ya?.p95),
        goal: `≤ ${ACK_P95_GOAL} ms at both sizes`,
      },
      {
        measure: `delivery p95 (missing: ${g.r.missing} / ${y.r.missing}), same load and meeting`,
        ours: pair(gd, yd),
        baseline: `same load at ${young} prior events (same run)`,
        ratio: ratio(gd?.p95, yd?.p95),
        goal: `≤ ${DELIVERY_P95_GOAL} ms, zero missing`,
      },
    ];
    const charts: CdfChart[] = [
      {
        kind: "cdf",
        id: "growth-ack",
        title: "Acknowledgement, young vs grown meeting (engine)",
        unit: "ms",
        series: runs.map(({ label, prior, r }) => ({
          label: `${label} (${prior} prior)`,
          values: [...r.ack.notes, ...r.ack.chunks],
        })),
      },
      {
        kind: "cdf",
        id: "growth-delivery",
        title: "Delivery to subscribers, young vs grown meeting (engine)",
        unit: "ms",
        series: runs.map(({ label, prior, r }) => ({
          label: `${label} (${prior} prior)`,
          values: [...r.delay.notes, ...r.delay.chunks],
        })),
      },
    ];
    const ratioRow = (a: Run, b: Run, label: string): Cell[] => {
      const s2 = (x: { notes: number[]; chunks: number[] }) => both(x);
      return [
        label,
        null,
        null,
        null,
        ratio(s2(b.r.ack)?.median, s2(a.r.ack)?.median),
        ratio(s2(b.r.ack)?.p95, s2(a.r.ack)?.p95),
        ratio(sum(b.r.ack.notes)?.p95, sum(a.r.ack.notes)?.p95),
        ratio(sum(b.r.ack.chunks)?.p95, sum(a.r.ack.chunks)?.p95),
        ratio(s2(b.r.delay)?.median, s2(a.r.delay)?.median),
        ratio(s2(b.r.delay)?.p95, s2(a.r.delay)?.p95),
        ratio(sum(b.r.delay.notes)?.p95, sum(a.r.delay.notes)?.p95),
        ratio(sum(b.r.delay.chunks)?.p95, sum(a.r.delay.chunks)?.p95),
        null,
        null,
        null,
      ];
    };
    const occTable = countersTable(before, await engine.counters());
    const seeded = engine.info.history;
    return {
      status: "measured",
      notMeasured: [],
      headlines,
      charts,
      tables: [
        {
          title: "Flat as meetings grow: the same live load on a young and a grown meeting",
          columns: [
            "meeting",
            "note updates held (and about as many chunks)",
            "subscribers",
            "acked writes/s",
            "ack median ms",
            "ack p95 ms",
            "ack p95 notes",
            "ack p95 chunks",
            "delivery median ms",
            "delivery p95 ms",
            "delivery p95 notes",
            "delivery p95 chunks",
            "missing deliveries",
            "refusals",
            "failed",
          ],
          rows: [
            ...runs.slice(0, 2).map(({ label, prior, r }) => row(label, prior, r)),
            ratioRow(ly, lg, `grown / young, ${light} subscribers`),
            ...runs.slice(2).map(({ label, prior, r }) => row(label, prior, r)),
            ratioRow(y, g, `grown / young, ${subscribers} subscribers`),
          ],
          method:
            "The embedded engine in a child process (OCC simulation on). Three meetings seeded through the public " +
            `functions: a young one of ${people} people and one of ${WRITERS + light} (${young} prior note updates and as ` +
            `many chunks each) and a grown one of ${people} (${grown} of each); the host wrote each one's prior history ` +
            "(`notes.push` one small paragraph edit per call, `transcripts.ingest` 50 final chunks per call, " +
            `interleaved, wall clock moved at the rate limits' pace) and every projector caught up` +
            (seeded
              ? ` (${fmt(seeded.seconds)} s of seeding; caught up: ${seeded.caughtUp ? "yes" : "no"})`
              : "") +
            `. Then four runs of ${seconds} s one after the other — young and grown with ${light} subscribers, then with ` +
            `${subscribers} (the grown meeting's second run also holds the first run's writes; the column says what each ` +
            `meeting held) — each: ${WRITERS} writers (own ConvexClient, WebSocket, dev JWT) ` +
            `make ${WRITES_PER_SEC} writes/s in all, open loop, alternately a note update (\`notes.push\`, a few characters in ` +
            "the writer's paragraph) and a final chunk (`transcripts.append`); each other person holds the meeting room's " +
            "subscriptions: notes (`notes.bootstrap`, then `notes.pull` after its cursor, one subscription kept and moved every 16 updates as the provider does), " +
            "the live transcript (`transcripts.stream` after its last sequence), `meetings.get`, `participants.list`, " +
            "`meetingState.get` and `transcriptSegments.list` following `nextIndex`. Acknowledgement = the mutation's promise " +
            "(it resolves once the commit is visible to the client); delivery = arrival in a subscriber's callback − send, " +
            "over every (subscriber, write) pair; missing = not arrived 10 s after the last write. The ratio rows divide the " +
            "grown meeting's figure by the young one's (same process, same load).",
        },
        {
          title: "Where the engine's work went during each run",
          columns: ["meeting", ...WORK_COLUMNS.slice(1)],
          rows: runs.map((x) => x.work),
          method:
            "Engine counters taken before and after each run: commits, subscription query executions (a run shared " +
            "by subscribers of the same function, arguments and identity counts once) by function, and commits by " +
            "the tables they wrote, and scheduled functions started by name (top 8 each).",
        },
        ...(occTable ? [occTable] : []),
      ],
      data: {
        young,
        grown,
        seconds,
        subscribers,
        writers: WRITERS,
        writesPerSec: WRITES_PER_SEC,
        seeding: seeded,
        runs: runs.map(({ label, prior, r }) => ({
          label,
          prior,
          sent: r.sent,
          expected: r.expected,
          missing: r.missing,
          refused: r.refused,
          failed: r.failed,
          ack: { notes: sum(r.ack.notes), chunks: sum(r.ack.chunks), all: both(r.ack) },
          delay: { notes: sum(r.delay.notes), chunks: sum(r.delay.chunks), all: both(r.delay) },
        })),
      },
    };
  } finally {
    await engine.stop();
  }
}

/** Issue 20 goal 2: the same live load on a young and on a grown meeting. */
export const engineGrowthSuite: Suite = {
  id: "engine-growth",
  title: "Flat as meetings grow (engine)",
  run,
};
