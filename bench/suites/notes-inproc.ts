/**
 * Our notes path in-process (convex-test over the real `convex/` functions,
 * transaction limits on): the trace typed by one participant as coalesced
 * pushes at a modelled typing rate, then
 * - storage: rows and bytes per keystroke, per table (event log vs views);
 * - cold open from the server's views (bootstrap + pull) to a ready doc;
 * - reconnect of a half-synced client (resync by state vector + pull);
 * each against the raw Yjs numbers of the same run.
 */

import * as Y from "yjs";
import { drainScheduled, makeInprocConvex, SETTLE_MS } from "../lib/inproc";
import {
  COALESCE_MS,
  coldOpen,
  keysPerPush,
  pushTrace,
  reconnect,
  stateOf,
  storageByTable,
  type TableStorage,
} from "../lib/notes-workload";
import type { Cell, Headline, Table } from "../lib/report-types";
import { seedMeeting } from "../lib/seed";
import { ratio, type Summary, summarize } from "../lib/stats";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { repeatWithinBudget } from "../lib/timing";
import { TRACE_FIELD } from "../lib/trace";
import { VirtualClock } from "../lib/virtual-clock";
import { fmt } from "../report/format";

/** Tables that hold the note event log itself (everything else notes-related is a view or bookkeeping). */
const LOG_TABLES = new Set(["noteUpdates", "noteSegments"]);
/** Tables seeded by the benchmark, not written by the notes path. */
const SEED_TABLES = new Set(["users", "meetings", "participants"]);
/** Time budget per repeated slow measure (cold open of a long log can take seconds). */
const MEASURE_BUDGET_MS = 20_000;

type RateResult = {
  keysPerSecond: number;
  /** Raw Yjs V1 bytes per keystroke over the same keystrokes (the storage baseline). */
  yjsBytesPerKeystroke: number;
  keysPerPush: number;
  pushes: number;
  keystrokes: number;
  pushMs: number;
  drainMs: number;
  tables: TableStorage[];
  logRows: number;
  logBytes: number;
  otherRows: number;
  otherBytes: number;
  coldOpenMs: Summary;
  coldOpenBytes: number;
  coldOpenQueries: number;
  reconnectMs: Summary;
  reconnectBytes: number;
  reconnectQueries: number;
};

/** Scheduled work (projectors, sealing) runs after this many pushes. */
const DRAIN_EVERY_PUSHES = 100;

/** The keystroke prefix a run types, with its expected text. */
function prefixOf(ctx: SuiteContext, max: number): { updates: Uint8Array[]; text: string } {
  const all = ctx.typed.updates;
  if (max >= all.length) return { updates: all, text: ctx.typed.text };
  const updates = all.slice(0, max);
  const d = new Y.Doc();
  d.transact(() => {
    for (const u of updates) Y.applyUpdate(d, u);
  });
  const text = d.getText(TRACE_FIELD).toString();
  d.destroy();
  return { updates, text };
}

