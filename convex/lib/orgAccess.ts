/**
 * Org membership: the claim sync every authenticated mutation runs, and the
 * check every function that reads org data goes through.
 *
 * Matrix (caller's `orgMemberships` row × need):
 *
 * | caller                         | member | admin |
 * | ------------------------------ | ------ | ----- |
 * | active admin                   | yes    | yes   |
 * | active member                  | yes    | no    |
 * | removed, no row, other org     | no     | no    |
 *
 * Unknown org and not-a-member get one answer (FORBIDDEN, {@link NOT_YOUR_ORG}),
 * so a caller learns nothing about orgs they do not belong to.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { appError } from "./errors";

/** The one answer for an unknown org and an org the caller is not in. */
export const NOT_YOUR_ORG = "you are not a member of this org";

/** Org role from the WorkOS `role` claim: `admin` and `owner` administer, anything else is a member. */
export function orgRoleFromClaim(role: string | undefined): "admin" | "member" {
  return role === "admin" || role === "owner" ? "admin" : "member";
}

/** The org whose WorkOS id is `externalId`, if known. */
export async function orgByExternalId(
  ctx: QueryCtx,
  externalId: string,
): Promise<Doc<"orgs"> | null> {
  return await ctx.db
    .query("orgs")
    .withIndex("by_external", (q) => q.eq("externalId", externalId))
    .unique();
}

/** The caller's membership row in an org (any status). */
export async function findMembership(
  ctx: QueryCtx,
  orgId: Id<"orgs">,
  userId: Id<"users">,
): Promise<Doc<"orgMemberships"> | null> {
  return await ctx.db
    .query("orgMemberships")
    .withIndex("by_org_user", (q) => q.eq("orgId", orgId).eq("userId", userId))
    .unique();
}

/** Create the org for a WorkOS org id on first sight (free plan: no subscription row). */
export async function ensureOrg(
  ctx: MutationCtx,
  externalId: string,
  now: number,
  name?: string,
): Promise<Doc<"orgs">> {
  const existing = await orgByExternalId(ctx, externalId);
  if (existing) return existing;
  const id = await ctx.db.insert("orgs", {
    externalId,
    // The token carries no org name; an admin renames it (orgs/members.rename).
    name: name ?? externalId,
    policy: { meetingsWithinOrg: false, matchingWithinOrg: false },
    createdAt: now,
    updatedAt: now,
  });
  const created = await ctx.db.get("orgs", id);
  if (!created) throw new Error("org vanished right after insert");
  return created;
}

/**
 * Bring the caller's membership in line with the token's `org_id` / `role`
 * claims. Writes only when something changed (no write on the steady path),
 * never revives a membership an admin removed, and leaves the role of an
 * invitation- or operator-made membership alone unless the claim says admin.
 */
export async function syncOrgClaims(
  ctx: MutationCtx,
  user: Doc<"users">,
  now: number,
): Promise<void> {
  if (!user.orgId) return;
  const org = await ensureOrg(ctx, user.orgId, now);
  const role = orgRoleFromClaim(user.orgRole);
  const m = await findMembership(ctx, org._id, user._id);
  if (!m) {
    await ctx.db.insert("orgMemberships", {
      orgId: org._id,
      userId: user._id,
      role,
      source: "claim",
      status: "active",
      createdAt: now,
      updatedAt: now,
    });
    return;
  }
  if (m.status !== "active") return;
  const next = m.source === "claim" || role === "admin" ? role : m.role;
  if (next !== m.role) await ctx.db.patch("orgMemberships", m._id, { role: next, updatedAt: now });
}

/** A granted org access. */
export type OrgAccess = { org: Doc<"orgs">; membership: Doc<"orgMemberships"> };

/** Throw FORBIDDEN unless the user is an active member (or admin, for `need: "admin"`). */
export async function requireOrgAccess(
  ctx: QueryCtx,
  userId: Id<"users">,
  orgId: Id<"orgs">,
  need: "member" | "admin",
): Promise<OrgAccess> {
  const org = await ctx.db.get("orgs", orgId);
  const membership = org ? await findMembership(ctx, org._id, userId) : null;
  if (!org || !membership || membership.status !== "active")
    throw appError("FORBIDDEN", NOT_YOUR_ORG);
  if (need === "admin" && membership.role !== "admin")
    throw appError("FORBIDDEN", "this needs an admin of the org; you are a member");
  return { org, membership };
}
