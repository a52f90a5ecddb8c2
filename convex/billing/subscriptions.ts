/**
 * Subscriptions and the entitlements derived from them: the one write path
 * (Stripe webhooks and operators both go through {@link applySubscription})
 * and the reads every limit check uses. An org without a subscription row is
 * free; a meeting without an org (a person signed in without `org_id`) is too.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { writeAudit } from "../lib/audit";
import { orgByExternalId } from "../lib/orgAccess";
import {
  deriveEntitlements,
  type Entitlements,
  entitlementsOf,
  type PlanKey,
  type SubscriptionStatus,
} from "./plans";

/** A change of an org's subscription. */
export type SubscriptionChange = {
  plan: PlanKey;
  status: SubscriptionStatus;
  source: "stripe" | "operator";
  stripeSubscriptionId?: string;
  currentPeriodEnd?: number;
  /** Stripe event `created` (ms), for ordering. */
  eventAt?: number;
};

/** Who changed it, for the audit row. */
export type ChangeAuthor =
  | { kind: "stripe"; eventId: string; eventType: string }
  | { kind: "operator"; operator: string; reason: string };

/** The org's subscription row, if any. */
export async function subscriptionOf(
  ctx: QueryCtx,
  orgId: Id<"orgs">,
): Promise<Doc<"subscriptions"> | null> {
  return await ctx.db
    .query("subscriptions")
    .withIndex("by_org", (q) => q.eq("orgId", orgId))
    .unique();
}

/**
 * Write the subscription and its derived entitlements in one transaction and
 * audit the change. A Stripe event older than the last one applied changes
 * nothing (Stripe does not promise order) and answers `stale`.
 */
export async function applySubscription(
  ctx: MutationCtx,
  orgId: Id<"orgs">,
  change: SubscriptionChange,
  author: ChangeAuthor,
  now: number,
): Promise<{ applied: boolean; plan: PlanKey; reason?: "stale" }> {
  const existing = await subscriptionOf(ctx, orgId);
  if (
    existing?.lastEventAt !== undefined &&
    change.eventAt !== undefined &&
    change.eventAt < existing.lastEventAt
  ) {
    return { applied: false, plan: existing.plan, reason: "stale" };
  }
  const row = {
    orgId,
    plan: change.plan,
    status: change.status,
    source: change.source,
    ...(change.stripeSubscriptionId !== undefined
      ? { stripeSubscriptionId: change.stripeSubscriptionId }
      : {}),
    ...(change.currentPeriodEnd !== undefined ? { currentPeriodEnd: change.currentPeriodEnd } : {}),
    ...(change.eventAt !== undefined
      ? { lastEventAt: change.eventAt }
      : existing?.lastEventAt !== undefined
        ? { lastEventAt: existing.lastEventAt }
        : {}),
    updatedAt: now,
  };
  if (existing) await ctx.db.replace("subscriptions", existing._id, row);
  else await ctx.db.insert("subscriptions", row);
  const ent = deriveEntitlements(change, now);
  const entRow = await ctx.db
    .query("entitlements")
    .withIndex("by_org", (q) => q.eq("orgId", orgId))
    .unique();
  const next = { orgId, ...ent, derivedAt: now };
  if (entRow) await ctx.db.replace("entitlements", entRow._id, next);
  else await ctx.db.insert("entitlements", next);
  const was = existing ? `${existing.plan}/${existing.status}` : "none (free)";
  await writeAudit(ctx, {
    action: "billing.subscription",
    outcome: "admin",
    orgId,
    detail: `${was} → ${change.plan}/${change.status}; entitles ${ent.plan}${
      author.kind === "stripe" ? ` (stripe ${author.eventType} ${author.eventId})` : ""
    }`,
    ...(author.kind === "operator" ? { operator: author.operator, reason: author.reason } : {}),
  });
  return { applied: true, plan: ent.plan };
}

/** An org's entitlements (free when nothing was ever derived for it). */
export async function entitlementsOfOrg(
  ctx: QueryCtx,
  orgId: Id<"orgs"> | null,
): Promise<Entitlements> {
  if (!orgId) return entitlementsOf("free");
  const row = await ctx.db
    .query("entitlements")
    .withIndex("by_org", (q) => q.eq("orgId", orgId))
    .unique();
  if (!row) return entitlementsOf("free");
  return {
    plan: row.plan,
    callProvider: row.callProvider,
    recording: row.recording,
    maxParticipants: row.maxParticipants,
    maxMeetingSize: row.maxMeetingSize,
    aiFeatures: row.aiFeatures,
    transcriptionMinutesPerMonth: row.transcriptionMinutesPerMonth,
  };
}

/** The entitlements that govern a meeting: its org's (the host's org when scheduled). */
export async function entitlementsOfMeeting(
  ctx: QueryCtx,
  meeting: Pick<Doc<"meetings">, "orgId">,
): Promise<{ orgId: Id<"orgs"> | null; entitlements: Entitlements }> {
  const org = meeting.orgId ? await orgByExternalId(ctx, meeting.orgId) : null;
  return { orgId: org?._id ?? null, entitlements: await entitlementsOfOrg(ctx, org?._id ?? null) };
}
