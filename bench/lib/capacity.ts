/**
 * The capacity model (issue 8 item 3): projects measured per-call costs of one
 * live meeting onto Convex's published deployment-class limits
 * (docs.convex.dev/production/state/limits, "Deployment Classes" and
 * "Concurrent Function Executions") and states how many such meetings one
 * deployment sustains, naming the binding limit. Pure: numbers in, numbers out.
 *
 * Little's law turns a call rate and a service time into concurrency: a
 * function called `r` times a second that runs `s` seconds keeps `r × s`
 * executions in flight on average; N meetings need N × Σ r·s ≤ the class's
 * concurrency limit for that kind of function.
 */

/** Limits of one Convex deployment class (published). */
export type DeploymentClass = {
  name: string;
  plans: string;
  concurrentQueries: number;
  concurrentMutations: number;
  /** Concurrent scheduled-function executions (projectors run as scheduled mutations). */
  scheduledJobs: number;
  /** "Mutation write throughput limit", MiB written per second. */
  writeMiBPerSec: number;
  /** Concurrent client sessions (WebSocket connections). */
  sessions: number;
};

/** Convex's published classes (limits page, read 2026-11). */
export const CONVEX_CLASSES: DeploymentClass[] = [
  {
    name: "S16",
    plans: "Free/Starter",
    concurrentQueries: 16,
    concurrentMutations: 16,
    scheduledJobs: 8,
    writeMiBPerSec: 4,
    sessions: 1_000,
  },
  {
    name: "S256",
    plans: "Professional",
    concurrentQueries: 256,
    concurrentMutations: 256,
    scheduledJobs: 256,
    writeMiBPerSec: 8,
    sessions: 10_000,
  },
  {
    name: "D1024",
    plans: "Business/Enterprise",
    concurrentQueries: 1024,
    concurrentMutations: 512,
    scheduledJobs: 512,
    writeMiBPerSec: 32,
    sessions: 100_000,
  },
  {
    name: "D2048",
    plans: "Business/Enterprise",
    concurrentQueries: 2048,
    concurrentMutations: 1024,
    scheduledJobs: 1024,
    writeMiBPerSec: 64,
    sessions: 200_000,
  },
];

/** Projector runs and sealing run as scheduled functions (they count as scheduled jobs too). */
export function isScheduled(path: string): boolean {
  return path.startsWith("projectors/") || path.startsWith("notes/seal");
}

/** One function's load from one meeting. */
export type FunctionLoad = {
  path: string;
  kind: "query" | "mutation";
  /** Runs as a scheduled function (projectors, sealing). */
  scheduled: boolean;
  callsPerSec: number;
  /** Mean execution time per call, ms. */
  serviceMs: number;
  bytesWrittenPerCall: number;
};

/** What one meeting demands of a deployment. */
export type MeetingDemand = {
  participants: number;
  queryConcurrency: number;
  mutationConcurrency: number;
  scheduledConcurrency: number;
  writeBytesPerSec: number;
  callsPerSec: number;
};

/** Sum one meeting's demand; `serviceScale` multiplies every service time (sensitivity). */
export function meetingDemand(
  loads: readonly FunctionLoad[],
  participants: number,
  serviceScale = 1,
): MeetingDemand {
  let q = 0;
  let m = 0;
  let s = 0;
  let w = 0;
  let calls = 0;
  for (const l of loads) {
    const inFlight = (l.callsPerSec * l.serviceMs * serviceScale) / 1000;
    if (l.kind === "query") q += inFlight;
    else m += inFlight;
    if (l.scheduled) s += inFlight;
    w += l.callsPerSec * l.bytesWrittenPerCall;
    calls += l.callsPerSec;
  }
  return {
    participants,
    queryConcurrency: q,
    mutationConcurrency: m,
    scheduledConcurrency: s,
    writeBytesPerSec: w,
    callsPerSec: calls,
  };
}

/** Meetings one class sustains under each limit, and the binding one. */
export type ClassCapacity = {
  deployment: string;
  byLimit: { limit: string; meetings: number }[];
  meetings: number;
  bottleneck: string;
};

/** Project one meeting's demand onto a deployment class. */
export function capacityOf(d: MeetingDemand, c: DeploymentClass): ClassCapacity {
  const per = (limit: number, demand: number) =>
    demand > 0 ? Math.floor(limit / demand) : Number.POSITIVE_INFINITY;
  const byLimit = [
    { limit: "concurrent sessions", meetings: per(c.sessions, d.participants) },
    { limit: "concurrent mutations", meetings: per(c.concurrentMutations, d.mutationConcurrency) },
    { limit: "concurrent queries", meetings: per(c.concurrentQueries, d.queryConcurrency) },
    { limit: "scheduled jobs", meetings: per(c.scheduledJobs, d.scheduledConcurrency) },
    {
      limit: "mutation write throughput",
      meetings: per(c.writeMiBPerSec * 2 ** 20, d.writeBytesPerSec),
    },
  ];
  const binding = byLimit.reduce((a, b) => (b.meetings < a.meetings ? b : a));
  return { deployment: c.name, byLimit, meetings: binding.meetings, bottleneck: binding.limit };
}
