import { describe, expect, test } from "vitest";
import { BUCKET_COUNT, percentileOf } from "../../convex/lib/latency";
import { CallTimings } from "./callTimings";

describe("call timings", () => {
  test("groups calls by minute and function, with outcomes and a histogram", () => {
    const t = new CallTimings();
    const at = Date.UTC(2026, 0, 1, 12, 0, 30);
    t.record("notes:push", 12, "ok", at);
    t.record("notes:push", 480, "ok", at + 10_000);
    t.record("chat:send", 70, "refusal", at);
    t.record("chat:send", 30_000, "error", at + 40_000); // the next minute
    const reports = t.take(at + 45_000);
    expect(reports.map((r) => r.minute)).toEqual([
      Date.UTC(2026, 0, 1, 12, 0),
      Date.UTC(2026, 0, 1, 12, 1),
    ]);
    const [first, second] = reports;
    const push = first!.entries.find((e) => e.fn === "notes:push")!;
    expect(push).toMatchObject({ count: 2, errors: 0, refusals: 0 });
    expect(push.buckets).toHaveLength(BUCKET_COUNT);
    expect(percentileOf(push.buckets, 50)).toBe(25);
    expect(percentileOf(push.buckets, 100)).toBe(500);
    expect(first!.entries.find((e) => e.fn === "chat:send")).toMatchObject({
      count: 1,
      refusals: 1,
    });
    expect(second!.entries).toMatchObject([{ fn: "chat:send", count: 1, errors: 1 }]);
    expect(t.take(at + 50_000)).toEqual([]);
  });

  test("minutes the server would refuse are dropped, and big pages are split", () => {
    const t = new CallTimings();
    const at = Date.UTC(2026, 0, 1, 12, 0, 0);
    t.record("old:call", 5, "ok", at - 20 * 60_000);
    for (let i = 0; i < 61; i++) t.record(`mod:f${i}`, 5, "ok", at);
    const reports = t.take(at + 1_000);
    expect(reports.map((r) => r.entries.length)).toEqual([60, 1]);
    expect(reports.every((r) => r.minute === at)).toBe(true);
  });
});
