/**
 * The design's global load (DESIGN.md "Targets": 1,000+ concurrent meetings of
 * 5, 100 note operations/s and 50 transcript updates/s in all), built from
 * measured costs. Pure: numbers in, loads out.
 *
 * At these rates one meeting sees a note operation every 10 s and a chunk
 * every 20 s, far apart beyond every projector's kick delay and linger, so
 * nothing coalesces: each event costs what one isolated event cost the quiet
 * live meeting, everything it set off included (`lib/sparse-cycle.ts`:
 * projector runs, the run that goes idle after the linger, fan-out, sealing),
 * and it re-runs its subscribers' queries once each.
 */

import {
  type DeploymentClass,
  type FunctionLoad,
  isScheduled,
  type MeetingDemand,
} from "./capacity";
import type { FunctionCost } from "./cost-recorder";

/** The global load of the design. */
export type GlobalTarget = {
  meetings: number;
  participants: number;
  noteOpsPerSec: number;
  chunksPerSec: number;
};

/** DESIGN.md "Targets". */
export const DESIGN_GLOBAL: GlobalTarget = {
  meetings: 1_000,
  participants: 5,
  noteOpsPerSec: 100,
  chunksPerSec: 50,
};

/** What the global load is built from. */
export type GlobalInputs = {
  /** The live meeting's loads (per-call costs of the subscribers' queries and presence). */
  live: readonly FunctionLoad[];
  /** Everything one isolated note push set off, per function. */
  noteCycle: readonly FunctionCost[];
  /** Everything one isolated transcript chunk set off, per function. */
  chunkCycle: readonly FunctionCost[];
  /** Cursor presence updates per note push in the live model (typists send both). */
  presencePerPush: number;
};

/**
 * Calls/s of each function under the global load: the two measured cycles
 * at their event rates (a function both set off is summed, its costs
 * call-weighted), cursor presence at the live model's ratio to pushes, and
 * each subscriber (`participants` per meeting) re-running the query an event
 * touches once per event (meetingState.get once per meetingState run).
 * Lifecycle work (start, join, end, AI pre-call) is not part of the target.
 */
export function globalLoads(target: GlobalTarget, inp: GlobalInputs): FunctionLoad[] {
  const byPath = new Map<string, FunctionLoad>();
  const add = (l: FunctionLoad) => {
    const o = byPath.get(l.path);
    if (!o) return void byPath.set(l.path, { ...l });
    const calls = o.callsPerSec + l.callsPerSec;
    const mix = (a: number, b: number) =>
      calls > 0 ? (a * o.callsPerSec + b * l.callsPerSec) / calls : 0;
    byPath.set(l.path, {
      ...o,
      callsPerSec: calls,
      serviceMs: mix(o.serviceMs, l.serviceMs),
      bytesWrittenPerCall: mix(o.bytesWrittenPerCall, l.bytesWrittenPerCall),
    });
  };
  const cycle = (costs: readonly FunctionCost[], perSec: number) => {
    for (const c of costs) {
      add({
        path: c.path,
        kind: c.kind,
        scheduled: isScheduled(c.path),
        callsPerSec: c.calls * perSec,
        serviceMs: c.wallMs.mean,
        bytesWrittenPerCall: c.bytesWritten.mean,
      });
    }
  };
  cycle(inp.noteCycle, target.noteOpsPerSec);
  cycle(inp.chunkCycle, target.chunksPerSec);
  const live = new Map(inp.live.map((l) => [l.path, l]));
  const presence = target.noteOpsPerSec * inp.presencePerPush;
  const stateRuns = byPath.get("projectors/run:run[meetingState]")?.callsPerSec ?? 0;
  const others: [string, number][] = [
    ["presence:set", presence],
    ["notes:pull", target.participants * target.noteOpsPerSec],
    ["presence:list", target.participants * presence],
    ["transcripts:stream", target.participants * target.chunksPerSec],
    ["meetingState:get", target.participants * stateRuns],
  ];
  for (const [path, callsPerSec] of others) {
    const l = live.get(path);
    if (l) add({ ...l, callsPerSec });
  }
  return [...byPath.values()];
}

/** One limit's demand under a load, against a class's limit. */
export type LimitUse = { limit: string; demand: number; available: number; headroom: number };

/** Demand on each limit of `c` and the headroom (available / demand; ≥ 1 sustains it). */
export function limitUse(d: MeetingDemand, c: DeploymentClass): LimitUse[] {
  const use = (limit: string, demand: number, available: number): LimitUse => ({
    limit,
    demand,
    available,
    headroom: demand > 0 ? available / demand : Number.POSITIVE_INFINITY,
  });
  return [
    use("concurrent sessions", d.participants, c.sessions),
    use("concurrent mutations", d.mutationConcurrency, c.concurrentMutations),
    use("concurrent queries", d.queryConcurrency, c.concurrentQueries),
    use("scheduled jobs", d.scheduledConcurrency, c.scheduledJobs),
    use("mutation write throughput", d.writeBytesPerSec, c.writeMiBPerSec * 2 ** 20),
  ];
}
