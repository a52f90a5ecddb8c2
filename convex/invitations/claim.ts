/**
 * Pending email invitations and their claim at sign-in. A pending invitation is
 * claimed only by an account whose **current token** says `email_verified: true`
 * for that very email: an account that merely typed the same address (an
 * unverified email) gets nothing, and the invitation stays pending for the
 * address's real owner.
 */
import type { UserIdentity } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { writeAudit } from "../lib/audit";
import { runMeetingCommand } from "../meetings/lifecycle";

/** Why: one address is rarely invited to more than a few meetings before signing in; the rest wait for the next sign-in. */
export const CLAIM_BATCH = 25;

/** The canonical form of an email address (as `users.email` stores it). */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** A plausible single address: one `@`, no spaces or separators, at most 254 characters. */
export function isEmail(email: string): boolean {
  return email.length <= 254 && /^[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>".]+$/.test(email);
}

/**
 * Claim the pending invitations of the signed-in person's verified email: each
 * becomes a participant row through the lifecycle decider, acting with the
 * inviter's rights (so an inviter who has since lost host rights, or a meeting
 * that has ended, voids the invitation with a note). Returns the meetings joined.
 */
export async function claimEmailInvitations(
  ctx: MutationCtx,
  identity: UserIdentity,
  user: Doc<"users">,
  now: number,
): Promise<Id<"meetings">[]> {
  if (identity.emailVerified !== true || !user.email || user.emailVerified !== true) return [];
  const email = user.email;
  const pending = await ctx.db
    .query("emailInvitations")
    .withIndex("by_email_status", (q) => q.eq("email", email).eq("status", "pending"))
    .take(CLAIM_BATCH);
  const claimed: Id<"meetings">[] = [];
  for (const inv of pending) {
    const inviter = await ctx.db.get("users", inv.invitedBy);
    const existing = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", inv.meetingId).eq("userId", user._id))
      .unique();
    // Left people keep their access; re-inviting would change their role (even demote a host).
    if (existing && existing.status !== "removed") {
      await ctx.db.patch("emailInvitations", inv._id, {
        status: "claimed",
        claimedBy: user._id,
        settledAt: now,
        note: "already a participant",
      });
      claimed.push(inv.meetingId);
      continue;
    }
    if (existing?.status === "removed") {
      await ctx.db.patch("emailInvitations", inv._id, {
        status: "void",
        settledAt: now,
        note: "this person was removed from the meeting",
      });
      continue;
    }
    const r = inviter
      ? await runMeetingCommand(
          ctx,
          inviter,
          inv.meetingId,
          { type: "Invite", by: inviter._id, at: now, userId: user._id, role: inv.role },
          `claim:${inv._id}`,
          "email-invitation",
        )
      : ({ ok: false, code: "FORBIDDEN", message: "the inviter's account is gone" } as const);
    if (r.ok) {
      await ctx.db.patch("emailInvitations", inv._id, {
        status: "claimed",
        claimedBy: user._id,
        settledAt: now,
      });
      claimed.push(inv.meetingId);
    } else {
      await ctx.db.patch("emailInvitations", inv._id, {
        status: "void",
        settledAt: now,
        note: `${r.code}: ${r.message}`,
      });
      await writeAudit(ctx, {
        action: "invitation.Claim",
        outcome: "denied",
        actorId: user._id,
        meetingId: inv.meetingId,
        code: r.code,
        detail: r.message,
      });
    }
  }
  return claimed;
}
