import { defineTable } from "convex/server";
import { v } from "convex/values";

/**
 * Who people are: users (from the authenticated identity), their profiles and
 * interests, plus cross-cutting tables for audit, feature flags and idempotency.
 * Owned by the event core (issue 3).
 */
export const identityTables = {
  /** One row per authenticated person; `tokenIdentifier` is `issuer|subject`. */
  users: defineTable({
    tokenIdentifier: v.string(),
    subject: v.string(),
    issuer: v.string(),
    email: v.optional(v.string()),
    name: v.string(),
    orgId: v.optional(v.string()),
    orgRole: v.optional(v.string()),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("by_token", ["tokenIdentifier"])
    .index("by_email", ["email"]),
};
