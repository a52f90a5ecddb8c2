/**
 * Call observability per meeting (issue 14): signal throughput (counted by
 * `rtcSignals.send`), TURN credential mints (`rtcTurn.iceServers`), and what
 * each browser reports about its peer connections: connected (with the time it
 * took and the selected candidate type), failed, ICE restarts, and time to
 * first media. `forMeeting` sums them for hosts and co-hosts.
 */
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { requireMeetingAccess } from "./lib/access";
import { userMutation, userQuery } from "./lib/functions";
import { spend } from "./lib/rateLimits";
import { refused, resultValidator } from "./lib/results";
import { loadOwnSession } from "./lib/rtcSession";
import { rtcReportKind } from "./tables/rtc";

/** Why 2,000: a call of 6 for 8 hours is ~2,900 signal-minute rows; reports are far fewer. */
export const METRICS_READ_LIMIT = 2000;
/** Why 10 minutes: a connection slower than that to report is a clock or client bug. */
const MAX_REPORTED_MS = 600_000;
/** Why: candidate types of the WebRTC stats spec. */
const CANDIDATE_TYPES = new Set(["host", "srflx", "prflx", "relay"]);

/** Report a peer connection outcome from the caller's session. */
export const report = userMutation({
  args: {
    sessionId: v.id("rtcSessions"),
    kind: rtcReportKind,
    ms: v.optional(v.number()),
    candidateType: v.optional(v.string()),
  },
  returns: resultValidator({}),
  handler: async (ctx, { sessionId, kind, ms, candidateType }) => {
    const limited = await spend(ctx, "rtcCommands", ctx.user);
    if (!limited.ok) return limited;
    const own = await loadOwnSession(ctx, sessionId);
    if (!own.ok) return own;
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0 && ms <= MAX_REPORTED_MS))
      return refused("VALIDATION_ERROR", `ms must be in 0–${MAX_REPORTED_MS}`);
    if (candidateType !== undefined && !CANDIDATE_TYPES.has(candidateType))
      return refused("VALIDATION_ERROR", "candidateType must be host, srflx, prflx or relay");
    await ctx.db.insert("rtcMetrics", {
      meetingId: own.session.meetingId,
      userId: ctx.user._id,
      kind,
      sessionId,
      at: Date.now(),
      ms,
      candidateType,
    });
    return { ok: true as const };
  },
});

async function rows(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  kind: Doc<"rtcMetrics">["kind"],
): Promise<{ rows: Doc<"rtcMetrics">[]; truncated: boolean }> {
  const r = await ctx.db
    .query("rtcMetrics")
    .withIndex("by_meeting_kind", (q) => q.eq("meetingId", meetingId).eq("kind", kind))
    .order("desc")
    .take(METRICS_READ_LIMIT + 1);
  return { rows: r.slice(0, METRICS_READ_LIMIT), truncated: r.length > METRICS_READ_LIMIT };
}

/** The nearest-rank percentile of sorted values (null when empty). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? null;
}

const timing = v.object({
  count: v.number(),
  medianMs: v.union(v.number(), v.null()),
  p95Ms: v.union(v.number(), v.null()),
});

function timingOf(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
}

/**
 * The call's numbers for a meeting (hosts and co-hosts): signals sent in total
 * and per minute (newest first, at most the last 60 minutes), TURN mints,
 * connections (successes, failures, ICE restarts, by candidate type), time to
 * connect and to first media (median, p95). `truncated` when a kind had more
 * rows than one read takes (the newest are counted).
 */
export const forMeeting = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.object({
    signals: v.object({
      total: v.number(),
      bytes: v.number(),
      perMinute: v.array(v.object({ minute: v.number(), count: v.number() })),
    }),
    turnMints: v.object({ total: v.number(), withTurn: v.number() }),
    connections: v.object({
      succeeded: v.number(),
      failed: v.number(),
      iceRestarts: v.number(),
      byCandidateType: v.record(v.string(), v.number()),
    }),
    timeToConnect: timing,
    timeToFirstMedia: timing,
    truncated: v.boolean(),
  }),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "host");
    const [signals, mints, connected, failed, restarts, firstMedia] = await Promise.all([
      rows(ctx, meetingId, "signals"),
      rows(ctx, meetingId, "turnMint"),
      rows(ctx, meetingId, "connected"),
      rows(ctx, meetingId, "failed"),
      rows(ctx, meetingId, "iceRestart"),
      rows(ctx, meetingId, "firstMedia"),
    ]);
    const perMinute = new Map<number, number>();
    let total = 0;
    let bytes = 0;
    for (const r of signals.rows) {
      total += r.count ?? 0;
      bytes += r.bytes ?? 0;
      perMinute.set(r.at, (perMinute.get(r.at) ?? 0) + (r.count ?? 0));
    }
    const byCandidateType: Record<string, number> = {};
    for (const r of connected.rows) {
      const t = r.candidateType ?? "unknown";
      byCandidateType[t] = (byCandidateType[t] ?? 0) + 1;
    }
    const msOf = (rs: Doc<"rtcMetrics">[]) =>
      rs.map((r) => r.ms).filter((m): m is number => m !== undefined);
    return {
      signals: {
        total,
        bytes,
        perMinute: [...perMinute.entries()]
          .sort((a, b) => b[0] - a[0])
          .slice(0, 60)
          .map(([minute, count]) => ({ minute, count })),
      },
      turnMints: {
        total: mints.rows.length,
        withTurn: mints.rows.filter((r) => r.detail === "turn").length,
      },
      connections: {
        succeeded: connected.rows.length,
        failed: failed.rows.length,
        iceRestarts: restarts.rows.length,
        byCandidateType,
      },
      timeToConnect: timingOf(msOf(connected.rows)),
      timeToFirstMedia: timingOf(msOf(firstMedia.rows)),
      truncated: [signals, mints, connected, failed, restarts, firstMedia].some((x) => x.truncated),
    };
  },
});
