/**
 * Participants of a meeting: invite, join, leave, change role, remove (events
 * through the lifecycle decider; refusals as coded results with an audit row)
 * and the participant list (re-checks the caller's membership on every run).
 */
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { checkMeetingAccess, requireMeetingAccess } from "./lib/access";
import { writeAudit } from "./lib/audit";
import { roleValidator } from "./lib/eventValidators";
import { userMutation, userQuery } from "./lib/functions";
import { refused } from "./lib/results";
import { endCallSessions } from "./lib/rtcSession";
import { runCallerCommand, runMeetingCommand } from "./meetings/lifecycle";
import { commandPrologue, commandResult, idempotencyKeyArg } from "./meetings/views";

/** Why: one read of every participant row; the decider caps a meeting at 100 live ones. */
const LIST_LIMIT = 500;

/** Why: one email rarely belongs to more than a couple of accounts (issuers); 10 bounds the read. */
const EMAIL_MATCHES = 10;

/**
 * Invite a user by id, or by email; hosts and co-hosts only. By email, only an
 * account whose email is verified (`email_verified`) is invited, and the
 * answer is the same whether or not one exists (no existence or name oracle).
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
    let userId: Id<"users"> | undefined = args.userId;
    const byEmail = userId === undefined;
    const sameAnswer = {
      ok: true as const,
      meetingId: args.meetingId,
      events: [],
      duplicate: false,
    };
    if (userId === undefined) {
      if (args.email === undefined) return refused("VALIDATION_ERROR", "give userId or email");
      // Refusals that depend on the caller alone come first; after them the answer is the same
      // whether or not the email has a (verified) account.
      const host = await checkMeetingAccess(ctx, args.meetingId, "host");
      if (!host.ok) {
        await writeAudit(ctx, {
          action: "meeting.Invite",
          outcome: "denied",
          actorId: ctx.user._id,
          meetingId: args.meetingId,
          code: host.code,
          detail: host.message,
        });
        return refused(host.code, host.message);
      }
      const email = args.email.trim().toLowerCase();
      const found = (
        await ctx.db
          .query("users")
          .withIndex("by_email", (q) => q.eq("email", email))
          .take(EMAIL_MATCHES)
      ).find((u) => u.emailVerified === true);
      if (!found) return sameAnswer;
      userId = found._id;
    } else if (!(await ctx.db.get("users", userId))) {
      return refused("NOT_FOUND", "no such user");
    }
    const r = await runMeetingCommand(
      ctx,
      ctx.user,
      args.meetingId,
      { type: "Invite", by: ctx.user._id, at: Date.now(), userId, role: args.role },
      pre.key,
    );
    return byEmail && r.ok ? sameAnswer : r;
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
      out.push({
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
