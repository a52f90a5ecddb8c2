/**
 * Function latency and errors as the web app sees them (issue 15, the
 * console). Convex functions cannot time themselves (a query or mutation
 * reads one frozen clock), so each page times the calls it makes (round trip,
 * `web/lib/callTimings.ts`) and reports a summary once a minute: per
 * function, calls, failures (thrown errors), refusals (coded `{ ok: false }`
 * answers) and a latency histogram over fixed buckets. Rows are per (minute,
 * function, shard), so reporters rarely write the same row; the console adds
 * them up (`ops/console.ts`).
 *
 * Figures are client-reported: a signed-in person could send made-up numbers
 * for their own reports, bounded by the rate limit and the validation here;
 * the console says so.
 */
import { v } from "convex/values";
import { userMutation } from "../lib/functions";
import { BUCKET_COUNT } from "../lib/latency";
import { spend } from "../lib/rateLimits";
import { refused, resultValidator } from "../lib/results";

/** Why 60: the app calls a few dozen distinct functions; more in one report is not a page. */
export const MAX_FUNCTIONS_PER_REPORT = 60;
/** Why 10,000: a page making more than ~170 calls a second for a minute is not a person. */
const MAX_CALLS_PER_FUNCTION = 10_000;
/** Why 4: reporters of one minute spread over 4 rows per function; the console reads them all. */
const SHARDS = 4;
/** A function name as `getFunctionName` writes it: `module/path:export`. */
const FUNCTION_NAME = /^[A-Za-z0-9_]+(?:\/[A-Za-z0-9_]+)*:[A-Za-z0-9_]+$/;

const entry = v.object({
  fn: v.string(),
  count: v.number(),
  errors: v.number(),
  refusals: v.number(),
  buckets: v.array(v.number()),
});

function isCount(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}

/** What is wrong with one entry, or null. */
function invalid(e: typeof entry.type): string | null {
  if (e.fn.length > 120 || !FUNCTION_NAME.test(e.fn))
    return `fn ${JSON.stringify(e.fn.slice(0, 40))} is not a function name`;
  if (!isCount(e.count, MAX_CALLS_PER_FUNCTION) || e.count === 0)
    return `${e.fn}: count must be 1–${MAX_CALLS_PER_FUNCTION}`;
  if (
    !isCount(e.errors, e.count) ||
    !isCount(e.refusals, e.count) ||
    e.errors + e.refusals > e.count
  )
    return `${e.fn}: errors and refusals must be counts within count`;
  if (e.buckets.length !== BUCKET_COUNT || !e.buckets.every((b) => isCount(b, e.count)))
    return `${e.fn}: buckets must be ${BUCKET_COUNT} counts`;
  if (e.buckets.reduce((a, b) => a + b, 0) !== e.count)
    return `${e.fn}: buckets must add up to count`;
  return null;
}

/** Report one minute of call timings from a page (rate-limited per person). */
export const report = userMutation({
  args: { minute: v.number(), entries: v.array(entry) },
  returns: resultValidator({ stored: v.number() }),
  handler: async (ctx, { minute, entries }) => {
    const now = Date.now();
    if (
      !Number.isInteger(minute) ||
      minute % 60_000 !== 0 ||
      minute > now ||
      minute < now - 10 * 60_000
    )
      return refused(
        "VALIDATION_ERROR",
        "minute must be a whole minute within the last 10 minutes",
      );
    if (entries.length === 0 || entries.length > MAX_FUNCTIONS_PER_REPORT)
      return refused("VALIDATION_ERROR", `entries must be 1–${MAX_FUNCTIONS_PER_REPORT}`);
    for (const e of entries) {
      const why = invalid(e);
      if (why) return refused("VALIDATION_ERROR", why);
    }
    const limited = await spend(ctx, "clientMetrics", ctx.user);
    if (!limited.ok) return limited;
    const shard = Math.floor(Math.random() * SHARDS);
    for (const e of entries) {
      const row = await ctx.db
        .query("clientMetrics")
        .withIndex("by_minute_fn_shard", (q) =>
          q.eq("minute", minute).eq("fn", e.fn).eq("shard", shard),
        )
        .unique();
      if (row) {
        await ctx.db.patch("clientMetrics", row._id, {
          count: row.count + e.count,
          errors: row.errors + e.errors,
          refusals: row.refusals + e.refusals,
          buckets: row.buckets.map((b, i) => b + (e.buckets[i] ?? 0)),
        });
      } else {
        await ctx.db.insert("clientMetrics", { minute, shard, ...e });
      }
    }
    return { ok: true as const, stored: entries.length };
  },
});
