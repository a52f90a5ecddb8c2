/**
 * Projection throughput and timeline replay on one long meeting built at the
 * design rates (in-process):
 * - live projector throughput: events folded per second of projector run time
 *   while the meeting happened (convex-test, database writes included);
 * - rebuild fold throughput per projection: the whole log read once, then
 *   decoded and folded from empty with the projection's own fold (pure, no
 *   database), in events/s — against Marten's published 8.7K events/s;
 * - timeline: `timeline.stateAt` at random instants vs folding the log from the
 *   start through `timeline.events` pages (what a client without keyframes does).
 */
import { api } from "../../convex/_generated/api";
import { allProjectors } from "../../convex/projectors/registry";
import { readBatch } from "../../convex/projectors/sources";
import { decodeEvent } from "../../projections/events/decode";
import { CostRecorder } from "../lib/cost-recorder";
import { buildMeetingDataset, type MeetingDataset } from "../lib/meeting-dataset";
import type { Cell, Headline, Table } from "../lib/report-types";
import { probeStateAt } from "../lib/stateat-probe";
import { perSecond, ratio, summarize } from "../lib/stats";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { repeatWithinBudget } from "../lib/timing";
import { fmt } from "../report/format";

/** Marten's published projection rebuild rate (DESIGN.md, Targets). */
const MARTEN_EVENTS_PER_SEC = 8_700;
/** Time budget for each repeated measure. */
const BUDGET_MS = 20_000;
async function liveThroughput(ds: MeetingDataset, rec: CostRecorder): Promise<Cell[][]> {
  const cps = await ds.t.run((ctx) =>
    ctx.db
      .query("projectionCheckpoints")
      .filter((q) => q.eq(q.field("meetingId"), ds.meetingId))
      .collect(),
  );
  const costs = rec.costs();
  return cps.map((cp) => {
    const c = costs.find((x) => x.path === `projectors/run:run[${cp.projection}]`);
    const ms = c ? c.wallMs.mean * c.calls : null;
    return [
      cp.projection,
      cp.processed,
      c?.calls ?? null,
      c ? cp.processed / c.calls : null,
      ms,
      ms ? perSecond(cp.processed, ms) : null,
    ];
  });
}

async function rebuildThroughput(ctx: SuiteContext, ds: MeetingDataset) {
  const rows: Cell[][] = [];
  const rates: Record<string, number> = {};
  for (const p of allProjectors()) {
    const fold = p.folds[p.latest];
    if (!fold) continue;
    // t.run serializes its return value: hand the (closure-bearing) items out by side effect.
    let items: Awaited<ReturnType<typeof readBatch>>["items"] = [];
    await ds.t.run(async (c) => {
      items = (await readBatch(c, ds.meetingId, fold.streams, {}, 1_000_000)).items;
      return null;
    });
    let bad = 0;
    const ms = await repeatWithinBudget(
      { runs: ctx.sizes.fastRuns, minRuns: 2, budgetMs: BUDGET_MS },
      () => null,
      () => {
        let state = fold.init();
        bad = 0;
        for (const item of items) {
          try {
            state = fold.evolve(state, decodeEvent(item));
          } catch {
            bad++;
          }
        }
        return state;
      },
    );
    const s = summarize(ms);
    const rate = perSecond(items.length, s.median);
    rates[p.name] = rate;
    rows.push([
      p.name,
      fold.streams.join("+"),
      items.length,
      bad,
      s.median,
      s.p95,
      rate,
      ratio(rate, MARTEN_EVENTS_PER_SEC),
    ]);
  }
  return { rows, rates };
}

