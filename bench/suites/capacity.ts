/**
 * Issue 8 item 3: the per-call cost report (every function the in-process
 * suites ran, against Convex's transaction limits) and the capacity model
 * (the live-meeting workload projected onto Convex's deployment classes).
 */
import {
  CONVEX_CLASSES,
  capacityOf,
  type FunctionLoad,
  isScheduled,
  meetingDemand,
} from "../lib/capacity";
import type { FunctionCost } from "../lib/cost-recorder";
import { LIVE_MODEL } from "../lib/live-model";
import type { Cell, Headline, Table } from "../lib/report-types";
import { notMeasured, type Suite, type SuiteContext, type SuiteOutput } from "../lib/suite";
import { fmt } from "../report/format";
import { globalLoadReport } from "./capacity-global";
import type { LiveMeetingData } from "./live-meeting";

/** Convex's per-transaction limits (docs: "Transactions", "Execution time"). */
const TX_LIMITS = {
  documentsRead: 32_000,
  documentsWritten: 16_000,
  bytesRead: 16 * 2 ** 20,
  bytesWritten: 16 * 2 ** 20,
  executionMs: 1_000,
};

/**
 * Sensitivity: production service time is in-process time plus database I/O
 * this machine cannot measure; the model is shown at 1×, 5× and 10× the
 * in-process time (assumed factors, not measurements).
 */
const SERVICE_SCALES = [1, 5, 10];

