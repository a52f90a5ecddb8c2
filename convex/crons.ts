/**
 * Recurring jobs (Convex crons; the embedded engine runs this file on its own
 * timer). Each job is an internal mutation that works in bounded batches.
 * Other modules add their jobs here.
 */
import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// Why 15 min: an abandoned live meeting is ended within 15 min of its 2 h grace.
crons.interval("end overdue meetings", { minutes: 15 }, internal.meetingSweeps.endOverdue, {});
// Why hourly: idempotency keys live a day after completion; hourly sweeps keep the table small.
crons.interval("sweep expired idempotency keys", { hours: 1 }, internal.idempotency.sweep, {});
// Why every minute: presence rows expire after 30 s; a minute bounds the table to ~2 TTLs of rows.
crons.interval("sweep expired note presence", { minutes: 1 }, internal.presence.sweep, {});
// Why every minute: people waiting are proposed within a minute even without a kick from entering.
crons.interval("matching cycle", { minutes: 1 }, internal.matching.cycle.start, { reason: "cron" });
// Why every minute: proposals answer within 10 minutes; a minute bounds how long an expired one lingers.
crons.interval(
  "expire matching proposals and entries",
  { minutes: 1 },
  internal.matching.sweep.expire,
  {},
);
// Why hourly: outcomes arrive at human pace; hourly steps keep the weights current without churn.
crons.interval("learn matching weights", { hours: 1 }, internal.matching.learn.learn, {});

// Why every minute: org quotas across meetings lag the rollup by at most this (billing/usage.ts).
crons.interval("roll up metered usage", { minutes: 1 }, internal.billing.usage.rollup, {});
// Why every 30 s: call sessions expire 45 s after their last heartbeat and signals after 60 s;
// a dead tab leaves its peers' lists within ~75 s even when its peers' ICE checks do not notice.
crons.interval("sweep call sessions and signals", { seconds: 30 }, internal.rtcSessions.sweep, {});
// Why daily: retention periods are counted in days; a pass walks old meetings in bounded steps.
crons.interval("retention pass", { hours: 24 }, internal.retention.start, {});
// Why every 60 s: the design's health-check period; the console shows each run (ops/health.ts).
crons.interval("health checks", { seconds: 60 }, internal.ops.health.check, {});

export default crons;
