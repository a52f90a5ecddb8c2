import { defineTable } from "convex/server";
import { v } from "convex/values";

/** An org member's role inside the org (WorkOS `role` claim `admin`/`owner` → admin). */
export const orgRole = v.union(v.literal("admin"), v.literal("member"));
/** Where a membership came from. */
export const membershipSource = v.union(
  v.literal("claim"),
  v.literal("invitation"),
  v.literal("operator"),
);
/** Org-level constraints the design names. */
export const orgPolicy = v.object({
  /** Meetings hosted by members may only invite members of the org. */
  meetingsWithinOrg: v.boolean(),
  /** Matching proposes only members of the org to each other. */
  matchingWithinOrg: v.boolean(),
  /**
   * Who of a meeting sees and downloads its recordings: true = its hosts and
   * co-hosts only; absent or false = every participant (observers included).
   */
  recordingsHostsOnly: v.optional(v.boolean()),
});

/**
 * Orgs and memberships (issue 15). An org is keyed by its WorkOS organization
 * id (`externalId`, the `org_id` claim that `users.orgId` and
 * `meetings.orgId` also hold). Memberships come from the claim on every
 * mutation (`lib/orgs.ts` `syncOrgClaims`) and from invitations accepted by a
 * verified email.
 */
export const orgTables = {
  orgs: defineTable({
    externalId: v.string(),
    name: v.string(),
    policy: orgPolicy,
    /** Stripe customer id, once billing knows the org (webhooks find the org by it). */
    stripeCustomerId: v.optional(v.string()),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("by_external", ["externalId"])
    .index("by_stripe_customer", ["stripeCustomerId"]),
  orgMemberships: defineTable({
    orgId: v.id("orgs"),
    userId: v.id("users"),
    role: orgRole,
    source: membershipSource,
    /** `removed` rows stay so a stale token claim cannot silently re-add the person. */
    status: v.union(v.literal("active"), v.literal("removed")),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("by_org_user", ["orgId", "userId"])
    .index("by_org_status", ["orgId", "status"])
    .index("by_user", ["userId"]),
  orgInvitations: defineTable({
    orgId: v.id("orgs"),
    /** Lower-cased; only a token with this email verified may accept. */
    email: v.string(),
    role: orgRole,
    invitedBy: v.id("users"),
    status: v.union(
      v.literal("pending"),
      v.literal("accepted"),
      v.literal("revoked"),
      v.literal("expired"),
    ),
    createdAt: v.number(),
    expiresAt: v.number(),
    acceptedBy: v.optional(v.id("users")),
  })
    .index("by_org_status", ["orgId", "status"])
    .index("by_email_status", ["email", "status"]),
};
