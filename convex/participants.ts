/**
 * Participants of a meeting: invite, join, leave, change role, remove (events
 * through the lifecycle decider; refusals as coded results with an audit row)
 * and the participant list (re-checks the caller's membership on every run).
 */
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { isEmail, normalizeEmail } from "./invitations/claim";
import { mailInvitation } from "./invitations/outbox";
import { checkMeetingAccess, requireMeetingAccess } from "./lib/access";
import { writeAudit } from "./lib/audit";
import { roleValidator } from "./lib/eventValidators";
import { userMutation, userQuery } from "./lib/functions";
import { refused } from "./lib/results";
import { endCallSessions } from "./lib/rtcSession";
import { runCallerCommand, runMeetingCommand } from "./meetings/lifecycle";
import { commandPrologue, commandResult, idempotencyKeyArg } from "./meetings/views";
import { rsvpResponse } from "./tables/invitations";

/** Why: one read of every participant row; the decider caps a meeting at 100 live ones. */
const LIST_LIMIT = 500;

/** Why: the people panel lists a meeting's open invitations; as many as it may have participants. */
const MAX_PENDING = 100;

/** Why: one email rarely belongs to more than a couple of accounts (issuers); 10 bounds the read. */
const EMAIL_MATCHES = 10;

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
    let userId: Id<"users"> | undefined = args.userId;
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
      const email = normalizeEmail(args.email);
      if (!isEmail(email)) return refused("VALIDATION_ERROR", "that is not an email address");
      if (args.role === "host")
        return refused("VALIDATION_ERROR", "invite as cohost, then transfer host with changeRole");
      if (args.role === "cohost" && host.participant.role !== "host")
        return refused("FORBIDDEN", "only the host can invite a co-host");
      if (host.meeting.status !== "scheduled" && host.meeting.status !== "active")
        return refused("CONFLICT", `cannot invite to a meeting that is ${host.meeting.status}`);
      const found = (
        await ctx.db
          .query("users")
          .withIndex("by_email", (q) => q.eq("email", email))
          .take(EMAIL_MATCHES)
      ).find((u) => u.emailVerified === true);
      const now = Date.now();
      if (!found) {
        // No verified account yet: a pending invitation, claimed at sign-in by a verified email.
        const open = await ctx.db
          .query("emailInvitations")
          .withIndex("by_meeting_email", (q) =>
            q.eq("meetingId", args.meetingId).eq("email", email),
          )
          .take(EMAIL_MATCHES);
        if (open.some((i) => i.status === "pending")) return sameAnswer;
        const pendingNow = await ctx.db
          .query("emailInvitations")
          .withIndex("by_meeting_status", (q) =>
            q.eq("meetingId", args.meetingId).eq("status", "pending"),
          )
          .take(MAX_PENDING);
        if (pendingNow.length >= MAX_PENDING)
          return refused(
            "VALIDATION_ERROR",
            `at most ${MAX_PENDING} pending invitations per meeting`,
          );
        await ctx.db.insert("emailInvitations", {
          meetingId: args.meetingId,
          email,
          role: args.role,
          invitedBy: ctx.user._id,
          status: "pending",
          createdAt: now,
        });
        await writeAudit(ctx, {
          action: "invitation.Email",
          outcome: "transition",
          actorId: ctx.user._id,
          meetingId: args.meetingId,
          detail: "pending",
        });
        await mailInvitation(ctx, {
          meeting: host.meeting,
          inviter: ctx.user,
          email,
          role: args.role,
          now,
        });
        return sameAnswer;
      }
      userId = found._id;
      const r = await runMeetingCommand(
        ctx,
        ctx.user,
        args.meetingId,
        { type: "Invite", by: ctx.user._id, at: now, userId, role: args.role },
        pre.key,
      );
      if (!r.ok) return r;
      if (r.events.length > 0) {
        await ctx.db.insert("emailInvitations", {
          meetingId: args.meetingId,
          email,
          role: args.role,
          invitedBy: ctx.user._id,
          status: "claimed",
          claimedBy: userId,
          createdAt: now,
          settledAt: now,
        });
        await mailInvitation(ctx, {
          meeting: host.meeting,
          inviter: ctx.user,
          email,
          role: args.role,
          now,
        });
      }
      return sameAnswer;
    } else if (!(await ctx.db.get("users", userId))) {
      return refused("NOT_FOUND", "no such user");
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
