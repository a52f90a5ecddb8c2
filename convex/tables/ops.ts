import { defineTable } from "convex/server";
import { v } from "convex/values";

/** One check of a health-check run: a name, whether it passed, its time, and what it saw. */
export const healthCheckResult = v.object({
  name: v.string(),
  ok: v.boolean(),
  /** Round-trip time of the check, when it timed something. */
  ms: v.optional(v.number()),
  detail: v.string(),
});

/** Deployment-wide RTC counters over the window before a health-check run. */
export const rtcCounters = v.object({
  /** Call sessions seen (heartbeat) within the last minute. */
  liveSessions: v.number(),
  connected: v.number(),
  failed: v.number(),
  iceRestarts: v.number(),
  relayed: v.number(),
  /** Whether a kind had more rows than one read takes (the newest were counted). */
  truncated: v.boolean(),
});

/**
 * Operating the deployment (issue 15, the console): scheduled health checks
 * and the latency and errors of functions as the web app sees them.
 */
export const opsTables = {
  /** One row per health-check run (every 60 s by cron); pruned after a day. */
  healthChecks: defineTable({
    at: v.number(),
    ok: v.boolean(),
    results: v.array(healthCheckResult),
    rtc: rtcCounters,
  }).index("by_at", ["at"]),
  /** The row the mutation probe of a health check writes (one, patched each run). */
  healthProbe: defineTable({ at: v.number(), runs: v.number() }),
  /**
   * Function calls as clients timed them, per (minute, function, shard): counts, failures
   * (thrown errors), refusals (coded `{ ok: false }` answers) and a latency histogram over
   * `LATENCY_BUCKETS_MS`. Shards spread concurrent reporters' writes; pruned after a day.
   */
  clientMetrics: defineTable({
    minute: v.number(),
    fn: v.string(),
    shard: v.number(),
    count: v.number(),
    errors: v.number(),
    refusals: v.number(),
    buckets: v.array(v.number()),
  }).index("by_minute_fn_shard", ["minute", "fn", "shard"]),
};
