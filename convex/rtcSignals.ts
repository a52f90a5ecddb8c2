/**
 * WebRTC signaling through Convex (issue 14): a session sends offers, answers
 * and ICE candidates to another live session of the same meeting; the
 * addressee alone reads them (`inbox`, a reactive query) and acknowledges
 * them (`ack`), which deletes them. Unread signals expire after
 * `SIGNAL_TTL_MS` (`rtcSessions.sweep`).
 *
 * `send` is a hot path: every refusal is a coded value, so the rate-limit
 * tokens a flood spends stay spent, and nothing is stored for a refused call.
 * Order of checks: rate limit (identity) → the sender's own session → the
 * sender still in the call (access, live meeting, joined) → shape and size
 * of every signal → the addressee (exists, same meeting, live, not full).
 */
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { requireMeetingAccess } from "./lib/access";
import { writeAudit } from "./lib/audit";
import { appError } from "./lib/errors";
import { userMutation, userQuery } from "./lib/functions";
import { spend } from "./lib/rateLimits";
import { type Refused, refused, resultValidator } from "./lib/results";
import {
  checkSignal,
  MAX_PENDING_SIGNALS,
  MAX_SIGNALS_PER_SEND,
  metricsMinute,
  SIGNAL_TTL_MS,
} from "./lib/rtcRules";
import { checkInCall, isSessionLive, loadOwnSession } from "./lib/rtcSession";
import { rtcSignalKind } from "./tables/rtc";

const signalArg = v.object({ kind: rtcSignalKind, payload: v.string() });

/** Count sent signals toward the sender's own per-minute throughput row. */
async function countSent(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  userId: Id<"users">,
  sessionId: Id<"rtcSessions">,
  count: number,
  bytes: number,
  now: number,
): Promise<void> {
  const at = metricsMinute(now);
  const row = await ctx.db
    .query("rtcMetrics")
    .withIndex("by_session_kind", (q) =>
      q.eq("sessionId", sessionId).eq("kind", "signals").eq("at", at),
    )
    .unique();
  if (row)
    await ctx.db.patch("rtcMetrics", row._id, {
      count: (row.count ?? 0) + count,
      bytes: (row.bytes ?? 0) + bytes,
    });
  else
    await ctx.db.insert("rtcMetrics", {
      meetingId,
      userId,
      kind: "signals",
      sessionId,
      at,
      count,
      bytes,
    });
}

/**
 * Send 1–20 signals (in order) from the caller's session `sessionId` to the
 * session `to`. Refusals: RATE_LIMITED, NOT_FOUND (a session that ended),
 * FORBIDDEN (not your session; not joined; removed; `to` in another meeting
 * or not live; an observer describing media it would send),
 * MEETING_NOT_ACTIVE, VALIDATION_ERROR (shape, size, to yourself), CONFLICT
 * (the addressee has `MAX_PENDING_SIGNALS` unread).
 */
export const send = userMutation({
  args: { sessionId: v.id("rtcSessions"), to: v.id("rtcSessions"), signals: v.array(signalArg) },
  returns: resultValidator({ delivered: v.number() }),
  handler: async (ctx, { sessionId, to, signals }) => {
    const limited = await spend(ctx, "rtcSignals", ctx.user, Math.max(1, signals.length));
    if (!limited.ok) return limited;
    const own = await loadOwnSession(ctx, sessionId);
    if (!own.ok) return own;
    const session = own.session;
    const deny = async (r: Refused) => {
      await writeAudit(ctx, {
        action: "rtc.signal",
        outcome: "denied",
        actorId: ctx.user._id,
        meetingId: session.meetingId,
        code: r.code,
        detail: r.message,
      });
      return r;
    };
    const inCall = await checkInCall(ctx, session.meetingId);
    if (!inCall.ok) return await deny(inCall);
    if (signals.length === 0 || signals.length > MAX_SIGNALS_PER_SEND)
      return refused("VALIDATION_ERROR", `send 1–${MAX_SIGNALS_PER_SEND} signals per call`);
    let bytes = 0;
    for (const [i, s] of signals.entries()) {
      const problem = checkSignal(s.kind, s.payload, session.receiveOnly);
      if (problem) {
        const r = refused(problem.code, `signal ${i}: ${problem.message}`);
        return problem.code === "FORBIDDEN" ? await deny(r) : r;
      }
      bytes += s.payload.length;
    }
    if (to === sessionId) return refused("VALIDATION_ERROR", "a session cannot signal itself");
    const target = await ctx.db.get("rtcSessions", to);
    if (!target) return refused("NOT_FOUND", "that call session has ended");
    if (target.meetingId !== session.meetingId)
      return await deny(refused("FORBIDDEN", "that session is not in this meeting's call"));
    const now = Date.now();
    if (!(await isSessionLive(ctx, target, now, inCall.meeting)))
      return await deny(refused("FORBIDDEN", "that person is no longer in the call"));
    const pending = await ctx.db
      .query("rtcSignals")
      .withIndex("by_to", (q) => q.eq("toSession", to))
      .take(MAX_PENDING_SIGNALS);
    if (pending.length + signals.length > MAX_PENDING_SIGNALS)
      return refused(
        "CONFLICT",
        `that session has ${pending.length} unread signals; it is not reading (retry later)`,
      );
    for (const s of signals) {
      await ctx.db.insert("rtcSignals", {
        meetingId: session.meetingId,
        fromSession: sessionId,
        toSession: to,
        kind: s.kind,
        payload: s.payload,
        expiresAt: now + SIGNAL_TTL_MS,
      });
    }
    await countSent(ctx, session.meetingId, ctx.user._id, sessionId, signals.length, bytes, now);
    return { ok: true as const, delivered: signals.length };
  },
});

