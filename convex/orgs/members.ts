/**
 * Orgs and their members: the caller's orgs, an org's member list, and the
 * admin commands (role, removal, name, policy). Every read checks the
 * caller's membership on each run (`lib/orgAccess.ts`), so a removed member's
 * live subscription gets FORBIDDEN at once. Changes are audited.
 */
import { v } from "convex/values";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { writeAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { userMutation, userQuery } from "../lib/functions";
import { findMembership, requireOrgAccess } from "../lib/orgAccess";
import { orgPolicy, orgRole } from "../tables/orgs";

/** Why: a person belongs to a handful of orgs; this bounds the "my orgs" read. */
const MY_ORGS_LIMIT = 50;
/** Why: one screen of members; larger orgs page through the console (not yet needed). */
const MEMBERS_LIMIT = 500;

const orgView = v.object({
  orgId: v.id("orgs"),
  externalId: v.string(),
  name: v.string(),
  role: orgRole,
  policy: orgPolicy,
});

/** The orgs the caller is an active member of, with their role. */
export const mine = userQuery({
  args: {},
  returns: v.array(orgView),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("orgMemberships")
      .withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
      .take(MY_ORGS_LIMIT);
    const out = [];
    for (const m of rows) {
      if (m.status !== "active") continue;
      const org = await ctx.db.get("orgs", m.orgId);
      if (!org) continue;
      out.push({
        orgId: org._id,
        externalId: org.externalId,
        name: org.name,
        role: m.role,
        policy: org.policy,
      });
    }
    return out;
  },
});

const memberView = v.object({
  userId: v.id("users"),
  name: v.string(),
  /** Shown to admins only. */
  email: v.optional(v.string()),
  role: orgRole,
  source: v.union(v.literal("claim"), v.literal("invitation"), v.literal("operator")),
});

/** An org's active members (members see names and roles; admins also emails). */
export const list = userQuery({
  args: { orgId: v.id("orgs") },
  returns: v.array(memberView),
  handler: async (ctx, { orgId }) => {
    const { membership } = await requireOrgAccess(ctx, ctx.user._id, orgId, "member");
    const rows = await ctx.db
      .query("orgMemberships")
      .withIndex("by_org_status", (q) => q.eq("orgId", orgId).eq("status", "active"))
      .take(MEMBERS_LIMIT);
    const out = [];
    for (const m of rows) {
      const user = await ctx.db.get("users", m.userId);
      if (!user) continue;
      out.push({
        userId: m.userId,
        name: user.name,
        ...(membership.role === "admin" && user.email ? { email: user.email } : {}),
        role: m.role,
        source: m.source,
      });
    }
    return out;
  },
});

async function requireActiveMember(ctx: QueryCtx, orgId: Id<"orgs">, userId: Id<"users">) {
  const m = await findMembership(ctx, orgId, userId);
  if (m?.status !== "active")
    throw appError("NOT_FOUND", "that person is not a member of this org");
  return m;
}

/** Change a member's org role (admins; not your own, so an org keeps its admin). */
export const setRole = userMutation({
  args: { orgId: v.id("orgs"), userId: v.id("users"), role: orgRole },
  returns: v.null(),
  handler: async (ctx, { orgId, userId, role }) => {
    await requireOrgAccess(ctx, ctx.user._id, orgId, "admin");
    if (userId === ctx.user._id) throw appError("CONFLICT", "you cannot change your own org role");
    const membership = await requireActiveMember(ctx, orgId, userId);
    if (membership.role === role) return null;
    await ctx.db.patch("orgMemberships", membership._id, { role, updatedAt: Date.now() });
    await writeAudit(ctx, {
      action: "orgs.setRole",
      outcome: "admin",
      actorId: ctx.user._id,
      orgId,
      detail: `${userId}: ${membership.role} → ${role}`,
    });
    return null;
  },
});

/** Remove a member (admins). A stale token claim does not bring them back; an invitation does. */
export const remove = userMutation({
  args: { orgId: v.id("orgs"), userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, { orgId, userId }) => {
    await requireOrgAccess(ctx, ctx.user._id, orgId, "admin");
    if (userId === ctx.user._id) throw appError("CONFLICT", "you cannot remove yourself");
    const membership = await requireActiveMember(ctx, orgId, userId);
    await ctx.db.patch("orgMemberships", membership._id, {
      status: "removed",
      updatedAt: Date.now(),
    });
    await writeAudit(ctx, {
      action: "orgs.remove",
      outcome: "admin",
      actorId: ctx.user._id,
      orgId,
      detail: `${userId} removed`,
    });
    return null;
  },
});

/** Rename the org and/or change its policy (admins). */
export const update = userMutation({
  args: {
    orgId: v.id("orgs"),
    name: v.optional(v.string()),
    policy: v.optional(orgPolicy),
  },
  returns: v.null(),
  handler: async (ctx, { orgId, name, policy }) => {
    const { org } = await requireOrgAccess(ctx, ctx.user._id, orgId, "admin");
    const patch: { name?: string; policy?: typeof policy; updatedAt: number } = {
      updatedAt: Date.now(),
    };
    if (name !== undefined) {
      const trimmed = name.trim();
      if (trimmed.length < 1 || trimmed.length > 100)
        throw appError("VALIDATION_ERROR", "an org name is 1–100 characters");
      patch.name = trimmed;
    }
    if (policy !== undefined) patch.policy = policy;
    await ctx.db.patch("orgs", orgId, patch);
    await writeAudit(ctx, {
      action: "orgs.update",
      outcome: "admin",
      actorId: ctx.user._id,
      orgId,
      detail: [
        name !== undefined ? `name ${org.name} → ${patch.name}` : "",
        policy !== undefined
          ? `policy meetingsWithinOrg=${policy.meetingsWithinOrg} matchingWithinOrg=${policy.matchingWithinOrg}`
          : "",
      ]
        .filter(Boolean)
        .join("; "),
    });
    return null;
  },
});
