import { defineTable } from "convex/server";
import { v } from "convex/values";
import { profileExtensionFields } from "./profileFields";

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
    /**
     * `email` was verified: a token carried `email_verified: true` for this very
     * email (or the seed vouched for it). Only verified emails can be invited by email.
     */
    emailVerified: v.optional(v.boolean()),
    name: v.string(),
    orgId: v.optional(v.string()),
    orgRole: v.optional(v.string()),
    createdAt: v.number(),
    updatedAt: v.number(),
    /** Set when the person was erased (`convex/erasure/`): name and email are gone. */
    erasedAt: v.optional(v.number()),
  })
    .index("by_token", ["tokenIdentifier"])
    .index("by_email", ["email"]),
  /** Professional profile, edited by its owner (one per user); public/private parts in `profileFields.ts`. */
  profiles: defineTable({
    userId: v.id("users"),
    headline: v.optional(v.string()),
    bio: v.optional(v.string()),
    company: v.optional(v.string()),
    jobTitle: v.optional(v.string()),
    location: v.optional(v.string()),
    linkedinUrl: v.optional(v.string()),
    avatarUrl: v.optional(v.string()),
    ...profileExtensionFields,
    updatedAt: v.number(),
  })
    .index("by_user", ["userId"])
    .index("by_avatar", ["avatarStorageId"]),
  /** The catalogue of interests people can pick (created on first use). */
  interests: defineTable({
    key: v.string(),
    label: v.string(),
    category: v.optional(v.string()),
    createdAt: v.number(),
  }).index("by_key", ["key"]),
  /** Which interests a user picked (set semantics per user). */
  userInterests: defineTable({
    userId: v.id("users"),
    interestKey: v.string(),
    createdAt: v.number(),
  })
    .index("by_user", ["userId", "interestKey"])
    .index("by_interest", ["interestKey"]),
  /**
   * Authorization decisions (denials) and state transitions. Written by
   * mutations only (a query cannot write); a denial is recorded because the
   * mutation answers with a coded result instead of throwing.
   */
  auditLog: defineTable({
    at: v.number(),
    /** `users` id, or absent for anonymous callers. */
    actorId: v.optional(v.id("users")),
    action: v.string(),
    outcome: v.union(v.literal("denied"), v.literal("transition"), v.literal("admin")),
    meetingId: v.optional(v.id("meetings")),
    code: v.optional(v.string()),
    detail: v.optional(v.string()),
    /** The org concerned (org, billing and flag changes). */
    orgId: v.optional(v.id("orgs")),
    /** Who made an operator change (operator tools name themselves), and why. */
    operator: v.optional(v.string()),
    reason: v.optional(v.string()),
  })
    .index("by_meeting_at", ["meetingId", "at"])
    .index("by_actor_at", ["actorId", "at"])
    .index("by_org_at", ["orgId", "at"])
    // Retention (issue 18): audit rows older than a year go oldest first.
    .index("by_at", ["at"]),
  /** Feature flags: on/off plus a per-user rollout percentage. */
  featureFlags: defineTable({
    key: v.string(),
    enabled: v.boolean(),
    /** 0–100: share of users (by deterministic hash of flag key + user) who see it. */
    rolloutPercent: v.number(),
    description: v.optional(v.string()),
    /**
     * The deployment environment the row applies to (`CONNVO_ENVIRONMENT`:
     * development, staging, production, …); absent = every environment. A row
     * for the current environment wins over an environment-less one.
     */
    environment: v.optional(v.string()),
    updatedAt: v.number(),
  })
    .index("by_key", ["key"])
    .index("by_environment_key", ["environment", "key"]),
  /**
   * Idempotency keys for external effects (webhooks, provider calls): a claim
   * made before the effect, completed with its result after it.
   */
  idempotencyKeys: defineTable({
    scope: v.string(),
    key: v.string(),
    status: v.union(v.literal("pending"), v.literal("done")),
    /** JSON text of the effect's result, once done. */
    result: v.optional(v.string()),
    createdAt: v.number(),
    expiresAt: v.number(),
  })
    .index("by_scope_key", ["scope", "key"])
    .index("by_expires", ["expiresAt"]),
};
