/**
 * Issue 20 goal 3 through the embedded engine: `timeline.stateAt` as a person's
 * client calls it (the unmodified ConvexClient over a WebSocket, dev JWT) on a
 * meeting whose history the host seeded, against that client paging
 * `timeline.events` from the start and folding until the instant.
 */
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { fmt } from "../report/format";
import { engineClient } from "./engine-clients";
import type { Headline, Table } from "./report-types";
import { meetingSpan, probeStateAt, type TimelineReader } from "./stateat-probe";
import { ratio } from "./stats";

/** Time budget for each of the two repeated measures. */
const BUDGET_MS = 20_000;

/** Probe `stateAt` through the engine at `url` as the holder of `token`. */
export async function engineStateAt(opts: {
  url: string;
  token: string;
  meetingId: string;
  probes: number;
  history: { notes: number; chunks: number };
}): Promise<{ table: Table; headline: Headline }> {
  const { client, authed } = engineClient(opts.url, opts.token);
  try {
    await authed;
    const meetingId = opts.meetingId as Id<"meetings">;
    const reader: TimelineReader = {
      stateAt: (t) => client.query(api.timeline.stateAt, { meetingId, t }),
      events: (cursors) =>
        client.query(api.timeline.events, { meetingId, ...(cursors ? { cursors } : {}) }),
    };
    const span = await meetingSpan(reader);
    const r = await probeStateAt(reader, span, { probes: opts.probes, budgetMs: BUDGET_MS });
    const minutes = (span.lastAt - span.firstAt) / 60_000;
    const size = `${fmt(span.events)}-event meeting (${fmt(minutes)} min)`;
    const row = (name: string, s: typeof r.stateAt) => [name, s.median, s.p95, s.p99, s.n];
    return {
      table: {
        title: `Timeline stateAt through the engine: ${size}`,
        columns: ["method", "median ms", "p95 ms", "p99 ms", "probes"],
        rows: [
          row("timeline.stateAt (keyframe + tail), one query", r.stateAt),
          row(`fold from start (${fmt(r.eventsFolded)} events folded on average)`, r.fold),
        ],
        method:
          `The engine child seeded the meeting's history first (the host: ${opts.history.notes} note updates ` +
          `through notes.push and ${opts.history.chunks} final chunks through transcripts.ingest, interleaved, ` +
          "the clock moved at the rate limits' pace) and every projector caught up. A participant's ConvexClient " +
          "(WebSocket, dev JWT) then calls timeline.stateAt at instants drawn uniformly over the meeting's events " +
          "with a fixed-seed PRNG; the baseline is the same client paging timeline.events (500 per page) from the " +
          "start and folding with the same projections/timeline fold until the instant. Round trips over " +
          `loopback included. Up to ${opts.probes} probes within ${BUDGET_MS / 1000} s each.`,
      },
      headline: {
        measure: `timeline stateAt p95 through the engine, ${size}`,
        ours: `${fmt(r.stateAt.p95)} ms`,
        baseline: `fold from start p95 ${fmt(r.fold.p95)} ms`,
        ratio: ratio(r.stateAt.p95, r.fold.p95),
        goal: "p95 < 120 ms (issue 20 goal 3)",
      },
    };
  } finally {
    await client.close();
  }
}