function costTable(costs: FunctionCost[]): Table {
  const pct = (v: number, limit: number) => (100 * v) / limit;
  const rows: Cell[][] = costs.map((c) => {
    const worst = Math.max(
      pct(c.documentsRead.max, TX_LIMITS.documentsRead),
      pct(c.documentsWritten.max, TX_LIMITS.documentsWritten),
      pct(c.bytesRead.max, TX_LIMITS.bytesRead),
      pct(c.bytesWritten.max, TX_LIMITS.bytesWritten),
      pct(c.cpuMs.max, TX_LIMITS.executionMs),
    );
    return [
      c.path,
      c.kind,
      c.calls,
      c.errors,
      c.documentsRead.mean,
      c.documentsRead.max,
      c.documentsWritten.mean,
      c.documentsWritten.max,
      c.bytesRead.mean,
      c.bytesRead.max,
      c.bytesWritten.mean,
      c.bytesWritten.max,
      c.wallMs.median,
      c.wallMs.p95,
      c.cpuMs.max,
      `${fmt(worst)}%`,
    ];
  });
  return {
    title: "Per-call cost of every function the in-process suites ran",
    columns: [
      "function",
      "kind",
      "calls",
      "failed",
      "docs read (mean)",
      "docs read (max)",
      "docs written (mean)",
      "docs written (max)",
      "bytes read (mean)",
      "bytes read (max)",
      "bytes written (mean)",
      "bytes written (max)",
      "wall ms (median)",
      "wall ms (p95)",
      "CPU ms (max)",
      "closest to a limit",
    ],
    rows,
    method:
      "Every top-level query and mutation (client calls and scheduled functions) run by the in-process suites " +
      "(notes storage/cold open/reconnect, the live meeting, and any others above), recorded from convex-test's " +
      "per-transaction metrics tracker: documents and bytes read/written, including nested calls and components. " +
      '"closest to a limit" is the largest share of one Convex transaction limit any single call used (32,000 docs ' +
      "scanned, 16,000 written, 16 MiB read/written, 1 s of execution — CPU ms stands in for execution time). " +
      '"failed" counts mutations that rolled back.',
  };
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const all = ctx.costs.costs();
  const live = ctx.shared.live as LiveMeetingData | undefined;
  const tables: Table[] = [];
  if (all.length > 0) tables.push(costTable(all));
  if (!live) {
    const out = notMeasured(
      "the capacity model needs the live-meeting workload (suite `live`), which did not run",
    );
    out.tables = tables;
    out.status = tables.length > 0 ? "partial" : "not-measured";
    return out;
  }
  const loads: FunctionLoad[] = live.costs.map((c) => ({
    path: c.path,
    kind: c.kind,
    scheduled: isScheduled(c.path),
    callsPerSec: c.calls / live.modelledSeconds,
    serviceMs: c.wallMs.mean,
    bytesWrittenPerCall: c.bytesWritten.mean,
  }));
  const demandRows: Cell[][] = [];
  const capRows: Cell[][] = [];
  const headlines: Headline[] = [];
  for (const scale of SERVICE_SCALES) {
    const d = meetingDemand(loads, LIVE_MODEL.participants, scale);
    demandRows.push([
      `${scale}×`,
      d.callsPerSec,
      d.mutationConcurrency,
      d.queryConcurrency,
      d.scheduledConcurrency,
      d.writeBytesPerSec / 1024,
    ]);
    for (const c of CONVEX_CLASSES) {
      const cap = capacityOf(d, c);
      const lim = (name: string) => cap.byLimit.find((b) => b.limit === name)?.meetings ?? null;
      capRows.push([
        `${c.name} (${c.plans})`,
        `${scale}×`,
        lim("concurrent sessions"),
        lim("concurrent mutations"),
        lim("concurrent queries"),
        lim("scheduled jobs"),
        lim("mutation write throughput"),
        cap.meetings,
        cap.bottleneck,
      ]);
      if (scale === 1 && c.name === "S256") {
        headlines.push({
          measure:
            "live meetings of 5 one Professional (S256) deployment sustains, at in-process service times",
          ours: `${fmt(cap.meetings)} meetings (bottleneck: ${cap.bottleneck})`,
          baseline: "design target 1,000+ meetings",
          ratio: cap.meetings / 1000,
          goal: "≥ 1×",
        });
      }
    }
  }
  tables.push(
    {
      title: "Demand of one live meeting of 5 (from the live-meeting workload)",
      columns: [
        "service time",
        "calls/s",
        "mutations in flight",
        "queries in flight",
        "scheduled jobs in flight",
        "KiB written/s",
      ],
      rows: demandRows,
      method:
        "For each function: calls per second of the live-meeting workload × its mean wall time per call (Little's law: " +
        "average executions in flight). Projector runs and sealing count as mutations and as scheduled jobs. " +
        `Service time: 1× = measured in-process (no database I/O); ${SERVICE_SCALES.slice(1).join("× and ")}× are ` +
        "assumed factors for production's database round trips — not measured here.",
    },
    {
      title: "Capacity: live meetings of 5 per Convex deployment",
      columns: [
        "deployment class",
        "service time",
        "by sessions",
        "by mutations",
        "by queries",
        "by scheduled jobs",
        "by write throughput",
        "sustained",
        "bottleneck",
      ],
      rows: capRows,
      method:
        "Each limit divided by one meeting's demand on it (floor); the smallest is what one deployment sustains, and it " +
        "names the bottleneck. Limits are Convex's published ones (docs.convex.dev/production/state/limits: concurrent " +
        "sessions 1k/10k/100k/200k; concurrent queries 16/256/1024/2048, mutations 16/256/512/1024, scheduled jobs " +
        "8/256/512/1024, mutation write throughput 4/8/32/64 MiB — read as per second — for S16/S256/D1024/D2048). Not modelled: OCC " +
        "conflicts between writers of one meeting (they retry, adding mutation time), query-cache hits (they lower query " +
        "load), bandwidth and monthly quotas. Design rates are in bench/lib/live-model.ts.",
    },
  );
  const global = globalLoadReport(loads, live, SERVICE_SCALES);
  tables.push(global.table);
  headlines.push(global.headline);
  return { status: "measured", notMeasured: [], headlines, charts: [], tables, data: { loads } };
}

/** The cost report + capacity model suite (runs last). */
export const capacitySuite: Suite = {
  id: "capacity",
  title: "Per-call cost report and capacity model (issue 8)",
  run,
};
