/**
 * Operator changes of an org's plan (support grants, trials, corrections),
 * audited with the operator's name and reason. The public function needs the
 * deployment's operator token (`CONNVO_ADMIN_TOKEN`, as the projection tools);
 * the internal twin serves `npx convex run billing/operator:setPlanInternal`.
 */
import { type Infer, v } from "convex/values";
import type { MutationCtx } from "../_generated/server";
import { internalMutation, mutation } from "../_generated/server";
import { operatorNote } from "../lib/audit";
import { ensureOrg } from "../lib/orgAccess";
import { requireOperator } from "../projections";
import { planKey } from "../tables/billing";
import { applySubscription } from "./subscriptions";

const setPlanArgs = {
  /** The org's WorkOS id (`org_…`); the org is created if billing meets it first. */
  orgExternalId: v.string(),
  plan: planKey,
  /** End of the grant (ms); absent = until changed. */
  until: v.optional(v.number()),
  operator: v.string(),
  reason: v.string(),
};

async function setPlanHandler(
  ctx: MutationCtx,
  args: Infer<ReturnType<typeof v.object<typeof setPlanArgs>>>,
) {
  const { operator, reason } = operatorNote(args.operator, args.reason);
  const now = Date.now();
  const org = await ensureOrg(ctx, args.orgExternalId, now);
  const r = await applySubscription(
    ctx,
    org._id,
    {
      plan: args.plan,
      status: "active",
      source: "operator",
      ...(args.until !== undefined ? { currentPeriodEnd: args.until } : {}),
    },
    { kind: "operator", operator, reason },
    now,
  );
  return { orgId: org._id, plan: r.plan };
}

const setPlanReturns = v.object({ orgId: v.id("orgs"), plan: planKey });

/** Put an org on a plan (operator token). */
export const setPlan = mutation({
  args: { adminToken: v.string(), ...setPlanArgs },
  returns: setPlanReturns,
  handler: async (ctx, { adminToken, ...args }) => {
    requireOperator(adminToken);
    return await setPlanHandler(ctx, args);
  },
});

/** Put an org on a plan (deploy key / admin key). */
export const setPlanInternal = internalMutation({
  args: setPlanArgs,
  returns: setPlanReturns,
  handler: setPlanHandler,
});