async function timeline(ctx: SuiteContext, ds: MeetingDataset) {
  const reader = ds.people[1]!.as;
  return await probeStateAt(
    {
      stateAt: (t) => reader.query(api.timeline.stateAt, { meetingId: ds.meetingId, t }),
      events: (cursors) =>
        reader.query(api.timeline.events, {
          meetingId: ds.meetingId,
          ...(cursors ? { cursors } : {}),
        }),
    },
    { firstAt: ds.firstAt, lastAt: ds.lastAt },
    { probes: ctx.sizes.timelineProbes, budgetMs: BUDGET_MS },
  );
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const rec = new CostRecorder();
  const events = ctx.sizes.timelineEvents;
  ctx.progress(`projections: building a meeting of ${events} events at design rates`);
  ctx.costs.activate();
  let ds: MeetingDataset;
  try {
    ds = await buildMeetingDataset(ctx.root, ctx.typed, events, rec, ctx.progress);
  } finally {
    ctx.costs.deactivate();
  }
  try {
    const live = await liveThroughput(ds, rec);
    ctx.progress("projections: rebuild fold throughput");
    const rebuild = await rebuildThroughput(ctx, ds);
    ctx.progress("projections: timeline stateAt vs fold from start");
    ctx.costs.activate();
    const tl = await timeline(ctx, ds);
    ctx.costs.deactivate();
    const minutes = (ds.lastAt - ds.firstAt) / 60_000;
    const slowest = Object.entries(rebuild.rates).reduce(
      (a, b) => (b[1] < a[1] ? b : a),
      ["", Number.POSITIVE_INFINITY],
    );
    const headlines: Headline[] = [
      {
        measure: `projection rebuild fold, slowest projection (${slowest[0]}), in-process`,
        ours: `${fmt(slowest[1])} events/s`,
        baseline: `Marten ${fmt(MARTEN_EVENTS_PER_SEC)} events/s (published)`,
        ratio: ratio(slowest[1], MARTEN_EVENTS_PER_SEC),
        goal: "≥ 10K events/s in-process (≥ 1.15×)",
      },
      {
        measure: `timeline stateAt p95, ${fmt(minutes)}-minute meeting of ${ds.noteEvents + ds.transcriptEvents} events`,
        ours: `${fmt(tl.stateAt.p95)} ms`,
        baseline: `fold from start p95 ${fmt(tl.fold.p95)} ms`,
        ratio: ratio(tl.stateAt.p95, tl.fold.p95),
        goal: "< 1× (keyframes pay off); p95 query < 120 ms",
      },
    ];
    const notesRate = rebuild.rates.meetingNotes;
    const yjsRate = ctx.baselines.yjs?.replayUpdatesPerSec;
    if (notesRate !== undefined) {
      headlines.push({
        measure: "notes compaction (meetingNotes fold over coalesced note updates), in-process",
        ours: `${fmt(notesRate)} updates/s`,
        baseline: `raw Yjs applyUpdate ${fmt(yjsRate)} updates/s`,
        ratio: ratio(notesRate, yjsRate),
        goal: "≥ 0.8×",
      });
    }
    const dsNote =
      `One meeting built in-process at the design rates on a virtual clock: ${ds.noteEvents} note pushes (2 trace keystrokes each, ` +
      `every 250 ms) and ${ds.transcriptEvents} final transcript chunks (10/s), ≈ ${fmt(minutes)} minutes; projectors ran ` +
      "as scheduled while it was built.";
    const tables: Table[] = [
      {
        title: "Projector throughput through convex-test (runs during and right after the build)",
        columns: [
          "projection",
          "events folded",
          "runs",
          "events per run",
          "run time ms (total)",
          "events/s of run time",
        ],
        rows: live,
        method: `${dsNote} Events folded come from each checkpoint's \`processed\`; run time is the sum of that projector's run wall times (convex-test: reads, fold, view and checkpoint writes). On the virtual clock the build outpaces the projectors' real-time kick delays, so most events are folded in a few large catch-up runs: this is catch-up throughput including the database work.`,
      },
      {
        title: "Rebuild fold throughput per projection (pure fold from empty)",
        columns: [
          "projection",
          "streams",
          "events",
          "poison",
          "median ms",
          "p95 ms",
          "events/s",
          "× Marten 8.7K/s",
        ],
        rows: rebuild.rows,
        method:
          `${dsNote} The projection's whole log is read once with the projectors' own \`readBatch\`, then each timed run ` +
          "decodes every event and folds it from `init()` with the projection's newest fold (what a rebuild computes per " +
          "meeting, without the database reads and view writes). Marten's number is its published async-daemon rebuild rate " +
          "(with a database), so the ratio flatters us: the live table above includes our database work.",
      },
      {
        title: "Timeline: stateAt vs fold from start",
        columns: ["method", "median ms", "p95 ms", "p99 ms", "probes"],
        rows: [
          [
            "timeline.stateAt (keyframe + tail)",
            tl.stateAt.median,
            tl.stateAt.p95,
            tl.stateAt.p99,
            tl.stateAt.n,
          ],
          [
            `fold from start via timeline.events (≈ ${fmt(tl.eventsFolded)} events each)`,
            tl.fold.median,
            tl.fold.p95,
            tl.fold.p99,
            tl.fold.n,
          ],
        ],
        method:
          `${dsNote} Instants drawn uniformly over the meeting with a fixed-seed PRNG. stateAt: one query as a ` +
          "participant. Fold from start: the client pages `timeline.events` (500 per page) from the beginning and folds " +
          "with the same `projections/timeline` fold until the instant. In-process (no network). Up to " +
          `${ctx.sizes.timelineProbes} probes within ${BUDGET_MS / 1000} s each.`,
      },
    ];
    return {
      status: "measured",
      notMeasured: [
        "rebuild through Convex's versioned path (projections.rebuild): it needs a second fold version to rebuild to, and none is registered yet; the pure-fold and live tables stand in",
      ],
      headlines,
      charts: [
        {
          kind: "bar",
          id: "rebuild-throughput",
          title: "Rebuild fold throughput per projection (events/s, in-process)",
          unit: "events/s",
          bars: [
            { label: "Marten (published)", value: MARTEN_EVENTS_PER_SEC },
            ...Object.entries(rebuild.rates).map(([label, value]) => ({ label, value })),
          ],
        },
      ],
      tables,
      data: {
        live,
        rebuild: rebuild.rows,
        timeline: tl,
        events: { notes: ds.noteEvents, transcript: ds.transcriptEvents },
      },
    };
  } finally {
    ds.clock.uninstall();
  }
}

/** Projection throughput and timeline suite. */
export const projectionsSuite: Suite = {
  id: "projections",
  title: "Projections: live and rebuild throughput, timeline stateAt (in-process)",
  run,
};
