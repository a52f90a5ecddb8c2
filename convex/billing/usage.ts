/**
 * Metering: transcription time per org per calendar month (UTC), against the
 * plan's `transcriptionMinutesPerMonth`. Counters are sharded by meeting so
 * concurrent meetings of one org write different documents (no counter every
 * append writes); the total is the sum of {@link USAGE_SHARDS} rows.
 *
 * Metered: the span (`endMs - startMs`) of each *final* transcript chunk
 * newly stored (interim chunks and duplicates of a retried call are free).
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { type Refused, refused } from "../lib/results";
import { fnv1a32 } from "../lib/rollout";
import { entitlementsOfMeeting } from "./subscriptions";

/** Why: 8 shards let 8 meetings of one org append at once without conflicting; a read sums 8 rows. */
export const USAGE_SHARDS = 8;

/** The metering period of `now`: `YYYY-MM` in UTC. */
export function usagePeriod(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

/** Transcription ms used by an org in the period of `now`. */
export async function transcriptionUsedMs(
  ctx: QueryCtx,
  orgId: Id<"orgs">,
  now: number,
): Promise<number> {
  const period = usagePeriod(now);
  const rows = await ctx.db
    .query("usageCounters")
    .withIndex("by_org_metric_period", (q) =>
      q.eq("orgId", orgId).eq("metric", "transcriptionMs").eq("period", period),
    )
    .take(USAGE_SHARDS);
  return rows.reduce((sum, r) => sum + r.used, 0);
}

/**
 * Refuse with QUOTA_EXCEEDED when the meeting's org used up its month of
 * transcription. A meeting without an org meters nothing (there is no one to
 * bill), but still has the free plan's other limits.
 */
export async function checkTranscriptionQuota(
  ctx: QueryCtx,
  meeting: Pick<Doc<"meetings">, "orgId">,
  now: number,
): Promise<{ ok: true } | Refused> {
  const { orgId, entitlements } = await entitlementsOfMeeting(ctx, meeting);
  if (!orgId) return { ok: true };
  const limitMs = entitlements.transcriptionMinutesPerMonth * 60_000;
  const used = await transcriptionUsedMs(ctx, orgId, now);
  if (used < limitMs) return { ok: true };
  return refused(
    "QUOTA_EXCEEDED",
    `your org used its ${entitlements.transcriptionMinutesPerMonth} transcription minutes this month on the ${entitlements.plan} plan`,
  );
}

/** Add `ms` of transcription to the meeting's org (its shard of this month). */
export async function meterTranscription(
  ctx: MutationCtx,
  meeting: Pick<Doc<"meetings">, "_id" | "orgId">,
  ms: number,
  now: number,
): Promise<void> {
  if (ms <= 0 || !meeting.orgId) return;
  const { orgId } = await entitlementsOfMeeting(ctx, meeting);
  if (!orgId) return;
  const period = usagePeriod(now);
  const shard = fnv1a32(meeting._id) % USAGE_SHARDS;
  const row = await ctx.db
    .query("usageCounters")
    .withIndex("by_org_metric_period", (q) =>
      q.eq("orgId", orgId).eq("metric", "transcriptionMs").eq("period", period).eq("shard", shard),
    )
    .unique();
  if (row) await ctx.db.patch("usageCounters", row._id, { used: row.used + ms });
  else
    await ctx.db.insert("usageCounters", {
      orgId,
      metric: "transcriptionMs",
      period,
      shard,
      used: ms,
    });
}
