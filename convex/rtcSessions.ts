/**
 * The free tier's call sessions (issue 14): join and leave a meeting's call,
 * heartbeat with the media state, and the live peer list every browser
 * subscribes to. Signals between sessions are in `rtcSignals.ts`; which call
 * implementation a meeting uses is decided in `lib/callProvider.ts`.
 *
 * Commands answer coded results (rate limits spend tokens on refusals too);
 * queries throw FORBIDDEN for a removed participant and answer
 * `{status: "ended"}` when the caller's own session is gone.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import { internalMutation } from "./_generated/server";
import { callPlanOf, paidCallOf } from "./billing/callPlan";
import { requireMeetingAccess } from "./lib/access";
import {
  admitToCall,
  callLimitValidator,
  callProviderValidator,
  paidCallStatusValidator,
} from "./lib/callProvider";
import { userMutation, userQuery } from "./lib/functions";
import { spend } from "./lib/rateLimits";
import { refused, resultValidator } from "./lib/results";
import { MAX_DEVICE_ID_CHARS, SESSION_TTL_MS } from "./lib/rtcRules";
import {
  checkInCall,
  endSession,
  isSessionLive,
  loadOwnSession,
  meetingSessions,
} from "./lib/rtcSession";
import { rtcMediaState } from "./tables/rtc";

/** Why: the sweep deletes in bounded batches; each session also deletes its signals. */
const SWEEP_BATCH = 64;
/** Why: expired signals are small rows; a batch far inside write limits. */
const SIGNAL_SWEEP_BATCH = 512;

/**
 * Join the meeting's call from this tab. Needs a joined participant of a live
 * meeting. One live session per person: joining again (a reload, another tab)
 * ends the older session (`replaced: true`). Past the call's limit
 * (`billing/callPlan.ts`: the org plan's `maxParticipants`, at most the 6 the
 * mesh connects) the join is refused and nothing is stored: ENTITLEMENT_REQUIRED
 * when the plan sets the limit, CONFLICT when the provider does.
 * Observers join receive-only (their media state is always off).
 */
export const join = userMutation({
  args: { meetingId: v.id("meetings"), deviceId: v.string(), media: rtcMediaState },
  returns: resultValidator({
    sessionId: v.id("rtcSessions"),
    provider: callProviderValidator,
    maxParticipants: v.number(),
    receiveOnly: v.boolean(),
    replaced: v.boolean(),
  }),
  handler: async (ctx, { meetingId, deviceId, media }) => {
    const limited = await spend(ctx, "rtcCommands", ctx.user);
    if (!limited.ok) return limited;
    const inCall = await checkInCall(ctx, meetingId);
    if (!inCall.ok) return inCall;
    if (deviceId.length === 0 || deviceId.length > MAX_DEVICE_ID_CHARS)
      return refused("VALIDATION_ERROR", `deviceId must be 1–${MAX_DEVICE_ID_CHARS} characters`);
    const plan = await callPlanOf(ctx, inCall.meeting);
    if (plan.provider !== "mesh")
      return refused(
        "CONFLICT",
        "this meeting's call runs on GetStream Video: join it with video.calls.join, not the free call",
      );
    const now = Date.now();
    let replaced = false;
    let others = 0;
    for (const s of await meetingSessions(ctx, meetingId)) {
      if (s.userId === ctx.user._id) {
        await endSession(ctx, s);
        replaced = true;
      } else if (await isSessionLive(ctx, s, now, inCall.meeting)) {
        others += 1;
      }
    }
    const admitted = admitToCall(plan, others);
    if (!admitted.ok) return admitted;
    const receiveOnly = inCall.participant.role === "observer";
    const sessionId = await ctx.db.insert("rtcSessions", {
      meetingId,
      userId: ctx.user._id,
      deviceId,
      receiveOnly,
      media: receiveOnly ? { audio: false, video: false } : media,
      joinedAt: now,
      lastSeen: now,
    });
    return {
      ok: true as const,
      sessionId,
      provider: plan.provider,
      maxParticipants: plan.maxParticipants,
      receiveOnly,
      replaced,
    };
  },
});

const sessionArgs = { sessionId: v.id("rtcSessions") };

/** Leave the call: the session and its pending signals are deleted; peers see it at once. */
export const leave = userMutation({
  args: sessionArgs,
  returns: resultValidator({}),
  handler: async (ctx, { sessionId }) => {
    const limited = await spend(ctx, "rtcCommands", ctx.user);
    if (!limited.ok) return limited;
    const own = await loadOwnSession(ctx, sessionId);
    if (!own.ok) return own.code === "NOT_FOUND" ? { ok: true as const } : own;
    await endSession(ctx, own.session);
    return { ok: true as const };
  },
});

/**
 * Keep the session alive (every `HEARTBEAT_INTERVAL_MS`) and publish the media
 * state (mute, camera). A session that is no longer live is ended and answered
 * NOT_FOUND / FORBIDDEN / MEETING_NOT_ACTIVE.
 */
