/**
 * The console's operations panels (operator token): recent health-check runs
 * and function latency and errors as clients timed them, per function and per
 * minute, for charts. Reads are bounded: the last hour's runs and at most
 * `METRIC_ROWS` metric rows (newest minutes first); `truncated` says when
 * more existed.
 */
import { v } from "convex/values";
import { query } from "../_generated/server";
import { addHistogram, emptyHistogram, percentileOf } from "../lib/latency";
import { requireOperator } from "../projections";
import { healthCheckResult, rtcCounters } from "../tables/ops";

/** Why 60: an hour of runs at one a minute, what the console charts. */
const RUNS = 60;
/** Why 4,000: an hour of ~15 functions × 4 shards is 3,600 rows; more is a busier deployment. */
const METRIC_ROWS = 4000;
/** Why 60 minutes at most: the panels chart an hour; a day is kept for a closer look later. */
const MAX_WINDOW_MINUTES = 60;

const fnStats = v.object({
  fn: v.string(),
  count: v.number(),
  errors: v.number(),
  refusals: v.number(),
  p50Ms: v.union(v.number(), v.null()),
  p95Ms: v.union(v.number(), v.null()),
});

/** Health-check runs (newest first) and client-timed function calls of the last hour. */
export const overview = query({
  args: { adminToken: v.string(), minutes: v.optional(v.number()) },
  returns: v.object({
    runs: v.array(
      v.object({
        at: v.number(),
        ok: v.boolean(),
        results: v.array(healthCheckResult),
        rtc: rtcCounters,
      }),
    ),
    functions: v.array(fnStats),
    perMinute: v.array(
      v.object({
        minute: v.number(),
        count: v.number(),
        errors: v.number(),
        p95Ms: v.union(v.number(), v.null()),
      }),
    ),
    truncated: v.boolean(),
  }),
  handler: async (ctx, { adminToken, minutes }) => {
    requireOperator(adminToken);
    const window = Math.min(
      MAX_WINDOW_MINUTES,
      Math.max(1, Math.floor(minutes ?? MAX_WINDOW_MINUTES)),
    );
    const runs = await ctx.db.query("healthChecks").withIndex("by_at").order("desc").take(RUNS);
    const since = Math.floor(Date.now() / 60_000) * 60_000 - (window - 1) * 60_000;
    const rows = await ctx.db
      .query("clientMetrics")
      .withIndex("by_minute_fn_shard", (q) => q.gte("minute", since))
      .order("desc")
      .take(METRIC_ROWS + 1);
    const byFn = new Map<
      string,
      { count: number; errors: number; refusals: number; h: number[] }
    >();
    const byMinute = new Map<number, { count: number; errors: number; h: number[] }>();
    for (const r of rows.slice(0, METRIC_ROWS)) {
      const f = byFn.get(r.fn) ?? { count: 0, errors: 0, refusals: 0, h: emptyHistogram() };
      f.count += r.count;
      f.errors += r.errors;
      f.refusals += r.refusals;
      addHistogram(f.h, r.buckets);
      byFn.set(r.fn, f);
      const m = byMinute.get(r.minute) ?? { count: 0, errors: 0, h: emptyHistogram() };
      m.count += r.count;
      m.errors += r.errors;
      addHistogram(m.h, r.buckets);
      byMinute.set(r.minute, m);
    }
    return {
      runs: runs.map(({ at, ok, results, rtc }) => ({ at, ok, results, rtc })),
      functions: [...byFn.entries()]
        .map(([fn, f]) => ({
          fn,
          count: f.count,
          errors: f.errors,
          refusals: f.refusals,
          p50Ms: percentileOf(f.h, 50),
          p95Ms: percentileOf(f.h, 95),
        }))
        .sort((a, b) => b.count - a.count || a.fn.localeCompare(b.fn)),
      perMinute: [...byMinute.entries()]
        .map(([minute, m]) => ({
          minute,
          count: m.count,
          errors: m.errors,
          p95Ms: percentileOf(m.h, 95),
        }))
        .sort((a, b) => a.minute - b.minute),
      truncated: rows.length > METRIC_ROWS,
    };
  },
});
