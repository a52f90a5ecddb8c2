/**
 * `timeline.stateAt` at instants drawn over a meeting, against the client's
 * alternative (page `timeline.events` from the start and fold until the
 * instant), for any way of calling the two queries: convex-test in-process
 * (suite `projections`) or a ConvexClient through the engine (`engine-latency`).
 */
import type { StreamCursors } from "../../convex/projectors/sources";
import { timelineFold } from "../../projections/timeline/timelineState";
import { fromWire, type WireEvent } from "../../projections/timeline/wire";
import { mulberry32 } from "./prng";
import { type Summary, summarize } from "./stats";
import { repeatWithinBudget } from "./timing";

/** Fixed seed: the same instants in every run (no Math.random in measurements). */
const PROBE_SEED = 0x5eed;

/** One page of `timeline.events`. */
export type EventsPage = { events: WireEvent[]; cursors: StreamCursors; done: boolean };

/** How the probe reaches the two queries, as one participant. */
export type TimelineReader = {
  stateAt: (t: number) => Promise<unknown>;
  events: (cursors: StreamCursors | undefined) => Promise<EventsPage>;
};

/** The first and last event time of the meeting (one pass over `timeline.events`). */
export async function meetingSpan(
  reader: TimelineReader,
): Promise<{ firstAt: number; lastAt: number; events: number }> {
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = Number.NEGATIVE_INFINITY;
  let events = 0;
  let cursors: StreamCursors | undefined;
  for (;;) {
    const page = await reader.events(cursors);
    for (const w of page.events) {
      firstAt = Math.min(firstAt, w.at);
      lastAt = Math.max(lastAt, w.at);
      events++;
    }
    if (page.done) break;
    cursors = page.cursors;
  }
  return { firstAt, lastAt, events };
}

/** Time `stateAt` and the fold from the start at the same seeded instants in [firstAt, lastAt]. */
export async function probeStateAt(
  reader: TimelineReader,
  span: { firstAt: number; lastAt: number },
  opts: { probes: number; budgetMs: number },
): Promise<{ stateAt: Summary; fold: Summary; eventsFolded: number }> {
  const rand = mulberry32(PROBE_SEED);
  const probes = Array.from(
    { length: opts.probes },
    () => span.firstAt + rand() * (span.lastAt - span.firstAt),
  );
  const budget = {
    runs: probes.length,
    minRuns: Math.min(5, probes.length),
    budgetMs: opts.budgetMs,
  };
  let i = 0;
  const stateAtMs = await repeatWithinBudget(
    budget,
    () => probes[i++ % probes.length]!,
    (t) => reader.stateAt(t),
  );
  let j = 0;
  let eventsFolded = 0;
  const foldMs = await repeatWithinBudget(
    budget,
    () => probes[j++ % probes.length]!,
    async (t) => {
      let state = timelineFold.init();
      let cursors: StreamCursors | undefined;
      for (;;) {
        const page = await reader.events(cursors);
        let past = false;
        for (const w of page.events) {
          if (w.at > t) {
            past = true;
            break;
          }
          state = timelineFold.evolve(state, fromWire(w));
          eventsFolded++;
        }
        if (past || page.done) break;
        cursors = page.cursors;
      }
      return state;
    },
  );
  return {
    stateAt: summarize(stateAtMs),
    fold: summarize(foldMs),
    eventsFolded: eventsFolded / foldMs.length,
  };
}
