/**
 * Scheduled health checks (issue 15, the console; the design says every
 * 60 s): an action run by cron times a query and a mutation round trip,
 * reads each projection's lag and parked dead letters, counts call
 * connections deployment-wide, notes which external providers are configured
 * (or run on their local default), and records one `healthChecks` row the
 * console shows and charts. Rows and client metrics older than a day are
 * pruned in bounded batches by the same run.
 */
import { v } from "convex/values";
import { LOCAL_MODEL_KEY } from "../../projections/matching/embeddings/localHashed";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import {
  env,
  internalAction,
  internalMutation,
  internalQuery,
  type QueryCtx,
} from "../_generated/server";
import { type AiCapability, providerFor } from "../ai/config";
import { configuredModelKey } from "../embeddings/config";
import { readMailConfig } from "../lib/mailer";
import { iceMode, readTurnConfig } from "../lib/turnCredentials";
import { statusOf } from "../projections";
import { allProjectors } from "../projectors/registry";
import { sttProvider } from "../rtcTranscription";
import { healthCheckResult, rtcCounters } from "../tables/ops";

/** Why a minute: a projection behind by more than this is what people notice as a stale view. */
export const LAG_LIMIT_MS = 60_000;
/** Why 5 minutes: the RTC counters cover what happened since a few runs ago, smoothing one run. */
export const RTC_WINDOW_MS = 5 * 60_000;
/** Why 2,000: five minutes of connection reports in a busy deployment; more is counted as truncated. */
const RTC_READ_LIMIT = 2000;
/** Why a minute: a call session heartbeats every 15 s, so a live one was seen within a minute. */
const LIVE_SESSION_MS = 60_000;
/** Why a day: the console charts the last hour; a day keeps yesterday's incident readable. */
export const KEEP_MS = 24 * 60 * 60_000;
/** Why 500: a prune step deletes at most this many rows, well inside a mutation's limits. */
const PRUNE_BATCH = 500;

type Result = typeof healthCheckResult.type;

/** The call counters of a run whose query probe failed (nothing counted). */
export const NO_CALLS: typeof rtcCounters.type = {
  liveSessions: 0,
  connected: 0,
  failed: 0,
  iceRestarts: 0,
  relayed: 0,
  truncated: false,
};

async function countKind(ctx: QueryCtx, kind: Doc<"rtcMetrics">["kind"], since: number) {
  const rows = await ctx.db
    .query("rtcMetrics")
    .withIndex("by_kind_at", (q) => q.eq("kind", kind).gt("at", since))
    .take(RTC_READ_LIMIT + 1);
  return { rows: rows.slice(0, RTC_READ_LIMIT), truncated: rows.length > RTC_READ_LIMIT };
}

/** The query probe: deployment-wide call counters (also what the run records). */
export const rtcSnapshot = internalQuery({
  args: {},
  returns: rtcCounters,
  handler: async (ctx) => {
    const now = Date.now();
    const since = now - RTC_WINDOW_MS;
    const [connected, failed, restarts] = await Promise.all([
      countKind(ctx, "connected", since),
      countKind(ctx, "failed", since),
      countKind(ctx, "iceRestart", since),
    ]);
    const live = await ctx.db
      .query("rtcSessions")
      .withIndex("by_lastSeen", (q) => q.gt("lastSeen", now - LIVE_SESSION_MS))
      .take(RTC_READ_LIMIT + 1);
    return {
      liveSessions: Math.min(live.length, RTC_READ_LIMIT),
      connected: connected.rows.length,
      failed: failed.rows.length,
      iceRestarts: restarts.rows.length,
      relayed: connected.rows.filter((r) => r.candidateType === "relay").length,
      truncated:
        connected.truncated ||
        failed.truncated ||
        restarts.truncated ||
        live.length > RTC_READ_LIMIT,
    };
  },
});

/** One projection's health: lag of its read version, stalled meetings, parked dead letters. */
export const projectionHealth = internalQuery({
  args: { projection: v.string() },
  returns: healthCheckResult,
  handler: async (ctx, { projection }) => {
    const s = await statusOf(ctx, projection);
    const lag = Math.round(s.read.maxLagMs);
    const ok = lag <= LAG_LIMIT_MS && s.read.stalled === 0 && s.parkedDeadLetters === 0;
    return {
      name: `projection ${projection}`,
      ok,
      detail: `v${s.readVersion} ${s.phase}: lag ${lag} ms, ${s.read.stalled} stalled, ${s.parkedDeadLetters} parked`,
    };
  },
});

/** The mutation probe: one write to one row. */
export const probe = internalMutation({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    const row = await ctx.db.query("healthProbe").first();
    if (row) await ctx.db.patch("healthProbe", row._id, { at: Date.now(), runs: row.runs + 1 });
    else await ctx.db.insert("healthProbe", { at: Date.now(), runs: 1 });
    return null;
  },
});

