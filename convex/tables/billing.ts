import { defineTable } from "convex/server";
import { v } from "convex/values";

/** A plan name (keep in step with `billing/plans.ts` `PLANS`; a type test checks it). */
export const planKey = v.union(v.literal("free"), v.literal("pro"));
/** Stripe's subscription states. */
export const subscriptionStatus = v.union(
  v.literal("active"),
  v.literal("trialing"),
  v.literal("past_due"),
  v.literal("unpaid"),
  v.literal("canceled"),
  v.literal("incomplete"),
  v.literal("incomplete_expired"),
  v.literal("paused"),
);
/** The entitlement fields (see `billing/plans.ts` `Entitlements`). */
export const entitlementFields = {
  plan: planKey,
  callProvider: v.union(v.literal("webrtc"), v.literal("getstream")),
  recording: v.boolean(),
  maxParticipants: v.number(),
  maxMeetingSize: v.number(),
  aiFeatures: v.array(v.union(v.literal("precall"), v.literal("incall"), v.literal("insights"))),
  transcriptionMinutesPerMonth: v.number(),
};

/**
 * Plans, subscriptions and what they entitle (issue 15). An org without a
 * subscription row is on the free plan (orgs migrated from the legacy
 * database start there). `entitlements` is derived from `subscriptions` in the
 * same transaction that changes it, so readers subscribe to one small row.
 */
export const billingTables = {
  subscriptions: defineTable({
    orgId: v.id("orgs"),
    plan: planKey,
    status: subscriptionStatus,
    source: v.union(v.literal("stripe"), v.literal("operator")),
    stripeSubscriptionId: v.optional(v.string()),
    currentPeriodEnd: v.optional(v.number()),
    /** `created` of the last Stripe event applied (ms): older events arriving late are ignored. */
    lastEventAt: v.optional(v.number()),
    updatedAt: v.number(),
  })
    .index("by_org", ["orgId"])
    .index("by_stripe_subscription", ["stripeSubscriptionId"]),
  entitlements: defineTable({
    orgId: v.id("orgs"),
    ...entitlementFields,
    derivedAt: v.number(),
  }).index("by_org", ["orgId"]),
  /**
   * Metered usage per meeting and month: only that meeting's appends write
   * its row (they already serialize on the meeting's transcript sequence), so
   * meetings of one org never conflict over metering. `rolledMs` is what the
   * rollup (`billing/usage.rollup`, every minute) has added to the org total.
   */
  usageCounters: defineTable({
    meetingId: v.id("meetings"),
    orgId: v.id("orgs"),
    metric: v.literal("transcriptionMs"),
    /** Calendar month, UTC: `YYYY-MM`. */
    period: v.string(),
    used: v.number(),
    rolledMs: v.number(),
    /** True while `used > rolledMs` (the rollup's work list). */
    dirty: v.boolean(),
  })
    .index("by_meeting_metric_period", ["meetingId", "metric", "period"])
    .index("by_dirty", ["dirty"]),
  /** An org's metered total per month, written only by the rollup (appends just read it). */
  usageTotals: defineTable({
    orgId: v.id("orgs"),
    metric: v.literal("transcriptionMs"),
    period: v.string(),
    used: v.number(),
    updatedAt: v.number(),
  }).index("by_org_metric_period", ["orgId", "metric", "period"]),
  /** Billing webhook events seen, by provider event id: a replay is refused. */
  billingEvents: defineTable({
    provider: v.literal("stripe"),
    eventId: v.string(),
    type: v.string(),
    orgId: v.optional(v.id("orgs")),
    outcome: v.string(),
    receivedAt: v.number(),
  }).index("by_provider_event", ["provider", "eventId"]),
};