const signalView = v.object({
  id: v.id("rtcSignals"),
  from: v.id("rtcSessions"),
  kind: rtcSignalKind,
  payload: v.string(),
});

/**
 * The unread signals addressed to the caller's session, oldest first (at
 * most `MAX_PENDING_SIGNALS`; signals from sessions that ended are left out).
 * Only the session's owner may read it (FORBIDDEN for anyone else, and for a
 * removed participant); `{status: "ended"}` once the session is gone.
 */
export const inbox = userQuery({
  args: { sessionId: v.id("rtcSessions") },
  returns: v.union(
    v.object({ status: v.literal("live"), signals: v.array(signalView) }),
    v.object({ status: v.literal("ended") }),
  ),
  handler: async (ctx, { sessionId }) => {
    const session = await ctx.db.get("rtcSessions", sessionId);
    if (!session) return { status: "ended" as const };
    if (session.userId !== ctx.user._id)
      throw appError("FORBIDDEN", "this call session belongs to someone else");
    const { meeting, participant } = await requireMeetingAccess(ctx, session.meetingId, "read");
    if (meeting.status !== "active" || participant.status !== "joined")
      return { status: "ended" as const };
    const now = Date.now();
    const rows = await ctx.db
      .query("rtcSignals")
      .withIndex("by_to", (q) => q.eq("toSession", sessionId))
      .take(MAX_PENDING_SIGNALS);
    const senders = new Map<string, boolean>();
    const signals = [];
    for (const r of rows) {
      if (r.expiresAt < now) continue;
      let alive = senders.get(r.fromSession);
      if (alive === undefined) {
        alive = (await ctx.db.get("rtcSessions", r.fromSession)) !== null;
        senders.set(r.fromSession, alive);
      }
      if (alive) signals.push({ id: r._id, from: r.fromSession, kind: r.kind, payload: r.payload });
    }
    return { status: "live" as const, signals };
  },
});

/**
 * Acknowledge (delete) consumed signals. Only signals addressed to the
 * caller's own session are deleted; other ids are skipped and counted.
 */
export const ack = userMutation({
  args: { sessionId: v.id("rtcSessions"), ids: v.array(v.id("rtcSignals")) },
  returns: resultValidator({ deleted: v.number(), skipped: v.number() }),
  handler: async (ctx, { sessionId, ids }) => {
    const own = await loadOwnSession(ctx, sessionId);
    if (!own.ok) return own;
    if (ids.length > MAX_PENDING_SIGNALS)
      return refused("VALIDATION_ERROR", `acknowledge at most ${MAX_PENDING_SIGNALS} at once`);
    let deleted = 0;
    for (const id of ids) {
      const row = await ctx.db.get("rtcSignals", id);
      if (row && row.toSession === sessionId) {
        await ctx.db.delete("rtcSignals", id);
        deleted += 1;
      }
    }
    return { ok: true as const, deleted, skipped: ids.length - deleted };
  },
});
