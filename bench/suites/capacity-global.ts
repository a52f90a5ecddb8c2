/**
 * Issue 20 goal 4: the design's global load (1,000 meetings of 5, 100 note
 * operations/s and 50 transcript chunks/s in all) projected onto Convex's
 * deployment classes from the live meeting's per-call costs, and the
 * smallest class that sustains it.
 */
import { CONVEX_CLASSES, type FunctionLoad, meetingDemand } from "../lib/capacity";
import { DESIGN_GLOBAL, globalLoads, limitUse } from "../lib/global-load";
import { clientMutationRates } from "../lib/live-model";
import type { Cell, Headline, Table } from "../lib/report-types";
import { fmt } from "../report/format";
import type { LiveMeetingData } from "./live-meeting";

/** The global-load table and its headline. */
export function globalLoadReport(
  live: readonly FunctionLoad[],
  measured: Pick<LiveMeetingData, "sparse">,
  scales: readonly number[],
): { table: Table; headline: Headline } {
  const rates = clientMutationRates();
  const g = DESIGN_GLOBAL;
  const loads = globalLoads(g, {
    live,
    noteCycle: measured.sparse.note,
    chunkCycle: measured.sparse.chunk,
    presencePerPush: (rates["presence:set"] ?? 0) / (rates["notes:push"] ?? 1),
  });
  const rows: Cell[][] = [];
  const smallest: string[] = [];
  for (const scale of scales) {
    const d = meetingDemand(loads, g.meetings * g.participants, scale);
    let first: string | null = null;
    for (const c of CONVEX_CLASSES) {
      const uses = limitUse(d, c);
      const binding = uses.reduce((a, b) => (b.headroom < a.headroom ? b : a));
      const cell = (name: string) => {
        const u = uses.find((x) => x.limit === name)!;
        return name === "mutation write throughput"
          ? `${fmt(u.demand / 2 ** 20)} / ${fmt(u.available / 2 ** 20)} MiB/s`
          : `${fmt(u.demand)} / ${fmt(u.available)}`;
      };
      if (first === null && binding.headroom >= 1) first = c.name;
      rows.push([
        `${c.name} (${c.plans})`,
        `${scale}×`,
        d.callsPerSec,
        cell("concurrent sessions"),
        cell("concurrent mutations"),
        cell("concurrent queries"),
        cell("scheduled jobs"),
        cell("mutation write throughput"),
        binding.headroom,
        binding.limit,
        binding.headroom >= 1 ? "yes" : "no",
      ]);
    }
    smallest.push(`${first ?? "none of the classes"} at ${scale}×`);
  }
  const table: Table = {
    title: `The design's global load: ${fmt(g.meetings)} meetings of ${g.participants}, ${g.noteOpsPerSec} note operations/s and ${g.chunksPerSec} transcript chunks/s in all`,
    columns: [
      "deployment class",
      "service time",
      "calls/s",
      "sessions (demand / limit)",
      "mutations in flight",
      "queries in flight",
      "scheduled jobs in flight",
      "write throughput",
      "headroom (×)",
      "binding limit",
      "sustains it",
    ],
    rows,
    method:
      'DESIGN.md "Targets": 1,000 concurrent meetings of 5 with 100 note operations/s and 50 transcript updates/s ' +
      "across all of them (a note operation = one notes.push). Each meeting then sees an event only every 10–20 s, " +
      "beyond every projector's kick delay and linger, so nothing coalesces: after the live meeting above went quiet, " +
      "one note push and then one final transcript chunk were appended alone and everything each set off was recorded " +
      "until no scheduled work was left (projector runs and the runs that go idle after the linger, search fan-out; " +
      "lib/sparse-cycle.ts). Those two cycles, at 100 and 50 a second, are the global load's mutations (every chunk " +
      "costed as a final one: an upper bound, interims move fewer views); cursor presence at the live model's ratio to " +
      "pushes; every subscriber (5 per meeting) re-runs the query an event touches once per event, at the live " +
      "meeting's per-call cost. Lifecycle work (start, join, end, AI pre-call) is not part of the target. Demand / " +
      "limit per Convex limit (as in the capacity table); headroom is the smallest limit ÷ demand (≥ 1 sustains it).",
  };
  const headline: Headline = {
    measure:
      "the design's global load (1,000 meetings, 100 note ops/s, 50 chunks/s): smallest class that sustains it",
    ours: smallest.join("; "),
    baseline: "Convex's published class limits",
    ratio: null,
    goal: "Professional (S256)",
  };
  return { table, headline };
}
