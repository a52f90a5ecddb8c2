/**
 * Composing and queueing the invitation and reminder mails. A mail is one
 * `mailOutbox` row: with `RESEND_API_KEY` set it is `queued` and
 * `mail.deliver` (an action) sends it through Resend; without it the row is
 * stored as `dev` and that is its delivery: the **dev mailbox** (`mail.devMailbox`,
 * the `/mailbox` page), not a real mail provider.
 */
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx } from "../_generated/server";
import { calendarInvite } from "../lib/calendarInvite";
import { readMailConfig } from "../lib/mailer";

/** Reminders go this long before the start (those already past at invitation are skipped). */
export const REMINDER_LEADS_MS = [24 * 60 * 60_000, 15 * 60_000] as const;

/** The app's public origin for links in mails (`CONNVO_APP_URL`). */
export function appUrl(): string {
  return (env.CONNVO_APP_URL?.trim() || "http://localhost:3000").replace(/\/+$/, "");
}

/** HTML-escape text for a mail body. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Subject lines are one line of text. */
function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: header injection guard
  return s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Insert one outbox row and, with a provider configured, schedule its delivery. */
async function queue(
  ctx: MutationCtx,
  row: Omit<Doc<"mailOutbox">, "_id" | "_creationTime" | "status" | "createdAt">,
  now: number,
): Promise<Id<"mailOutbox">> {
  const provider = readMailConfig(env) !== null;
  const id = await ctx.db.insert("mailOutbox", {
    ...row,
    status: provider ? "queued" : "dev",
    createdAt: now,
  });
  if (provider) await ctx.scheduler.runAfter(0, internal.mail.deliver, { mailId: id });
  return id;
}

/**
 * Mail an invitation (with the `.ics`) to `email` and schedule its reminders.
 * `hasAccount` only changes the wording; the caller answers the same either way.
 */
export async function mailInvitation(
  ctx: MutationCtx,
  args: {
    meeting: Doc<"meetings">;
    inviter: Doc<"users">;
    email: string;
    role: string;
    now: number;
  },
): Promise<void> {
  const { meeting, inviter, email, now } = args;
  const link = `${appUrl()}/meetings/${meeting._id}`;
  const start = meeting.scheduledAt;
  const end = start + meeting.durationMinutes * 60_000;
  const ics = calendarInvite({
    uid: `${meeting._id}@connvo`,
    stamp: now,
    start,
    end,
    title: meeting.title,
    description: `${meeting.description ? `${meeting.description}\n\n` : ""}Join: ${link}`,
    url: link,
    organizer: { name: inviter.name, email: inviter.email ?? "meetings@connvo.dev" },
    attendee: { email },
  });
  const title = oneLine(meeting.title);
  await queue(
    ctx,
    {
      kind: "invitation",
      meetingId: meeting._id,
      to: email,
      subject: `Invitation: ${title} (${when(start)})`,
      text: `${inviter.name} invited you to "${title}" as ${args.role}, ${when(start)}, ${meeting.durationMinutes} minutes.\n\nJoin: ${link}\n\nSign in with this email address (${email}) to accept. The calendar invitation is attached.`,
      html: `<p>${escapeHtml(inviter.name)} invited you to <strong>${escapeHtml(title)}</strong> as ${escapeHtml(args.role)}, ${escapeHtml(when(start))}, ${meeting.durationMinutes} minutes.</p><p><a href="${escapeHtml(link)}">Open the meeting</a></p><p>Sign in with this email address (${escapeHtml(email)}) to accept. The calendar invitation is attached.</p>`,
      ics,
      sentBy: inviter._id,
    },
    now,
  );
  const planned = await ctx.db
    .query("reminderPlans")
    .withIndex("by_meeting_email_start", (q) =>
      q.eq("meetingId", meeting._id).eq("email", email).eq("scheduledAt", start),
    )
    .first();
  if (planned) return;
  // The jobs carry the plan's id, not the address: erasing the person deletes the plan, and
  // scheduled functions' arguments (kept by Convex after they run) never held the address.
  const planId = await ctx.db.insert("reminderPlans", {
    meetingId: meeting._id,
    email,
    scheduledAt: start,
  });
  for (const lead of REMINDER_LEADS_MS) {
    const at = start - lead;
    if (at <= now) continue;
    await ctx.scheduler.runAt(at, internal.mail.remind, {
      meetingId: meeting._id,
      planId,
      scheduledAt: start,
    });
  }
}

/** Queue a reminder mail (the caller checked the meeting and the recipient). */
export async function mailReminder(
  ctx: MutationCtx,
  meeting: Doc<"meetings">,
  email: string,
  now: number,
  sentBy?: Id<"users">,
): Promise<void> {
  const link = `${appUrl()}/meetings/${meeting._id}`;
  const title = oneLine(meeting.title);
  const minutes = Math.max(0, Math.round((meeting.scheduledAt - now) / 60_000));
  await queue(
    ctx,
    {
      kind: "reminder",
      meetingId: meeting._id,
      to: email,
      subject: `Reminder: ${title} starts in ${minutes} minutes`,
      text: `"${title}" starts at ${when(meeting.scheduledAt)}.\n\nJoin: ${link}`,
      html: `<p><strong>${escapeHtml(title)}</strong> starts at ${escapeHtml(when(meeting.scheduledAt))}.</p><p><a href="${escapeHtml(link)}">Open the meeting</a></p>`,
      sentBy,
    },
    now,
  );
}

/** Queue the meeting's recap (its Markdown export) to each email (the caller checked host rights). */
export async function queueRecapMails(
  ctx: MutationCtx,
  args: {
    meeting: Doc<"meetings">;
    sender: Doc<"users">;
    emails: string[];
    markdown: string;
    now: number;
  },
): Promise<void> {
  const { meeting, sender, markdown, now } = args;
  const link = `${appUrl()}/meetings/${meeting._id}`;
  const title = oneLine(meeting.title);
  for (const email of args.emails) {
    await queue(
      ctx,
      {
        kind: "recap",
        meetingId: meeting._id,
        to: email,
        subject: `Recap: ${title}`,
        text: `${sender.name} shared the recap of "${title}".\n\n${markdown}\nMeeting: ${link}`,
        html: `<p>${escapeHtml(sender.name)} shared the recap of <strong>${escapeHtml(title)}</strong>.</p><pre style="white-space:pre-wrap">${escapeHtml(markdown)}</pre><p><a href="${escapeHtml(link)}">Open the meeting</a></p>`,
        sentBy: sender._id,
      },
      now,
    );
  }
}
