/**
 * The capacity model's arithmetic: Little's law per function kind and the
 * binding limit, on loads whose answers are worked out by hand below.
 */
import { describe, expect, it } from "vitest";
import { capacityOf, type DeploymentClass, type FunctionLoad, meetingDemand } from "./lib/capacity";

const cls: DeploymentClass = {
  name: "T",
  plans: "test",
  concurrentQueries: 100,
  concurrentMutations: 10,
  scheduledJobs: 4,
  writeMiBPerSec: 1,
  sessions: 1_000,
};

describe("capacity model", () => {
  it("applies Little's law per kind and names the binding limit", () => {
    const loads: FunctionLoad[] = [
      // 20 calls/s × 5 ms = 0.1 queries in flight per meeting
      {
        path: "q",
        kind: "query",
        scheduled: false,
        callsPerSec: 20,
        serviceMs: 5,
        bytesWrittenPerCall: 0,
      },
      // 10/s × 10 ms = 0.1 mutations in flight, 10 × 100 B written per second
      {
        path: "m",
        kind: "mutation",
        scheduled: false,
        callsPerSec: 10,
        serviceMs: 10,
        bytesWrittenPerCall: 100,
      },
      // 4/s × 25 ms = 0.1 in flight, counted as a mutation and as a scheduled job
      {
        path: "p",
        kind: "mutation",
        scheduled: true,
        callsPerSec: 4,
        serviceMs: 25,
        bytesWrittenPerCall: 0,
      },
    ];
    const d = meetingDemand(loads, 5);
    expect(d.queryConcurrency).toBeCloseTo(0.1, 10);
    expect(d.mutationConcurrency).toBeCloseTo(0.2, 10);
    expect(d.scheduledConcurrency).toBeCloseTo(0.1, 10);
    expect(d.writeBytesPerSec).toBe(1000);
    const c = capacityOf(d, cls);
    // sessions 1000/5 = 200; mutations 10/0.2 = 50; queries 100/0.1 = 1000; jobs 4/0.1 = 40; writes 1 MiB/1000 B = 1048
    expect(c.byLimit.map((b) => b.meetings)).toEqual([200, 50, 1000, 40, 1048]);
    expect(c.meetings).toBe(40);
    expect(c.bottleneck).toBe("scheduled jobs");
  });
  it("scales with service time (sensitivity)", () => {
    const loads: FunctionLoad[] = [
      {
        path: "m",
        kind: "mutation",
        scheduled: false,
        callsPerSec: 10,
        serviceMs: 10,
        bytesWrittenPerCall: 0,
      },
    ];
    expect(capacityOf(meetingDemand(loads, 5, 1), cls).byLimit[1]!.meetings).toBe(100);
    expect(capacityOf(meetingDemand(loads, 5, 2), cls).byLimit[1]!.meetings).toBe(50);
  });
});
