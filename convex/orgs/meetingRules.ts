/**
 * What an org's plan and policy say about who may be in its meetings, checked
 * when people are invited (at scheduling and later):
 *
 * - the plan's `maxMeetingSize` (host included, removed people not counted)
 *   → ENTITLEMENT_REQUIRED with the plan that allows more;
 * - the org's `meetingsWithinOrg` policy → FORBIDDEN for an invitee who is
 *   not an active member of the org.
 *
 * A meeting is governed by its `orgId` (the host's `org_id` claim when it was
 * scheduled). A meeting without one (a person signed in without an org) has
 * no plan to bill and no policy: only the core's own cap of 100 applies to it,
 * as transcription is not metered for it (`billing/usage.ts`).
 */
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { PLAN_KEYS, PLANS } from "../billing/plans";
import { entitlementsOfMeeting } from "../billing/subscriptions";
import { findMembership, orgByExternalId } from "../lib/orgAccess";
import { type Refused, refused } from "../lib/results";

/** Why: the lifecycle decider caps a meeting at 100 live participants; 500 rows bound removed ones too. */
const PARTICIPANT_SCAN = 500;

/** The smallest plan that allows `n` participants, if any. */
function planFor(n: number): string | undefined {
  return PLAN_KEYS.find((p) => PLANS[p].maxMeetingSize >= n);
}

/**
 * Check inviting `inviteeIds` to a meeting of org `orgId` (an existing
 * meeting's participants count when `meetingId` is given; otherwise the
 * host is the only one so far). `newcomers` counts people not known yet
 * towards the size (an invite by email checks the size before it looks the
 * email up, so the answer cannot tell whether an account exists).
 */
export async function checkInvitees(
  ctx: QueryCtx,
  meeting: { orgId?: string; meetingId?: Id<"meetings"> },
  inviteeIds: readonly Id<"users">[],
  newcomers = 0,
): Promise<{ ok: true } | Refused> {
  if (!meeting.orgId) return { ok: true };
  const org = await orgByExternalId(ctx, meeting.orgId);
  if (org?.policy.meetingsWithinOrg) {
    for (const userId of inviteeIds) {
      const m = await findMembership(ctx, org._id, userId);
      if (m?.status !== "active")
        return refused(
          "FORBIDDEN",
          `${org.name} keeps meetings within the org: that person is not a member`,
        );
    }
  }
  const { entitlements } = await entitlementsOfMeeting(ctx, meeting);
  const present = new Set<string>();
  if (meeting.meetingId) {
    const rows = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meeting.meetingId!))
      .take(PARTICIPANT_SCAN);
    for (const r of rows) if (r.status !== "removed") present.add(r.userId);
  } else {
    present.add("host");
  }
  for (const id of inviteeIds) present.add(id);
  const size = present.size + newcomers;
  if (size > entitlements.maxMeetingSize) {
    const better = planFor(size);
    return refused(
      "ENTITLEMENT_REQUIRED",
      `the ${entitlements.plan} plan allows ${entitlements.maxMeetingSize} people per meeting${
        better ? `; the ${better} plan allows more` : ""
      }`,
    );
  }
  return { ok: true };
}
