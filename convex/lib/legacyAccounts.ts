/**
 * Imported legacy accounts and how their owners find them when they sign in
 * with WorkOS (DESIGN.md "Migration"; the runbook is `migration/README.md`).
 *
 * An imported user row has the placeholder identity `issuer = LEGACY_ISSUER`,
 * `subject = <Clerk user id>`, which no real token carries. The first time a
 * person signs in and has no user row yet, `findClaimableUser` looks for the
 * imported row that is theirs, strongest evidence first:
 *
 * 1. **WorkOS user id**: the operator imported the people into WorkOS (with
 *    `externalId` = Clerk id) and gave the importer WorkOS's user export, so
 *    `legacyAccounts.workosUserId` is known; a token from a WorkOS issuer
 *    whose `sub` equals it claims the row.
 * 2. **`external_id` claim** = Clerk id (a WorkOS JWT template adds
 *    `"external_id": "{{user.external_id}}"`).
 * 3. **Verified email**: the token carries `email` and `email_verified: true`
 *    (JWT template), and exactly one unclaimed imported row has that email
 *    (lower-cased; duplicates in another case were merged at import).
 *
 * Claiming rewrites the row's identity fields to the token's; the row keeps
 * its id, so everything imported with it (interests, meetings) stays theirs.
 * A row already claimed is never claimed again; without evidence a new user
 * row is created as before.
 */
import type { UserIdentity } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";

/** The issuer of imported, unclaimed user rows (not a URL: no token can carry it). */
export const LEGACY_ISSUER = "legacy:clerk";

/** The placeholder `tokenIdentifier` of the imported row of Clerk user `clerkId`. */
export function legacyTokenIdentifier(clerkId: string): string {
  return `${LEGACY_ISSUER}|${clerkId}`;
}

/** True for tokens issued by WorkOS (AuthKit's issuers, see `auth.config.ts`). */
export function isWorkosIssuer(issuer: string): boolean {
  return issuer.startsWith("https://api.workos.com/");
}

/** Why: the same email in another case was merged at import; more rows here means a native user shares it. */
const EMAIL_MATCH_SCAN = 10;

/** How a claim was decided (for the audit row). */
export type ClaimEvidence = "workos_user_id" | "external_id" | "verified_email";

function stringClaim(identity: UserIdentity, key: string): string | undefined {
  const value: unknown = identity[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

async function unclaimed(ctx: QueryCtx, account: Doc<"legacyAccounts"> | null) {
  if (!account) return null;
  const user = await ctx.db.get("users", account.userId);
  return user && user.issuer === LEGACY_ISSUER ? user : null;
}

/** The imported, unclaimed user row that belongs to `identity`, and why; null when none does. */
export async function findClaimableUser(
  ctx: QueryCtx,
  identity: UserIdentity,
): Promise<{ user: Doc<"users">; evidence: ClaimEvidence } | null> {
  if (isWorkosIssuer(identity.issuer)) {
    const account = await ctx.db
      .query("legacyAccounts")
      .withIndex("by_workos", (q) => q.eq("workosUserId", identity.subject))
      .first();
    const user = await unclaimed(ctx, account);
    if (user) return { user, evidence: "workos_user_id" };
  }
  const externalId = stringClaim(identity, "external_id") ?? stringClaim(identity, "externalId");
  if (externalId) {
    const account = await ctx.db
      .query("legacyAccounts")
      .withIndex("by_clerk", (q) => q.eq("clerkId", externalId))
      .first();
    const user = await unclaimed(ctx, account);
    if (user) return { user, evidence: "external_id" };
  }
  const email = (identity.email ?? stringClaim(identity, "email"))?.toLowerCase();
  if (email && identity.emailVerified === true) {
    const rows = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .take(EMAIL_MATCH_SCAN);
    const candidates = rows.filter((u) => u.issuer === LEGACY_ISSUER);
    if (candidates.length === 1) return { user: candidates[0]!, evidence: "verified_email" };
  }
  return null;
}

/** Why: a person has one legacy account plus the duplicates merged into them. */
const ACCOUNTS_PER_USER = 10;

/** The legacy account of Convex user `userId` whose legacy row is `legacyUserId`, if any. */
export async function accountOf(ctx: QueryCtx, userId: Id<"users">, legacyUserId: string) {
  const accounts = await ctx.db
    .query("legacyAccounts")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(ACCOUNTS_PER_USER);
  return accounts.find((a) => a.legacyUserId === legacyUserId) ?? null;
}

/** A Convex user as the legacy `users` row `legacyId` shows it (what reads after cutover and dual write both use). */
export type LegacyUserView = {
  id: string;
  clerkId: string;
  email: string;
  name: string;
  createdAt: number;
  updatedAt: number;
};

/**
 * `user` as legacy row `legacyId`: the Clerk id of that imported account, or
 * `convex:<id>` for people who never had one (legacy needs a unique, non-null
 * Clerk id); no email is the empty string.
 */
export async function legacyUserView(
  ctx: QueryCtx,
  user: Doc<"users">,
  legacyId: string,
): Promise<LegacyUserView> {
  const account = await accountOf(ctx, user._id, legacyId);
  return {
    id: legacyId,
    clerkId: account?.clerkId ?? `convex:${user._id}`,
    email: user.email ?? "",
    name: user.name,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
