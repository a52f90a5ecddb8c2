/**
 * Inviting by email (`participants.invite` with `email`): an account whose
 * email is verified is invited at once; otherwise a pending invitation is
 * stored, claimed at sign-in by that email verified (`claim.ts`). Either way
 * the address gets the invitation mail and its reminders (`outbox.ts`), and the
 * answer is the same whether or not an account exists (no existence oracle).
 * Refusals that depend on the caller alone (not a manager, bad address, meeting
 * over) come first.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { checkMeetingAccess } from "../lib/access";
import { writeAudit } from "../lib/audit";
import { refused } from "../lib/results";
import { type CommandOutcome, runMeetingCommand } from "../meetings/lifecycle";
import { checkInvitees } from "../orgs/meetingRules";
import { isEmail, normalizeEmail } from "./claim";
import { mailInvitation } from "./outbox";

/** Why: the people panel lists a meeting's open invitations; as many as it may have participants. */
const MAX_PENDING = 100;
/** Why: one email rarely belongs to more than a couple of accounts (issuers); 10 bounds the read. */
const EMAIL_MATCHES = 10;

/** Invite `email` to a meeting as `role` (the caller must be its host or a co-host). */
export async function inviteByEmail(
  ctx: MutationCtx & { user: Doc<"users"> },
  args: {
    meetingId: Id<"meetings">;
    email: string;
    role: Doc<"participants">["role"];
    /** The command's idempotency key (from `commandPrologue`). */
    key: string;
  },
): Promise<CommandOutcome> {
  const { meetingId, role } = args;
  const sameAnswer = { ok: true as const, meetingId, events: [], duplicate: false };
  const host = await checkMeetingAccess(ctx, meetingId, "host");
  if (!host.ok) {
    await writeAudit(ctx, {
      action: "meeting.Invite",
      outcome: "denied",
      actorId: ctx.user._id,
      meetingId,
      code: host.code,
      detail: host.message,
    });
    return refused(host.code, host.message);
  }
  // The plan's meeting size counts the invitee before anything is known of them.
  const scope = { orgId: host.meeting.orgId, meetingId };
  const room = await checkInvitees(ctx, scope, [], 1);
  if (!room.ok) return room;
  const email = normalizeEmail(args.email);
  if (!isEmail(email)) return refused("VALIDATION_ERROR", "that is not an email address");
  if (role === "host")
    return refused("VALIDATION_ERROR", "invite as cohost, then transfer host with changeRole");
  if (role === "cohost" && host.participant.role !== "host")
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
  const record = async (claimedBy: Id<"users"> | null) => {
    await ctx.db.insert("emailInvitations", {
      meetingId,
      email,
      role,
      invitedBy: ctx.user._id,
      createdAt: now,
      ...(claimedBy
        ? { status: "claimed" as const, claimedBy, settledAt: now }
        : { status: "pending" as const }),
    });
    await mailInvitation(ctx, { meeting: host.meeting, inviter: ctx.user, email, role, now });
  };
  if (found) {
    // An org policy refusal names nobody: the same answer as an unknown email.
    if (!(await checkInvitees(ctx, scope, [found._id])).ok) return sameAnswer;
    const r = await runMeetingCommand(
      ctx,
      ctx.user,
      meetingId,
      { type: "Invite", by: ctx.user._id, at: now, userId: found._id, role },
      args.key,
    );
    if (!r.ok) return r;
    if (r.events.length > 0) await record(found._id);
    return sameAnswer;
  }
  // No verified account yet: a pending invitation (once per address and meeting).
  const open = await ctx.db
    .query("emailInvitations")
    .withIndex("by_meeting_email", (q) => q.eq("meetingId", meetingId).eq("email", email))
    .take(EMAIL_MATCHES);
  if (open.some((i) => i.status === "pending")) return sameAnswer;
  const pendingNow = await ctx.db
    .query("emailInvitations")
    .withIndex("by_meeting_status", (q) => q.eq("meetingId", meetingId).eq("status", "pending"))
    .take(MAX_PENDING);
  if (pendingNow.length >= MAX_PENDING)
    return refused("VALIDATION_ERROR", `at most ${MAX_PENDING} pending invitations per meeting`);
  await record(null);
  await writeAudit(ctx, {
    action: "invitation.Email",
    outcome: "transition",
    actorId: ctx.user._id,
    meetingId,
    detail: "pending",
  });
  return sameAnswer;
}
