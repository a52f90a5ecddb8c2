/**
 * Participants of a meeting: invite, join, leave, change role, remove (events
 * through the lifecycle decider; refusals as coded results with an audit row)
 * and the participant list (re-checks the caller's membership on every run).
 */
import { v } from "convex/values";
import { inviteByEmail } from "./invitations/byEmail";
import { checkMeetingAccess, requireMeetingAccess } from "./lib/access";
import { roleValidator } from "./lib/eventValidators";
import { userMutation, userQuery } from "./lib/functions";
import { refused } from "./lib/results";
import { endCallSessions } from "./lib/rtcSession";
import { runCallerCommand, runMeetingCommand } from "./meetings/lifecycle";
import { commandPrologue, commandResult, idempotencyKeyArg } from "./meetings/views";
import { checkInvitees } from "./orgs/meetingRules";
import { rsvpResponse } from "./tables/invitations";

/** Why: one read of every participant row; the decider caps a meeting at 100 live ones. */
const LIST_LIMIT = 500;

/**
 * Invite a user by id, or by email; hosts and co-hosts only. By email: an
 * account whose email is verified (`email_verified`) is invited at once;
 * otherwise a pending invitation is stored and claimed when someone signs in
 * with that email verified. Either way the address gets the invitation mail
 * (with a calendar invitation) and reminders, and the answer is the same
 * whether or not an account exists (no existence or name oracle).
 */
export const invite = userMutation({
  args: {
    meetingId: v.id("meetings"),
    userId: v.optional(v.id("users")),
    email: v.optional(v.string()),
    role: roleValidator,
    idempotencyKey: idempotencyKeyArg,
  },
  returns: commandResult,
  handler: async (ctx, args) => {
    const pre = await commandPrologue(ctx, ctx.user, args.idempotencyKey);
    if (!pre.ok) return pre;
    if (args.userId === undefined) {
      if (args.email === undefined) return refused("VALIDATION_ERROR", "give userId or email");
      return await inviteByEmail(ctx, {
        meetingId: args.meetingId,
        email: args.email,
        role: args.role,
        key: pre.key,
      });
    }
    const userId = args.userId;
    if (!(await ctx.db.get("users", userId))) return refused("NOT_FOUND", "no such user");
    const host = await checkMeetingAccess(ctx, args.meetingId, "host");
    if (host.ok) {
      const allowed = await checkInvitees(
        ctx,
        { orgId: host.meeting.orgId, meetingId: args.meetingId },
        [userId],
      );
      if (!allowed.ok) return allowed;
    }
    return await runMeetingCommand(
      ctx,
      ctx.user,
      args.meetingId,
      { type: "Invite", by: ctx.user._id, at: Date.now(), userId, role: args.role },
      pre.key,
    );
  },
});

const selfArgs = { meetingId: v.id("meetings"), idempotencyKey: idempotencyKeyArg };

/** Join a live meeting you are invited to (or rejoin after leaving). */
export const join = userMutation({
  args: selfArgs,
  returns: commandResult,
  handler: async (ctx, { meetingId, idempotencyKey }) => {
    return await runCallerCommand(ctx, meetingId, idempotencyKey, {
      type: "Join",
      by: ctx.user._id,
      at: Date.now(),
    });
  },
});

/** Leave the call (you keep read access to the meeting's data). */
export const leave = userMutation({
  args: selfArgs,
  returns: commandResult,
  handler: async (ctx, { meetingId, idempotencyKey }) => {
    const r = await runCallerCommand(ctx, meetingId, idempotencyKey, {
      type: "Leave",
      by: ctx.user._id,
      at: Date.now(),
    });
    // Leaving the meeting leaves its call: peers drop the sessions at once.
    if (r.ok && r.events.length > 0) await endCallSessions(ctx, meetingId, ctx.user._id);
    return r;
  },
});

const targetArgs = {
  meetingId: v.id("meetings"),
  userId: v.id("users"),
  idempotencyKey: idempotencyKeyArg,
};

/** Change a participant's role; `host` transfers host (the old host becomes co-host). */
export const changeRole = userMutation({
  args: { ...targetArgs, role: roleValidator },
  returns: commandResult,
  handler: async (ctx, { meetingId, userId, role, idempotencyKey }) => {
    return await runCallerCommand(ctx, meetingId, idempotencyKey, {
      type: "ChangeRole",
      by: ctx.user._id,
      at: Date.now(),
      userId,
      role,
    });
  },
});

/** Remove a participant: all their access to the meeting ends at once. */
export const remove = userMutation({
  args: targetArgs,
  returns: commandResult,
  handler: async (ctx, { meetingId, userId, idempotencyKey }) => {
    const r = await runCallerCommand(ctx, meetingId, idempotencyKey, {
      type: "Remove",
      by: ctx.user._id,
      at: Date.now(),
      userId,
    });
    if (r.ok && r.events.length > 0) await endCallSessions(ctx, meetingId, userId);
    return r;
  },
});

const participantView = v.object({
  userId: v.id("users"),
  name: v.string(),
  role: roleValidator,
  status: v.union(v.literal("invited"), v.literal("joined"), v.literal("left")),
  joinedAt: v.optional(v.number()),
  leftAt: v.optional(v.number()),
  /** Their answer to the invitation; absent while they have not answered. */
  rsvp: v.optional(rsvpResponse),
});

/**
 * The meeting's participants (removed ones are not listed; emails are never
 * returned). Throws FORBIDDEN as soon as the caller is removed.
 */
export const list = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.array(participantView),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "read", { allowCancelled: true });
    const rows = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
      .take(LIST_LIMIT);
    const out = [];
    for (const p of rows) {
      if (p.status === "removed") continue;
      const user = await ctx.db.get("users", p.userId);
      const userId = p.userId;
      const rsvp = await ctx.db
        .query("meetingRsvps")
        .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", userId))
        .unique();
      out.push({
        rsvp: rsvp?.response,
        userId: p.userId,
        name: user?.name ?? "(deleted user)",
        role: p.role,
        status: p.status,
        joinedAt: p.joinedAt,
        leftAt: p.leftAt,
      });
    }
    const rank = { host: 0, cohost: 1, participant: 2, observer: 3 } as const;
    return out.sort((a, b) => rank[a.role] - rank[b.role] || a.name.localeCompare(b.name));
  },
});
