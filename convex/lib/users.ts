/**
 * Users from the authenticated identity: lookup and upsert from the JWT claims
 * (WorkOS AuthKit: `sub`, `email`, `name`, `org_id`, `role`). Identity comes
 * only from `ctx.auth.getUserIdentity()`, never from an argument.
 */
import type { UserIdentity, WithoutSystemFields } from "convex/server";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { writeAudit } from "./audit";
import { enqueueUserWrite } from "./dualWrite";
import { findClaimableUser } from "./legacyAccounts";
import { ERASED_ISSUER } from "./personalData";

/** The user fields derived from identity claims. */
export type IdentityFields = Pick<
  Doc<"users">,
  "tokenIdentifier" | "subject" | "issuer" | "email" | "name" | "orgId" | "orgRole"
>;

function claim(identity: UserIdentity, key: string): string | undefined {
  const value: unknown = identity[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Map identity claims to user fields (WorkOS names first, OIDC names as fallback). */
export function identityFields(identity: UserIdentity): IdentityFields {
  // Lower-cased so invitations by email find the person whatever case they typed.
  const email = (identity.email ?? claim(identity, "email"))?.toLowerCase();
  const name =
    identity.name ??
    ([identity.givenName, identity.familyName].filter(Boolean).join(" ") ||
      identity.nickname ||
      identity.preferredUsername ||
      email ||
      identity.subject);
  return {
    tokenIdentifier: identity.tokenIdentifier,
    subject: identity.subject,
    issuer: identity.issuer,
    email,
    name,
    orgId: claim(identity, "org_id") ?? claim(identity, "orgId"),
    orgRole: claim(identity, "role") ?? claim(identity, "orgRole"),
  };
}

/** Whether the erasure of `userId` has finished (`convex/erasure/run.ts` sets the phase). */
async function erasureDone(ctx: QueryCtx, userId: Doc<"users">["_id"]): Promise<boolean> {
  const erasure = await ctx.db
    .query("erasures")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .first();
  return erasure?.phase === "done";
}

/** The user row for an identity, or null when `users.ensure` was never called. */
export async function findUser(
  ctx: QueryCtx,
  identity: UserIdentity,
): Promise<Doc<"users"> | null> {
  return await ctx.db
    .query("users")
    .withIndex("by_token", (q) => q.eq("tokenIdentifier", identity.tokenIdentifier))
    .unique();
}

/**
 * Create or refresh the user row from the identity. Writes only when a claim
 * changed, so calling it on every mutation does not make every mutation
 * conflict on the user's document.
 */
export async function upsertUser(
  ctx: MutationCtx,
  identity: UserIdentity,
  now: number,
): Promise<Doc<"users">> {
  const base = identityFields(identity);
  let existing = await findUser(ctx, identity);
  if (existing?.erasedAt !== undefined) {
    // An erased person's row is a tombstone other people's rows point at. While the erasure
    // runs it is left as it is (the token's name and email are never written back onto it);
    // once it is done, signing in again detaches it from the identity and starts a fresh,
    // empty account.
    if (!(await erasureDone(ctx, existing._id))) return existing;
    await ctx.db.patch("users", existing._id, {
      issuer: ERASED_ISSUER,
      subject: String(existing._id),
      tokenIdentifier: `${ERASED_ISSUER}|${existing._id}`,
      orgId: undefined,
      orgRole: undefined,
      updatedAt: now,
    });
    existing = null;
  }
  // Verified once for this very email stays verified until the email changes.
  const emailVerified =
    base.email !== undefined &&
    (identity.emailVerified === true ||
      (existing?.emailVerified === true && existing.email === base.email));
  const fields = { ...base, emailVerified };
  if (!existing) {
    // First sign-in: an account imported from the legacy database may be theirs.
    const claim = await findClaimableUser(ctx, identity);
    if (claim) {
      // From now on the token's claims are the row's identity, as for every user. Claims the
      // token lacks are left out of the patch (the imported row has none of them either).
      const patch = Object.fromEntries(
        Object.entries({ ...fields, updatedAt: now }).filter(([, v]) => v !== undefined),
      ) as Partial<IdentityFields> & { updatedAt: number };
      const claimed = { ...claim.user, ...patch };
      await ctx.db.patch("users", claim.user._id, patch);
      await writeAudit(
        ctx,
        {
          action: "users.claimImported",
          outcome: "admin",
          actorId: claim.user._id,
          detail: `legacy account claimed by ${claim.evidence}`,
        },
        now,
      );
      await enqueueUserWrite(ctx, claimed, now);
      return claimed;
    }
    const id = await ctx.db.insert("users", { ...fields, createdAt: now, updatedAt: now });
    const created = await ctx.db.get("users", id);
    if (!created) throw new Error("user vanished right after insert");
    await enqueueUserWrite(ctx, created, now);
    return created;
  }
  const changed = (Object.keys(fields) as (keyof typeof fields)[]).some(
    (k) => existing[k] !== fields[k],
  );
  if (!changed) return existing;
  // A claim that disappeared removes its field: replace with only the defined values.
  const { _id, _creationTime, ...rest } = existing;
  const next = Object.fromEntries(
    Object.entries({ ...rest, ...fields, updatedAt: now }).filter(
      ([, value]) => value !== undefined,
    ),
  ) as WithoutSystemFields<Doc<"users">>;
  await ctx.db.replace("users", _id, next);
  const updated = { ...next, _id, _creationTime };
  await enqueueUserWrite(ctx, updated, now);
  return updated;
}
