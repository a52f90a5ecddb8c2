/**
 * Org invitations: an admin invites an email; the person signed in with that
 * email *verified* by the identity provider (the token's `email_verified`)
 * sees and accepts it. Accepting makes (or restores) an active membership.
 */
import { v } from "convex/values";
import type { Id } from "../_generated/dataModel";
import { writeAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { userMutation, userQuery } from "../lib/functions";
import { findMembership, requireOrgAccess } from "../lib/orgAccess";
import { refused, resultValidator } from "../lib/results";
import { orgRole } from "../tables/orgs";

/** Why: an invitation is a standing offer; two weeks is long enough to act, short enough to go stale. */
export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** Why: bounds the pending-invitations read of one org and of one email. */
const INVITATIONS_LIMIT = 200;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** The caller's email if their token vouches for it, lower-cased. */
function verifiedEmail(identity: { email?: string; emailVerified?: boolean }): string | null {
  return identity.email && identity.emailVerified === true ? identity.email.toLowerCase() : null;
}

/** Invite an email to the org (admins). Re-inviting refreshes the pending invitation. */
export const invite = userMutation({
  args: { orgId: v.id("orgs"), email: v.string(), role: orgRole },
  returns: v.id("orgInvitations"),
  handler: async (ctx, { orgId, email, role }) => {
    await requireOrgAccess(ctx, ctx.user._id, orgId, "admin");
    const normalized = email.trim().toLowerCase();
    if (!EMAIL.test(normalized)) throw appError("VALIDATION_ERROR", "that is not an email address");
    const now = Date.now();
    const pending = await ctx.db
      .query("orgInvitations")
      .withIndex("by_email_status", (q) => q.eq("email", normalized).eq("status", "pending"))
      .take(INVITATIONS_LIMIT);
    const same = pending.find((i) => i.orgId === orgId);
    let id: Id<"orgInvitations">;
    if (same) {
      await ctx.db.patch("orgInvitations", same._id, {
        role,
        invitedBy: ctx.user._id,
        expiresAt: now + INVITATION_TTL_MS,
      });
      id = same._id;
    } else {
      id = await ctx.db.insert("orgInvitations", {
        orgId,
        email: normalized,
        role,
        invitedBy: ctx.user._id,
        status: "pending",
        createdAt: now,
        expiresAt: now + INVITATION_TTL_MS,
      });
    }
    await writeAudit(ctx, {
      action: "orgs.invite",
      outcome: "admin",
      actorId: ctx.user._id,
      orgId,
      detail: `${normalized} as ${role}`,
    });
    return id;
  },
});

/** Withdraw a pending invitation (admins of its org). */
export const revoke = userMutation({
  args: { invitationId: v.id("orgInvitations") },
  returns: v.null(),
  handler: async (ctx, { invitationId }) => {
    const inv = await ctx.db.get("orgInvitations", invitationId);
    if (!inv) throw appError("NOT_FOUND", "no such invitation");
    await requireOrgAccess(ctx, ctx.user._id, inv.orgId, "admin");
    if (inv.status !== "pending") throw appError("CONFLICT", `the invitation is ${inv.status}`);
    await ctx.db.patch("orgInvitations", invitationId, { status: "revoked" });
    await writeAudit(ctx, {
      action: "orgs.revokeInvitation",
      outcome: "admin",
      actorId: ctx.user._id,
      orgId: inv.orgId,
      detail: inv.email,
    });
    return null;
  },
});

const invitationView = v.object({
  invitationId: v.id("orgInvitations"),
  orgId: v.id("orgs"),
  orgName: v.string(),
  email: v.string(),
  role: orgRole,
  expiresAt: v.number(),
});

/** An org's pending invitations (admins). */
export const listForOrg = userQuery({
  args: { orgId: v.id("orgs") },
  returns: v.array(invitationView),
  handler: async (ctx, { orgId }) => {
    const { org } = await requireOrgAccess(ctx, ctx.user._id, orgId, "admin");
    const rows = await ctx.db
      .query("orgInvitations")
      .withIndex("by_org_status", (q) => q.eq("orgId", orgId).eq("status", "pending"))
      .take(INVITATIONS_LIMIT);
    return rows.map((i) => ({
      invitationId: i._id,
      orgId,
      orgName: org.name,
      email: i.email,
      role: i.role,
      expiresAt: i.expiresAt,
    }));
  },
});

/** Pending invitations for the caller's verified email (none without a verified email). */
export const mine = userQuery({
  args: {},
  returns: v.array(invitationView),
  handler: async (ctx) => {
    const email = verifiedEmail(ctx.identity);
    if (!email) return [];
    const rows = await ctx.db
      .query("orgInvitations")
      .withIndex("by_email_status", (q) => q.eq("email", email).eq("status", "pending"))
      .take(INVITATIONS_LIMIT);
    const out = [];
    for (const i of rows) {
      const org = await ctx.db.get("orgs", i.orgId);
      if (!org) continue;
      out.push({
        invitationId: i._id,
        orgId: i.orgId,
        orgName: org.name,
        email: i.email,
        role: i.role,
        expiresAt: i.expiresAt,
      });
    }
    return out;
  },
});

/**
 * Accept an invitation addressed to the caller's verified email. Answers a
 * coded result, so marking an expired invitation survives the refusal.
 */
export const accept = userMutation({
  args: { invitationId: v.id("orgInvitations") },
  returns: resultValidator({ orgId: v.id("orgs") }),
  handler: async (ctx, { invitationId }) => {
    const inv = await ctx.db.get("orgInvitations", invitationId);
    const email = verifiedEmail(ctx.identity);
    // One answer for "no such invitation" and "not yours": ids are not an oracle.
    if (!inv || inv.email !== email)
      return refused("FORBIDDEN", "no invitation for your verified email");
    if (inv.status !== "pending") return refused("CONFLICT", `the invitation is ${inv.status}`);
    const now = Date.now();
    if (inv.expiresAt <= now) {
      await ctx.db.patch("orgInvitations", inv._id, { status: "expired" });
      return refused("CONFLICT", "the invitation expired; ask for a new one");
    }
    const existing = await findMembership(ctx, inv.orgId, ctx.user._id);
    if (existing) {
      const role = existing.status === "active" && existing.role === "admin" ? "admin" : inv.role;
      await ctx.db.patch("orgMemberships", existing._id, {
        status: "active",
        role,
        source: existing.status === "active" ? existing.source : "invitation",
        updatedAt: now,
      });
    } else {
      await ctx.db.insert("orgMemberships", {
        orgId: inv.orgId,
        userId: ctx.user._id,
        role: inv.role,
        source: "invitation",
        status: "active",
        createdAt: now,
        updatedAt: now,
      });
    }
    await ctx.db.patch("orgInvitations", inv._id, { status: "accepted", acceptedBy: ctx.user._id });
    await writeAudit(ctx, {
      action: "orgs.acceptInvitation",
      outcome: "transition",
      actorId: ctx.user._id,
      orgId: inv.orgId,
      detail: `${inv.email} as ${inv.role}`,
    });
    return { ok: true as const, orgId: inv.orgId };
  },
});
