/**
 * The capacity model's arithmetic: Little's law per function kind and the
 * binding limit, on loads whose answers are worked out by hand below.
 */
import { describe, expect, it } from "vitest";
import { capacityOf, type DeploymentClass, type FunctionLoad, meetingDemand } from "./lib/capacity";
import type { FunctionCost } from "./lib/cost-recorder";
import { globalLoads, limitUse } from "./lib/global-load";
import { summarize } from "./lib/stats";

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

  it("builds the design's global load from measured isolated-event cycles", () => {
    const cost = (path: string, calls: number, bytes: number, ms: number): FunctionCost => {
      const one = (x: number) => summarize(Array.from({ length: calls }, () => x));
      return {
        path,
        kind: "mutation",
        calls,
        errors: 0,
        documentsRead: one(1),
        documentsWritten: one(1),
        bytesRead: one(0),
        bytesWritten: one(bytes),
        indexRanges: one(1),
        scheduled: one(0),
        wallMs: one(ms),
        cpuMs: one(ms),
      };
    };
    const query = (path: string): FunctionLoad => ({
      path,
      kind: "query",
      scheduled: false,
      callsPerSec: 20,
      serviceMs: 4,
      bytesWrittenPerCall: 0,
    });
    const out = globalLoads(
      { meetings: 1000, participants: 5, noteOpsPerSec: 100, chunksPerSec: 50 },
      {
        live: [
          query("notes:pull"),
          query("presence:list"),
          query("transcripts:stream"),
          query("meetingState:get"),
          { ...query("presence:set"), kind: "mutation", bytesWrittenPerCall: 280 },
        ],
        noteCycle: [
          cost("notes:push", 1, 500, 10),
          cost("projectors/run:run[timeline]", 2, 3000, 20),
        ],
        chunkCycle: [
          cost("transcripts:append", 1, 800, 12),
          cost("projectors/run:run[meetingState]", 2, 1000, 8),
          cost("projectors/run:run[timeline]", 2, 6000, 30),
        ],
        presencePerPush: 0.625,
      },
    );
    const by = new Map(out.map((l) => [l.path, l]));
    expect(by.get("notes:push")).toMatchObject({ callsPerSec: 100, bytesWrittenPerCall: 500 });
    expect(by.get("transcripts:append")).toMatchObject({ callsPerSec: 50, serviceMs: 12 });
    // Both cycles run the timeline: 200 + 100 runs/s, costs weighted by calls.
    const tl = by.get("projectors/run:run[timeline]")!;
    expect(tl.callsPerSec).toBe(300);
    expect(tl.bytesWrittenPerCall).toBeCloseTo((200 * 3000 + 100 * 6000) / 300, 10);
    expect(tl.serviceMs).toBeCloseTo((200 * 20 + 100 * 30) / 300, 10);
    expect(tl.scheduled).toBe(true);
    expect(by.get("presence:set")).toMatchObject({ callsPerSec: 62.5, bytesWrittenPerCall: 280 });
    expect(by.get("notes:pull")!.callsPerSec).toBe(500);
    expect(by.get("presence:list")!.callsPerSec).toBe(312.5);
    expect(by.get("transcripts:stream")!.callsPerSec).toBe(250);
    // Five subscribers re-read meetingState once per meetingState run (2 per chunk × 50/s).
    expect(by.get("meetingState:get")!.callsPerSec).toBe(500);
    const d = meetingDemand(out, 5000);
    expect(d.writeBytesPerSec).toBeCloseTo(
      100 * 500 + 50 * 800 + 100 * 1000 + 300 * 4000 + 62.5 * 280,
      6,
    );
    expect(limitUse(d, cls)[0]).toEqual({
      limit: "concurrent sessions",
      demand: 5000,
      available: 1000,
      headroom: 0.2,
    });
  });
});