/** Record a run and prune what is older than a day (bounded). */
export const record = internalMutation({
  args: { at: v.number(), results: v.array(healthCheckResult), rtc: rtcCounters },
  returns: v.null(),
  handler: async (ctx, { at, results, rtc }) => {
    await ctx.db.insert("healthChecks", { at, ok: results.every((r) => r.ok), results, rtc });
    const cutoff = Date.now() - KEEP_MS;
    const checks = await ctx.db
      .query("healthChecks")
      .withIndex("by_at", (q) => q.lt("at", cutoff))
      .take(PRUNE_BATCH);
    for (const r of checks) await ctx.db.delete("healthChecks", r._id);
    const metrics = await ctx.db
      .query("clientMetrics")
      .withIndex("by_minute_fn_shard", (q) => q.lt("minute", cutoff))
      .take(PRUNE_BATCH);
    for (const r of metrics) await ctx.db.delete("clientMetrics", r._id);
    return null;
  },
});

/** A provider check from its configuration reader: configured, local default, or misconfigured. */
function providerCheck(name: string, read: () => string | null, local: string): Result {
  try {
    const configured = read();
    return {
      name: `provider ${name}`,
      ok: true,
      detail: configured ? `configured: ${configured}` : `local default: ${local}`,
    };
  } catch (e) {
    return {
      name: `provider ${name}`,
      ok: false,
      detail: `misconfigured: ${(e as Error).message}`,
    };
  }
}

/**
 * Which external providers this deployment is configured for (read by each provider's own
 * configuration reader), and what runs otherwise. Configuration only: calling a paid provider
 * every minute to prove it answers would cost money; its failures show as the features' errors.
 */
export function providerResults(e: Record<string, string | undefined>): Result[] {
  const ai = (capability: AiCapability) => () => {
    const c = providerFor(capability);
    if (c.kind === "misconfigured") throw new Error(c.reason);
    return c.kind === "llm" ? `LLM ${c.settings.model}` : null;
  };
  return [
    providerCheck(
      "TURN",
      () => (iceMode(readTurnConfig(e)) === "turn" ? "TURN relay (coturn REST credentials)" : null),
      "no relay: STUN or host candidates only",
    ),
    providerCheck(
      "mail",
      () => (readMailConfig(e) ? "Resend" : null),
      "the local mailbox (/mailbox)",
    ),
    providerCheck("AI prompts", ai("prompts"), "local-templates"),
    providerCheck("AI insights", ai("insights"), "local-wink-nlp"),
    providerCheck(
      "speech-to-text",
      () => {
        const stt = sttProvider();
        if (stt.error) throw new Error(stt.error);
        return stt.name;
      },
      "off: transcripts are typed or from the browser's captions",
    ),
    providerCheck(
      "embeddings",
      () => {
        const key = configuredModelKey();
        return key === LOCAL_MODEL_KEY ? null : key;
      },
      LOCAL_MODEL_KEY,
    ),
    providerCheck(
      "billing",
      () => (e.STRIPE_WEBHOOK_SECRET?.trim() ? "Stripe webhooks" : null),
      "plans set by operators only",
    ),
  ];
}

async function timed<T>(
  run: () => Promise<T>,
): Promise<{ value: T | null; ms: number; error: string | null }> {
  const started = Date.now();
  try {
    return { value: await run(), ms: Date.now() - started, error: null };
  } catch (e) {
    return {
      value: null,
      ms: Date.now() - started,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

/** One health-check run (cron, every 60 s). */
export const check = internalAction({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    const at = Date.now();
    const results: Result[] = [];
    const q = await timed(() => ctx.runQuery(internal.ops.health.rtcSnapshot, {}));
    results.push({
      name: "query round trip",
      ok: q.error === null,
      ms: q.ms,
      detail: q.error ?? "read the call counters",
    });
    const m = await timed(() => ctx.runMutation(internal.ops.health.probe, {}));
    results.push({
      name: "mutation round trip",
      ok: m.error === null,
      ms: m.ms,
      detail: m.error ?? "wrote the probe row",
    });
    for (const p of allProjectors()) {
      const r = await timed(() =>
        ctx.runQuery(internal.ops.health.projectionHealth, { projection: p.name }),
      );
      results.push(
        r.value ?? {
          name: `projection ${p.name}`,
          ok: false,
          ms: r.ms,
          detail: r.error ?? "no answer",
        },
      );
    }
    results.push(...providerResults(env));
    const rtc = q.value ?? NO_CALLS;
    await ctx.runMutation(internal.ops.health.record, { at, results, rtc });
    return null;
  },
});
