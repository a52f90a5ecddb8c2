/**
 * The mail outbox: delivery through Resend (an action, retried on 429, 5xx and
 * timeouts), reminders before a meeting starts, and the **dev mailbox** (the
 * local default without `RESEND_API_KEY`: mails are stored, not sent, and shown
 * at `/mailbox` to their recipient and their sender).
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { env, internalAction, internalMutation, internalQuery } from "./_generated/server";
import { mailReminder } from "./invitations/outbox";
import { userQuery } from "./lib/functions";
import { base64Utf8, MAIL_RETRY, readMailConfig, resendMailer } from "./lib/mailer";
import { ProviderError, withRetries } from "./lib/providerRetry";
import { mailKind } from "./tables/invitations";

/** Why: a mailbox page shows the recent mails; older ones stay in the table. */
const MAILBOX_LIMIT = 50;
/** Why: one email is invited to one meeting a handful of times at most (revoked and again). */
const INVITES_PER_EMAIL = 20;

/** The outbox row the action sends (null when it is no longer queued). */
export const forDelivery = internalQuery({
  args: { mailId: v.id("mailOutbox") },
  handler: async (ctx, { mailId }) => {
    const row = await ctx.db.get("mailOutbox", mailId);
    return row && row.status === "queued" ? row : null;
  },
});

/** Record the outcome of a delivery. */
export const settle = internalMutation({
  args: {
    mailId: v.id("mailOutbox"),
    ok: v.boolean(),
    providerId: v.optional(v.string()),
    error: v.optional(v.string()),
    attempts: v.number(),
  },
  returns: v.null(),
  handler: async (ctx, a) => {
    const row = await ctx.db.get("mailOutbox", a.mailId);
    if (row?.status !== "queued") return null;
    await ctx.db.patch("mailOutbox", a.mailId, {
      status: a.ok ? "sent" : "failed",
      attempts: a.attempts,
      settledAt: Date.now(),
      ...(a.providerId !== undefined ? { providerId: a.providerId } : {}),
      ...(a.error !== undefined ? { error: a.error.slice(0, 500) } : {}),
    });
    return null;
  },
});

/** Send one queued mail through Resend (the `Idempotency-Key` is the row id). */
export const deliver = internalAction({
  args: { mailId: v.id("mailOutbox") },
  returns: v.null(),
  handler: async (ctx, { mailId }) => {
    const settings = readMailConfig(env);
    const row = await ctx.runQuery(internal.mail.forDelivery, { mailId });
    if (!row) return null;
    if (!settings) {
      await ctx.runMutation(internal.mail.settle, {
        mailId,
        ok: false,
        error: "RESEND_API_KEY was removed before the mail was sent",
        attempts: 0,
      });
      return null;
    }
    const mailer = resendMailer(settings);
    let attempts = 0;
    try {
      const r = await withRetries(
        (attempt) => {
          attempts = attempt;
          return mailer.send({
            from: settings.from,
            to: row.to,
            subject: row.subject,
            html: row.html,
            text: row.text,
            attachments: row.ics
              ? [
                  {
                    filename: "invite.ics",
                    content: base64Utf8(row.ics),
                    contentType: "text/calendar; method=REQUEST; charset=utf-8",
                  },
                ]
              : [],
            idempotencyKey: `connvo-mail-${mailId}`,
          });
        },
        { ...MAIL_RETRY, sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)) },
      );
      await ctx.runMutation(internal.mail.settle, {
        mailId,
        ok: true,
        providerId: r.value.id,
        attempts: r.attempts,
      });
    } catch (e) {
      const error = e instanceof ProviderError ? e.message : `unexpected: ${String(e)}`;
      await ctx.runMutation(internal.mail.settle, { mailId, ok: false, error, attempts });
    }
    return null;
  },
});

/**
 * A reminder before the start: sent only while the meeting is still scheduled
 * at the same time and the person is still invited (a pending invitation, or a
 * participant who has not been removed and has not declined).
 */
export const remind = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    scheduledAt: v.number(),
    /** The reminder plan (its address); gone once the person was erased. */
    planId: v.optional(v.id("reminderPlans")),
    /** Jobs scheduled before plans existed carry the address itself. */
    email: v.optional(v.string()),
  },
  returns: v.boolean(),
  handler: async (ctx, { meetingId, scheduledAt, planId, email: legacyEmail }) => {
    const plan = planId ? await ctx.db.get("reminderPlans", planId) : null;
    const email = plan?.email ?? (planId ? undefined : legacyEmail);
    if (!email) return false;
    const meeting = await ctx.db.get("meetings", meetingId);
    if (meeting?.status !== "scheduled" || meeting.scheduledAt !== scheduledAt) return false;
    const invites = await ctx.db
      .query("emailInvitations")
      .withIndex("by_meeting_email", (q) => q.eq("meetingId", meetingId).eq("email", email))
      .take(INVITES_PER_EMAIL);
    let still = invites.some((i) => i.status === "pending");
    for (const i of invites) {
      if (still || i.status !== "claimed" || !i.claimedBy) continue;
      const userId = i.claimedBy;
      const p = await ctx.db
        .query("participants")
        .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", userId))
        .unique();
      const rsvp = await ctx.db
        .query("meetingRsvps")
        .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", userId))
        .unique();
      still = p !== null && p.status !== "removed" && rsvp?.response !== "declined";
    }
    if (!still) return false;
    await mailReminder(ctx, meeting, email, Date.now(), invites[0]?.invitedBy);
    return true;
  },
});

const mailView = v.object({
  _id: v.id("mailOutbox"),
  kind: mailKind,
  meetingId: v.id("meetings"),
  to: v.string(),
  subject: v.string(),
  text: v.string(),
  html: v.string(),
  ics: v.optional(v.string()),
  status: v.string(),
  createdAt: v.number(),
  sentByMe: v.boolean(),
});

/**
 * The dev mailbox: the latest mails to the caller's **verified** email and
 * those the caller caused, newest first. With a mail provider configured it
 * still lists the rows (with their delivery status), so a host can see what
 * went out.
 */
export const devMailbox = userQuery({
  args: {},
  returns: v.object({
    provider: v.union(v.literal("resend"), v.literal("dev-mailbox")),
    mails: v.array(mailView),
  }),
  handler: async (ctx) => {
    const mine =
      ctx.user.email && ctx.user.emailVerified === true
        ? await ctx.db
            .query("mailOutbox")
            .withIndex("by_to", (q) => q.eq("to", ctx.user.email ?? ""))
            .order("desc")
            .take(MAILBOX_LIMIT)
        : [];
    const sent = await ctx.db
      .query("mailOutbox")
      .withIndex("by_sender", (q) => q.eq("sentBy", ctx.user._id))
      .order("desc")
      .take(MAILBOX_LIMIT);
    const seen = new Map([...mine, ...sent].map((m) => [m._id, m]));
    const mails = [...seen.values()]
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, MAILBOX_LIMIT)
      .map((m) => ({
        _id: m._id,
        kind: m.kind,
        meetingId: m.meetingId,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        ics: m.ics,
        status: m.status,
        createdAt: m.createdAt,
        sentByMe: m.sentBy === ctx.user._id,
      }));
    const provider = readMailConfig(env) ? ("resend" as const) : ("dev-mailbox" as const);
    return { provider, mails };
  },
});
