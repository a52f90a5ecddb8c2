/**
 * The call plan of a meeting: its org's entitlement (the plan's call provider
 * and `maxParticipants`, read reactively from the org's `entitlements` row)
 * through the one decision, `lib/callProvider.ts` `decideCallPlan`. The call's
 * join and its room info read the plan only through here.
 */
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { type CallPlan, decideCallPlan } from "../lib/callProvider";
import { entitlementsOfMeeting } from "./subscriptions";

/** The call plan of `meeting` (a meeting without an org is on the free plan). */
export async function callPlanOf(
  ctx: QueryCtx,
  meeting: Pick<Doc<"meetings">, "orgId">,
): Promise<CallPlan> {
  return decideCallPlan((await entitlementsOfMeeting(ctx, meeting)).entitlements);
}
