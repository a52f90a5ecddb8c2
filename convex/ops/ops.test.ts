/**
 * The console's operations data (issue 15): client-timed function calls
 * (validation, rate limit, aggregation into percentiles and per-minute
 * series) and the scheduled health-check run (probes, projections, call
 * counters, provider configuration, pruning).
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { as, person } from "../../tests/core/identities";
import { makeConvex } from "../../tests/harness/convex";
import { api, internal } from "../_generated/api";
import { bucketOf, emptyHistogram, percentileOf } from "../lib/latency";
import { NO_CALLS } from "./health";

const TOKEN = "ops-op-token";

function histogram(durations: number[]): number[] {
  const h = emptyHistogram();
  for (const ms of durations) h[bucketOf(ms)]! += 1;
  return h;
}

function thisMinute(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("latency histograms", () => {
  test("percentiles are the upper bound of the bucket they fall in", () => {
    const h = histogram([3, 4, 5, 6, 7, 8, 9, 10, 11, 700]);
    expect(percentileOf(h, 50)).toBe(25);
    expect(percentileOf(h, 90)).toBe(25);
    expect(percentileOf(h, 95)).toBe(1000);
    expect(percentileOf(emptyHistogram(), 95)).toBeNull();
    expect(percentileOf(histogram([60_000]), 50)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("client-timed calls", () => {
  test("bad reports are refused with a code and store nothing", async () => {
    vi.stubEnv("CONNVO_ADMIN_TOKEN", TOKEN);
    const t = makeConvex();
    const me = as(t, person("Olu"));
    const good = {
      fn: "chat:send",
      count: 2,
      errors: 0,
      refusals: 0,
      buckets: histogram([10, 40]),
    };
    const bad = [
      { minute: thisMinute(), entries: [{ ...good, fn: "<script>" }] },
      { minute: thisMinute(), entries: [{ ...good, buckets: histogram([10]) }] },
      { minute: thisMinute(), entries: [{ ...good, errors: 2, refusals: 1 }] },
      { minute: thisMinute(), entries: [{ ...good, buckets: [2] }] },
      { minute: thisMinute() + 60_000, entries: [good] },
      { minute: thisMinute() - 3_600_000, entries: [good] },
      { minute: thisMinute() + 1, entries: [good] },
      { minute: thisMinute(), entries: [] },
    ];
    for (const args of bad) {
      const r = await me.mutation(api.ops.clientMetrics.report, args);
      expect(r).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    }
    const view = await t.query(api.ops.console.overview, { adminToken: TOKEN });
    expect(view.functions).toEqual([]);
  });

  test("reports from several people add up per function and per minute", async () => {
    vi.stubEnv("CONNVO_ADMIN_TOKEN", TOKEN);
    const t = makeConvex();
    const minute = thisMinute();
    const fast = Array.from({ length: 18 }, (_, i) => 5 + i);
    await as(t, person("Ada")).mutation(api.ops.clientMetrics.report, {
      minute,
      entries: [
        { fn: "notes:push", count: 18, errors: 0, refusals: 0, buckets: histogram(fast) },
        { fn: "chat:send", count: 3, errors: 1, refusals: 1, buckets: histogram([30, 80, 3000]) },
      ],
    });
    await as(t, person("Grace")).mutation(api.ops.clientMetrics.report, {
      minute,
      entries: [
        { fn: "notes:push", count: 2, errors: 0, refusals: 0, buckets: histogram([400, 900]) },
      ],
    });
    await expect(t.query(api.ops.console.overview, { adminToken: "wrong" })).rejects.toThrow(
      /wrong operator token/,
    );
    const view = await t.query(api.ops.console.overview, { adminToken: TOKEN });
    expect(view.functions).toEqual([
      { fn: "notes:push", count: 20, errors: 0, refusals: 0, p50Ms: 25, p95Ms: 500 },
      { fn: "chat:send", count: 3, errors: 1, refusals: 1, p50Ms: 100, p95Ms: 10000 },
    ]);
    expect(view.perMinute).toEqual([{ minute, count: 23, errors: 1, p95Ms: 1000 }]);
    expect(view.truncated).toBe(false);
  });

  test("one person's reports are rate-limited", async () => {
    const t = makeConvex();
    const me = as(t, person("Flo"));
    const entries = [
      { fn: "chat:send", count: 1, errors: 0, refusals: 0, buckets: histogram([10]) },
    ];
    const answers = [];
    for (let i = 0; i < 8; i++)
      answers.push(
        await me.mutation(api.ops.clientMetrics.report, { minute: thisMinute(), entries }),
      );
    expect(answers.filter((a) => a.ok)).toHaveLength(6);
    expect(answers.at(-1)).toMatchObject({ ok: false, code: "RATE_LIMITED" });
  });
});

describe("health checks", () => {
  test("a run times the probes, checks every projection, counts calls and names the providers", async () => {
    vi.stubEnv("CONNVO_ADMIN_TOKEN", TOKEN);
    const t = makeConvex();
    const ada = as(t, person("Ada"));
    const adaId = (await ada.mutation(api.users.ensure, {}))._id;
    const scheduled = await ada.mutation(api.meetings.schedule, {
      title: "Ops",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [],
    });
    if (!scheduled.ok) throw new Error(scheduled.message);
    await t.run(async (ctx) => {
      for (const [kind, candidateType] of [
        ["connected", "relay"],
        ["connected", "host"],
        ["failed", undefined],
      ] as const)
        await ctx.db.insert("rtcMetrics", {
          meetingId: scheduled.meetingId,
          userId: adaId,
          kind,
          at: Date.now(),
          candidateType,
        });
    });
    await t.action(internal.ops.health.check, {});
    const [run] = (await t.query(api.ops.console.overview, { adminToken: TOKEN })).runs;
    expect(run).toBeDefined();
    const byName = new Map(run!.results.map((r) => [r.name, r]));
    expect(byName.get("query round trip")).toMatchObject({ ok: true });
    expect(byName.get("mutation round trip")).toMatchObject({ ok: true });
    expect(byName.get("query round trip")!.ms).toBeGreaterThanOrEqual(0);
    expect([...byName.keys()].filter((n) => n.startsWith("projection ")).length).toBeGreaterThan(3);
    expect(byName.get("provider mail")?.detail).toMatch(/^local default/);
    expect(byName.get("provider TURN")?.detail).toMatch(/^local default/);
    expect(run!.rtc).toMatchObject({ connected: 2, failed: 1, relayed: 1, iceRestarts: 0 });
    expect(run!.ok).toBe(true);
  });

  test("a misconfigured provider fails the run; runs older than a day are pruned", async () => {
    vi.stubEnv("CONNVO_ADMIN_TOKEN", TOKEN);
    vi.stubEnv("TURN_URLS", "turn:turn.example.com:3478");
    const t = makeConvex();
    const old = Date.now() - 25 * 60 * 60_000;
    await t.run(async (ctx) => {
      await ctx.db.insert("healthChecks", {
        at: old,
        ok: true,
        results: [],
        rtc: NO_CALLS,
      });
    });
    await t.action(internal.ops.health.check, {});
    const { runs } = await t.query(api.ops.console.overview, { adminToken: TOKEN });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.ok).toBe(false);
    const turn = runs[0]!.results.find((r) => r.name === "provider TURN");
    expect(turn).toMatchObject({ ok: false });
    expect(turn!.detail).toMatch(/misconfigured: .*TURN_SECRET/);
  });
});