export const heartbeat = userMutation({
  args: { ...sessionArgs, media: rtcMediaState },
  returns: resultValidator({}),
  handler: async (ctx, { sessionId, media }) => {
    const limited = await spend(ctx, "rtcCommands", ctx.user);
    if (!limited.ok) return limited;
    const own = await loadOwnSession(ctx, sessionId);
    if (!own.ok) return own;
    const inCall = await checkInCall(ctx, own.session.meetingId);
    if (!inCall.ok) {
      await endSession(ctx, own.session);
      return inCall;
    }
    await ctx.db.patch("rtcSessions", sessionId, {
      lastSeen: Date.now(),
      media: own.session.receiveOnly ? { audio: false, video: false } : media,
    });
    return { ok: true as const };
  },
});

const peerView = v.object({
  sessionId: v.id("rtcSessions"),
  userId: v.id("users"),
  name: v.string(),
  receiveOnly: v.boolean(),
  media: rtcMediaState,
  joinedAt: v.number(),
});

function toPeer(s: Doc<"rtcSessions">, name: string) {
  return {
    sessionId: s._id,
    userId: s.userId,
    name,
    receiveOnly: s.receiveOnly,
    media: s.media,
    joinedAt: s.joinedAt,
  };
}

/**
 * The caller's view of the call: `{status: "live", self, peers}` with every
 * other live session (a participant who leaves, is removed, or whose meeting
 * ends drops out at once), or `{status: "ended", reason}` when the caller's
 * own session is gone. Throws FORBIDDEN for a removed participant.
 */
export const peers = userQuery({
  args: { meetingId: v.id("meetings"), sessionId: v.id("rtcSessions") },
  returns: v.union(
    v.object({ status: v.literal("live"), self: peerView, peers: v.array(peerView) }),
    v.object({ status: v.literal("ended"), reason: v.string() }),
  ),
  handler: async (ctx, { meetingId, sessionId }) => {
    const { meeting, participant } = await requireMeetingAccess(ctx, meetingId, "read");
    const own = await ctx.db.get("rtcSessions", sessionId);
    if (!own || own.userId !== ctx.user._id || own.meetingId !== meetingId)
      return {
        status: "ended" as const,
        reason: "your call session ended (left, or replaced by another tab)",
      };
    if (meeting.status !== "active")
      return { status: "ended" as const, reason: "the meeting is over" };
    if (participant.status !== "joined")
      return { status: "ended" as const, reason: "you left the meeting" };
    const now = Date.now();
    const out = [];
    for (const s of await meetingSessions(ctx, meetingId)) {
      if (s._id === sessionId || !(await isSessionLive(ctx, s, now, meeting))) continue;
      const user = await ctx.db.get("users", s.userId);
      out.push(toPeer(s, user?.name ?? "(deleted user)"));
    }
    return { status: "live" as const, self: toPeer(own, ctx.user.name), peers: out };
  },
});

/**
 * What the room needs before joining: the meeting's call provider, its limit
 * and what sets it (the org's plan or the provider), and how many people are
 * in the call now (to say "the call is full" up front).
 */
export const callInfo = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.object({
    provider: callProviderValidator,
    maxParticipants: v.number(),
    limitedBy: callLimitValidator,
    plan: v.string(),
    inCall: v.number(),
    live: v.boolean(),
    /** The paid call's state (GetStream): "none" for free meetings. */
    paidCall: paidCallStatusValidator,
    /** True while the paid call is being recorded: every participant is shown so. */
    recording: v.boolean(),
  }),
  handler: async (ctx, { meetingId }) => {
    const { meeting } = await requireMeetingAccess(ctx, meetingId, "read");
    const plan = await callPlanOf(ctx, meeting);
    const paid = await paidCallOf(ctx, meetingId);
    const now = Date.now();
    let inCall = 0;
    if (meeting.status === "active") {
      for (const s of await meetingSessions(ctx, meetingId))
        if (await isSessionLive(ctx, s, now, meeting)) inCall += 1;
    }
    return {
      ...plan,
      inCall,
      live: meeting.status === "active",
      paidCall: paid?.status ?? ("none" as const),
      recording: meeting.status === "active" && (paid?.recording ?? false),
    };
  },
});

/**
 * TTL sweep (cron): ends sessions without a heartbeat for `SESSION_TTL_MS` and
 * deletes signals past their `expiresAt`, in bounded batches, rescheduling
 * itself while a batch came back full.
 */
export const sweep = internalMutation({
  args: {},
  returns: v.object({ sessions: v.number(), signals: v.number() }),
  handler: async (ctx) => {
    const now = Date.now();
    const stale = await ctx.db
      .query("rtcSessions")
      .withIndex("by_lastSeen", (q) => q.lt("lastSeen", now - SESSION_TTL_MS))
      .take(SWEEP_BATCH);
    for (const s of stale) await endSession(ctx, s);
    const expired = await ctx.db
      .query("rtcSignals")
      .withIndex("by_expires", (q) => q.lt("expiresAt", now))
      .take(SIGNAL_SWEEP_BATCH);
    for (const s of expired) await ctx.db.delete("rtcSignals", s._id);
    if (stale.length === SWEEP_BATCH || expired.length === SIGNAL_SWEEP_BATCH)
      await ctx.scheduler.runAfter(0, internal.rtcSessions.sweep, {});
    return { sessions: stale.length, signals: expired.length };
  },
});
