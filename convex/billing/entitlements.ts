/**
 * Reading plans and entitlements, reactively: an org's plan, subscription and
 * this month's metered usage (members of the org), and the entitlements that
 * govern a meeting (its participants; the web app picks the call by them).
 */
import { v } from "convex/values";
import { requireMeetingAccess } from "../lib/access";
import { userQuery } from "../lib/functions";
import { requireOrgAccess } from "../lib/orgAccess";
import { entitlementFields, subscriptionStatus } from "../tables/billing";
import { entitlementsOfMeeting, entitlementsOfOrg, subscriptionOf } from "./subscriptions";
import { transcriptionUsedMs, usagePeriod } from "./usage";

const entitlementsView = v.object(entitlementFields);

/** An org's plan, subscription and usage this month (members). */
export const forOrg = userQuery({
  args: { orgId: v.id("orgs") },
  returns: v.object({
    entitlements: entitlementsView,
    subscription: v.union(
      v.null(),
      v.object({
        plan: entitlementFields.plan,
        status: subscriptionStatus,
        source: v.union(v.literal("stripe"), v.literal("operator")),
        currentPeriodEnd: v.optional(v.number()),
      }),
    ),
    usage: v.object({ period: v.string(), transcriptionMinutesUsed: v.number() }),
  }),
  handler: async (ctx, { orgId }) => {
    await requireOrgAccess(ctx, ctx.user._id, orgId, "member");
    const sub = await subscriptionOf(ctx, orgId);
    const now = Date.now();
    return {
      entitlements: await entitlementsOfOrg(ctx, orgId),
      subscription: sub
        ? {
            plan: sub.plan,
            status: sub.status,
            source: sub.source,
            ...(sub.currentPeriodEnd !== undefined
              ? { currentPeriodEnd: sub.currentPeriodEnd }
              : {}),
          }
        : null,
      usage: {
        period: usagePeriod(now),
        transcriptionMinutesUsed:
          Math.round(((await transcriptionUsedMs(ctx, orgId, now)) / 60_000) * 10) / 10,
      },
    };
  },
});

/** The entitlements governing a meeting (anyone who may read it). */
export const forMeeting = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: entitlementsView,
  handler: async (ctx, { meetingId }) => {
    const { meeting } = await requireMeetingAccess(ctx, meetingId, "read", {
      allowCancelled: true,
    });
    return (await entitlementsOfMeeting(ctx, meeting)).entitlements;
  },
});
