/**
 * The call plan of a meeting: its org's entitlement (the plan's call provider
 * and `maxParticipants`, read reactively from the org's `entitlements` row)
 * and the meeting's paid call (`videoCalls`), through the one decision,
 * `lib/callProvider.ts` `decideCallPlan`. The call's
 * join and its room info read the plan only through here.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { type CallPlan, decideCallPlan } from "../lib/callProvider";
import { entitlementsOfMeeting } from "./subscriptions";

/** The meeting's paid call row (GetStream), if it has one. */
export async function paidCallOf(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
): Promise<Doc<"videoCalls"> | null> {
  return await ctx.db
    .query("videoCalls")
    .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
    .unique();
}

/** The call plan of `meeting` (a meeting without an org is on the free plan). */
export async function callPlanOf(
  ctx: QueryCtx,
  meeting: Pick<Doc<"meetings">, "_id" | "orgId">,
): Promise<CallPlan> {
  const paid = await paidCallOf(ctx, meeting._id);
  return decideCallPlan(
    (await entitlementsOfMeeting(ctx, meeting)).entitlements,
    paid?.status ?? "none",
  );
}
