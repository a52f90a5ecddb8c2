/**
 * Times every mutation and action the page makes through its Convex client
 * (round trip, as the person waits for it) and reports a summary once a
 * minute to `ops.clientMetrics.report`, which the console turns into latency
 * and error rates per function. Queries are not timed: they are
 * subscriptions, pushed when their data changes, with no round trip to time.
 *
 * Counts per function and minute: calls, failures (the promise rejected),
 * refusals (an `{ ok: false, code }` answer) and a histogram over the fixed
 * buckets of `convex/lib/latency.ts`. A report that fails is dropped, never
 * retried in a loop (metrics must never cost the page its work).
 */
import type { ConvexReactClient } from "convex/react";
import { getFunctionName } from "convex/server";
import { api } from "../../convex/_generated/api";
import { bucketOf, emptyHistogram } from "../../convex/lib/latency";

/** Why a minute: the console's resolution; fewer reports cost less than finer ones tell. */
const FLUSH_MS = 60_000;
/** Why 9 minutes: the server takes minutes up to 10 minutes old; older ones are dropped. */
const MAX_AGE_MS = 9 * 60_000;
/** Why 60: the server's cap on functions per report. */
const MAX_ENTRIES = 60;

type Entry = { fn: string; count: number; errors: number; refusals: number; buckets: number[] };
type Outcome = "ok" | "error" | "refusal";

/** The calls of one page, grouped by minute and function. */
export class CallTimings {
  private readonly minutes = new Map<number, Map<string, Entry>>();

  /** Count one call of `fn` that took `ms` and ended with `outcome`, at `now`. */
  record(fn: string, ms: number, outcome: Outcome, now = Date.now()): void {
    const minute = Math.floor(now / 60_000) * 60_000;
    const byFn = this.minutes.get(minute) ?? new Map<string, Entry>();
    this.minutes.set(minute, byFn);
    const e = byFn.get(fn) ?? { fn, count: 0, errors: 0, refusals: 0, buckets: emptyHistogram() };
    byFn.set(fn, e);
    e.count++;
    if (outcome === "error") e.errors++;
    if (outcome === "refusal") e.refusals++;
    e.buckets[bucketOf(ms)]! += 1;
  }

  /** Take the reports to send (at most `MAX_ENTRIES` functions each); minutes too old are dropped. */
  take(now = Date.now()): { minute: number; entries: Entry[] }[] {
    const out: { minute: number; entries: Entry[] }[] = [];
    for (const [minute, byFn] of this.minutes) {
      if (minute < now - MAX_AGE_MS) continue;
      const entries = [...byFn.values()];
      for (let i = 0; i < entries.length; i += MAX_ENTRIES)
        out.push({ minute, entries: entries.slice(i, i + MAX_ENTRIES) });
    }
    this.minutes.clear();
    return out;
  }
}

function outcomeOf(value: unknown): Outcome {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false
    ? "refusal"
    : "ok";
}

const REPORT = getFunctionName(api.ops.clientMetrics.report);

/**
 * Wraps `client.mutation` and `client.action` to time each call, and sends what was timed every
 * minute and when the page is hidden. Returns a function that stops it (the wrapping stays).
 */
export function installCallTimings(client: ConvexReactClient): () => void {
  const timings = new CallTimings();
  const mutation = client.mutation.bind(client);
  const action = client.action.bind(client);
  const timed =
    <A extends unknown[], R>(call: (ref: never, ...rest: A) => Promise<R>) =>
    async (ref: never, ...rest: A): Promise<R> => {
      const fn = getFunctionName(ref);
      const started = performance.now();
      try {
        const value = await call(ref, ...rest);
        if (fn !== REPORT) timings.record(fn, performance.now() - started, outcomeOf(value));
        return value;
      } catch (e) {
        timings.record(fn, performance.now() - started, "error");
        throw e;
      }
    };
  client.mutation = timed(mutation as never) as typeof client.mutation;
  client.action = timed(action as never) as typeof client.action;
  const flush = () => {
    if (typeof navigator !== "undefined" && !navigator.onLine) return;
    for (const r of timings.take())
      void mutation(api.ops.clientMetrics.report, r).catch(() => undefined);
  };
  const timer = setInterval(flush, FLUSH_MS);
  const onHide = () => {
    if (document.visibilityState === "hidden") flush();
  };
  document.addEventListener("visibilitychange", onHide);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onHide);
  };
}
