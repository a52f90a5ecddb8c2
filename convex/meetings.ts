/**
 * Meetings: lifecycle commands (schedule, start, end, cancel) and the
 * caller's meetings. Every command goes through the pure decider
 * (`projections/lifecycle`) and appends `meetingEvents`; refusals are coded
 * results (`{ok:false, code, message}`) with an audit row. Queries throw
 * coded `ConvexError`s (see `lib/access.ts` for the access matrix).
 */
import { v } from "convex/values";
import { requireMeetingAccess } from "./lib/access";
import { appError } from "./lib/errors";
import { userMutation, userQuery } from "./lib/functions";
import { refused } from "./lib/results";
import { endCallSessions } from "./lib/rtcSession";
import { runCallerCommand, runMeetingCommand, runSchedule } from "./meetings/lifecycle";
import {
  commandPrologue,
  commandResult,
  idempotencyKeyArg,
  meetingView,
  toMeetingView,
} from "./meetings/views";
import { checkInvitees } from "./orgs/meetingRules";
import { endPaidCall } from "./video/endCall";
import { requestPaidCall } from "./video/provision";

/**
 * Why 5 min: a "start now" form reaches the server a little after it was filled, and
 * clocks differ by seconds; anything earlier is a mistake (a meeting in 2020), refused.
 */
export const SCHEDULE_PAST_GRACE_MS = 5 * 60_000;

/** Why: the "my meetings" page shows recent history; older meetings are paged elsewhere. */
const MY_MEETINGS_LIMIT = 200;

const scheduleArgs = {
  title: v.string(),
  description: v.optional(v.string()),
  scheduledAt: v.number(),
  durationMinutes: v.number(),
  invitees: v.optional(
    v.array(
      v.object({
        userId: v.id("users"),
        role: v.union(v.literal("cohost"), v.literal("participant"), v.literal("observer")),
      }),
    ),
  ),
  idempotencyKey: idempotencyKeyArg,
};

/** Schedule a meeting; the caller becomes its host. */
export const schedule = userMutation({
  args: scheduleArgs,
  returns: commandResult,
  handler: async (ctx, args) => {
    const pre = await commandPrologue(ctx, ctx.user, args.idempotencyKey);
    if (!pre.ok) return pre;
    const now = Date.now();
    if (Number.isFinite(args.scheduledAt) && args.scheduledAt < now - SCHEDULE_PAST_GRACE_MS) {
      const when = args.scheduledAt >= 0 ? new Date(args.scheduledAt).toISOString() : "that time";
      return refused(
        "VALIDATION_ERROR",
        `a meeting cannot be scheduled in the past (${when} has gone by); pick a time from now on`,
      );
    }
    const invitees = args.invitees ?? [];
    for (const i of invitees) {
      if (!(await ctx.db.get("users", i.userId)))
        return refused("NOT_FOUND", `no user ${i.userId}`);
    }
    const allowed = await checkInvitees(
      ctx,
      { orgId: ctx.user.orgId },
      invitees.map((i) => i.userId),
    );
    if (!allowed.ok) return allowed;
    return await runSchedule(
      ctx,
      ctx.user,
      {
        type: "Schedule",
        by: ctx.user._id,
        at: now,
        title: args.title,
        description: args.description,
        scheduledAt: args.scheduledAt,
        durationMinutes: args.durationMinutes,
        orgId: ctx.user.orgId,
        invitees,
      },
      pre.key,
    );
  },
});

const lifecycleArgs = { meetingId: v.id("meetings"), idempotencyKey: idempotencyKeyArg };

/**
 * Start a scheduled meeting (host or co-host); the caller joins it. A meeting
 * of an org entitled to GetStream gets its paid call provisioned (`video/provision.ts`).
 */
export const start = userMutation({
  args: lifecycleArgs,
  returns: commandResult,
  handler: async (ctx, { meetingId, idempotencyKey }) => {
    const r = await runCallerCommand(ctx, meetingId, idempotencyKey, {
      type: "Start",
      by: ctx.user._id,
      at: Date.now(),
    });
    if (r.ok && r.events.length > 0) {
      const meeting = await ctx.db.get("meetings", meetingId);
      if (meeting) await requestPaidCall(ctx, meeting);
    }
    return r;
  },
});

/** End a live meeting (host or co-host); everyone present leaves, and its call ends (free or paid). */
export const end = userMutation({
  args: lifecycleArgs,
  returns: commandResult,
  handler: async (ctx, { meetingId, idempotencyKey }) => {
    const r = await runCallerCommand(ctx, meetingId, idempotencyKey, {
      type: "End",
      by: ctx.user._id,
      at: Date.now(),
    });
    if (r.ok && r.events.length > 0) {
      await endCallSessions(ctx, meetingId);
      await endPaidCall(ctx, meetingId);
    }
    return r;
  },
});

/** Cancel a meeting that has not started (host only). */
export const cancel = userMutation({
  args: { ...lifecycleArgs, reason: v.optional(v.string()) },
  returns: commandResult,
  handler: async (ctx, { meetingId, idempotencyKey, reason }) => {
    const pre = await commandPrologue(ctx, ctx.user, idempotencyKey);
    if (!pre.ok) return pre;
    if (reason !== undefined && reason.length > 500)
      return refused("VALIDATION_ERROR", "reason is at most 500 characters");
    return await runMeetingCommand(
      ctx,
      ctx.user,
      meetingId,
      { type: "Cancel", by: ctx.user._id, at: Date.now(), reason },
      pre.key,
    );
  },
});

/**
 * One meeting (metadata, also when cancelled) with the caller's role and status.
 * Takes any string: a malformed id (a mistyped or truncated link) is NOT_FOUND
 * ("no meeting has this id") rather than an argument error, so the page can say
 * "not found". A well-formed id of a meeting one may not see stays FORBIDDEN
 * (`NOT_YOURS`), whether or not it exists.
 */
export const get = userQuery({
  args: { meetingId: v.string() },
  returns: meetingView,
  handler: async (ctx, args) => {
    const meetingId = ctx.db.normalizeId("meetings", args.meetingId);
    if (meetingId === null)
      throw appError("NOT_FOUND", "no meeting has this id: the link is malformed or incomplete");
    const { meeting, participant } = await requireMeetingAccess(ctx, meetingId, "read", {
      allowCancelled: true,
    });
    return toMeetingView(meeting, participant);
  },
});

/**
 * The caller's meetings (not those they were removed from), split into
 * upcoming (scheduled, soonest first), live, and past (ended or cancelled,
 * latest first).
 */
export const listMine = userQuery({
  args: {},
  returns: v.object({
    upcoming: v.array(meetingView),
    live: v.array(meetingView),
    past: v.array(meetingView),
  }),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("participants")
      .withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
      .order("desc")
      .take(MY_MEETINGS_LIMIT);
    const views = [];
    for (const p of rows) {
      if (p.status === "removed") continue;
      const m = await ctx.db.get("meetings", p.meetingId);
      if (m) views.push(toMeetingView(m, p));
    }
    const pastTime = (m: { endedAt?: number; cancelledAt?: number; scheduledAt: number }) =>
      m.endedAt ?? m.cancelledAt ?? m.scheduledAt;
    return {
      upcoming: views
        .filter((m) => m.status === "scheduled")
        .sort((a, b) => a.scheduledAt - b.scheduledAt),
      live: views
        .filter((m) => m.status === "active")
        .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0)),
      past: views
        .filter((m) => m.status === "ended" || m.status === "cancelled")
        .sort((a, b) => pastTime(b) - pastTime(a)),
    };
  },
});