async function runRate(
  ctx: SuiteContext,
  keysPerSecond: number,
  maxKeystrokes: number,
): Promise<RateResult> {
  const { typed } = ctx;
  const prefix = prefixOf(ctx, maxKeystrokes);
  const perPush = keysPerPush(keysPerSecond);
  const t = await makeInprocConvex(ctx.root);
  const clock = new VirtualClock().install();
  try {
    const { meetingId, people } = await seedMeeting(t, 5, `notes${keysPerSecond}`);
    const writer = people[0]!.as;
    const reader = people[1]!.as;
    ctx.costs.activate();
    ctx.progress(
      `notes: pushing ${prefix.updates.length} keystrokes at ${keysPerSecond} keys/s (${perPush}/push)`,
    );
    const pushed = await pushTrace(
      writer,
      meetingId,
      typed.doc.clientID,
      prefix.updates,
      perPush,
      clock,
      COALESCE_MS,
      // Live, the projectors fold (and compact the snapshot push validates against) within a
      // second; without this every push would validate against an ever longer log tail.
      { pushes: DRAIN_EVERY_PUSHES, run: () => drainScheduled(t) },
    );
    const drainMs = await drainScheduled(t, SETTLE_MS);
    ctx.costs.deactivate();
    const tables = (await storageByTable(t)).filter((s) => !SEED_TABLES.has(s.table));
    const log = tables.filter((s) => LOG_TABLES.has(s.table));
    const other = tables.filter((s) => !LOG_TABLES.has(s.table));
    const sum = (xs: TableStorage[], k: "rows" | "bytes") => xs.reduce((n, s) => n + s[k], 0);

    ctx.progress(`notes: cold open (${pushed.pushes} pushes)`);
    ctx.costs.activate();
    let open = { bytes: 0, queries: 0 };
    const openMs = await repeatWithinBudget(
      { runs: ctx.sizes.fastRuns, minRuns: 2, budgetMs: MEASURE_BUDGET_MS },
      () => null,
      async () => {
        const o = await coldOpen(reader, meetingId);
        if (o.doc.getText(TRACE_FIELD).toString() !== prefix.text)
          throw new Error("cold open: wrong text");
        open = { bytes: o.bytes, queries: o.queries };
        o.doc.destroy();
      },
    );
    ctx.progress("notes: reconnect of a half-synced client");
    const half = Math.floor(pushed.pushedUpdates.length / 2);
    const halfState = stateOf(pushed.pushedUpdates.slice(0, half));
    let rec = { bytes: 0, queries: 0 };
    const recMs = await repeatWithinBudget(
      { runs: ctx.sizes.fastRuns, minRuns: 2, budgetMs: MEASURE_BUDGET_MS },
      () => {
        const d = new Y.Doc();
        Y.applyUpdate(d, halfState);
        return d;
      },
      async (d) => {
        const r = await reconnect(reader, meetingId, d);
        if (r.doc.getText(TRACE_FIELD).toString() !== prefix.text)
          throw new Error("reconnect: wrong text");
        rec = { bytes: r.bytes, queries: r.queries };
        d.destroy();
      },
    );
    ctx.costs.deactivate();
    return {
      keysPerSecond,
      yjsBytesPerKeystroke:
        prefix.updates.reduce((a, u) => a + u.byteLength, 0) / prefix.updates.length,
      keysPerPush: perPush,
      pushes: pushed.pushes,
      keystrokes: pushed.keystrokes,
      pushMs: pushed.ms,
      drainMs,
      tables,
      logRows: sum(log, "rows"),
      logBytes: sum(log, "bytes"),
      otherRows: sum(other, "rows"),
      otherBytes: sum(other, "bytes"),
      coldOpenMs: summarize(openMs),
      coldOpenBytes: open.bytes,
      coldOpenQueries: open.queries,
      reconnectMs: summarize(recMs),
      reconnectBytes: rec.bytes,
      reconnectQueries: rec.queries,
    };
  } finally {
    ctx.costs.deactivate();
    clock.uninstall();
  }
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const yjs = ctx.baselines.yjs;
  const hp = ctx.baselines.hocuspocus;
  // The reconnect/cold-open baselines are for the whole typed prefix; see `sameDoc` below.
  const results: RateResult[] = [];
  for (const tr of ctx.sizes.typingRuns) {
    results.push(await runRate(ctx, tr.keysPerSecond, tr.maxKeystrokes));
  }
  const full = (r: RateResult) => r.keystrokes === ctx.typed.keystrokes;
  const storageRows: Cell[][] = [];
  for (const r of results) {
    const k = r.keystrokes;
    for (const s of r.tables) {
      storageRows.push([`${r.keysPerSecond}`, s.table, s.rows, s.bytes, s.rows / k, s.bytes / k]);
    }
    storageRows.push([
      `${r.keysPerSecond}`,
      "event log total",
      r.logRows,
      r.logBytes,
      r.logRows / k,
      r.logBytes / k,
    ]);
  }
  const summaryRows: Cell[][] = results.map((r) => [
    `${r.keysPerSecond} keys/s (${r.keysPerPush}/push)`,
    r.keystrokes,
    r.pushes,
    r.logRows / r.keystrokes,
    r.logBytes / r.keystrokes,
    r.yjsBytesPerKeystroke,
    ratio(r.logBytes / r.keystrokes, r.yjsBytesPerKeystroke),
    (r.logBytes + r.otherBytes) / r.keystrokes,
    (r.pushes * 1000) / r.pushMs,
  ]);
  const openRows: Cell[][] = results.map((r) => [
    `${r.keystrokes.toLocaleString("en-US")} keys at ${r.keysPerSecond}/s`,
    r.coldOpenMs.median,
    r.coldOpenMs.p95,
    r.coldOpenBytes,
    r.coldOpenQueries,
    // Baselines were measured on the whole typed prefix: compare only the run that typed it.
    full(r) ? (yjs?.loadV1Ms.median ?? null) : null,
    full(r) ? ratio(r.coldOpenMs.median, yjs?.loadV1Ms.median) : null,
    full(r) ? (hp?.coldOpenMs?.median ?? null) : null,
    full(r) ? ratio(r.coldOpenMs.median, hp?.coldOpenMs?.median) : null,
  ]);
  const recRows: Cell[][] = results.map((r) => [
    `${r.keystrokes.toLocaleString("en-US")} keys at ${r.keysPerSecond}/s`,
    r.reconnectMs.median,
    r.reconnectBytes,
    r.reconnectQueries,
    full(r) ? (yjs?.reconnectDiffBytes ?? null) : null,
    full(r) ? ratio(r.reconnectBytes, yjs?.reconnectDiffBytes) : null,
  ]);
  // Storage at human typing speed is the first run; the document-sized measures use the run
  // that typed the whole prefix the baselines used (the last run).
  const human = results[0]!;
  const whole = results[results.length - 1]!;
  const sameDoc = whole.keystrokes === ctx.typed.keystrokes;
  const headlines: Headline[] = [
    {
      measure: `event-log bytes per keystroke (${human.keystrokes.toLocaleString("en-US")} keys typed at ${human.keysPerSecond}/s)`,
      ours: `${fmt(human.logBytes / human.keystrokes)} B`,
      baseline: `Yjs V1 update ${fmt(human.yjsBytesPerKeystroke)} B`,
      ratio: ratio(human.logBytes / human.keystrokes, human.yjsBytesPerKeystroke),
      goal: "≤ 1.2×",
    },
    {
      measure: `event-log rows per keystroke (typed at ${human.keysPerSecond}/s)`,
      ours: fmt(human.logRows / human.keystrokes),
      baseline: "1 row per keystroke (naive)",
      ratio: human.logRows / human.keystrokes,
      goal: "≤ 0.3",
    },
  ];
  if (sameDoc) {
    headlines.push(
      {
        measure: `cold open, in-process (${whole.keystrokes.toLocaleString("en-US")} keystrokes)`,
        ours: `${fmt(whole.coldOpenMs.median)} ms`,
        baseline: `raw Yjs V1 load ${fmt(yjs?.loadV1Ms.median)} ms`,
        ratio: ratio(whole.coldOpenMs.median, yjs?.loadV1Ms.median),
        goal: "≤ 2× raw Yjs load, ahead of Hocuspocus",
      },
      {
        measure: `cold open vs Hocuspocus (${whole.keystrokes.toLocaleString("en-US")} keystrokes)`,
        ours: `${fmt(whole.coldOpenMs.median)} ms (in-process)`,
        baseline: `Hocuspocus ${fmt(hp?.coldOpenMs?.median)} ms (loopback)`,
        ratio: ratio(whole.coldOpenMs.median, hp?.coldOpenMs?.median),
        goal: "< 1× (ahead)",
      },
      {
        measure: "reconnect of a half-synced client, bytes",
        ours: `${fmt(whole.reconnectBytes)} B`,
        baseline: `Yjs SV diff ${fmt(yjs?.reconnectDiffBytes)} B`,
        ratio: ratio(whole.reconnectBytes, yjs?.reconnectDiffBytes),
        goal: "≤ 1.1×",
      },
    );
  }
  const method =
    `A fresh in-process backend (convex-test over convex/, transaction limits on) per typing rate; a seeded active meeting of 5. ` +
    "Participant 0 registers the trace's Yjs client id and pushes the run's keystroke updates (a prefix of the trace) through " +
    `\`api.notes.push\`, pushed like the provider (N17: what is typed during one push's assumed ${COALESCE_MS} ms round ` +
    "trip goes as the next push; keystrokes per push = max(1, rate × round trip)), one merged V1 update per push; the " +
    "wall clock (Date.now only) advances one round trip per push so rate limits and timestamps see the modelled rate. " +
    `Scheduled work (sealing, projectors) runs after every ${DRAIN_EVERY_PUSHES} pushes, as it keeps up live, and is ` +
    "drained before measuring.";
  const tables: Table[] = [
    {
      title: "Notes storage per keystroke (event log)",
      columns: [
        "typing rate",
        "keystrokes",
        "pushes",
        "log rows/keystroke",
        "log B/keystroke",
        "Yjs V1 B/keystroke",
        "ratio",
        "all tables B/keystroke",
        "pushes/s in-process",
      ],
      rows: summaryRows,
      method: `${method} Bytes are Convex's own document size (\`getConvexSize\`) of every row; the event log is noteUpdates + noteSegments.`,
    },
    {
      title: "Notes storage by table",
      columns: ["typing rate", "table", "rows", "bytes", "rows/keystroke", "B/keystroke"],
      rows: storageRows,
      method:
        "Every app table except the seeded users/meetings/participants, after the run drained.",
    },
    {
      title: "Cold open from the server's views, in-process",
      columns: [
        "typing rate",
        "median ms",
        "p95 ms",
        "bytes received",
        "queries",
        "raw Yjs load ms",
        "× raw Yjs",
        "Hocuspocus open ms",
        "× Hocuspocus",
      ],
      rows: openRows,
      method:
        "Participant 1 with a fresh Y.Doc calls `notes.bootstrap`, applies the V1 state, then `notes.pull`s after the " +
        "returned cursor until done; time until the doc holds the whole text (verified). In-process: no network and no " +
        "JSON encoding (the engine run adds them). Bytes = Yjs payload bytes received. Hocuspocus' number includes its " +
        `WebSocket handshake. Runs: up to ${ctx.sizes.fastRuns} within ${MEASURE_BUDGET_MS / 1000} s.`,
    },
    {
      title: "Reconnect of a half-synced client, in-process",
      columns: [
        "typing rate",
        "median ms",
        "bytes exchanged",
        "queries",
        "Yjs diff B",
        "× Yjs diff",
      ],
      rows: recRows,
      method:
        "A client holding the first half of the pushed updates sends its state vector to `notes.resync`, applies the " +
        "diff, and pulls after the returned cursor until done. Bytes = state vector sent + payload received.",
    },
  ];
  return {
    status: "measured",
    notMeasured: [],
    headlines,
    charts: [
      {
        kind: "bar",
        id: "notes-storage",
        title: "Event-log bytes per keystroke",
        unit: "bytes per keystroke",
        bars: [
          ...results.flatMap((r) => [
            { label: `Yjs V1 updates (${r.keystrokes} keys)`, value: r.yjsBytesPerKeystroke },
            { label: `ours, ${r.keysPerSecond} keys/s`, value: r.logBytes / r.keystrokes },
          ]),
        ],
      },
    ],
    tables,
    data: { results },
  };
}

/** The in-process notes suite (storage, cold open, reconnect). */
export const notesInprocSuite: Suite = {
  id: "notes",
  title: "Notes: storage, cold open and reconnect (in-process)",
  run,
};
