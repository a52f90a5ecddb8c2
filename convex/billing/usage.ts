/**
 * Metering: transcription time per org per calendar month (UTC), against the
 * plan's `transcriptionMinutesPerMonth`.
 *
 * No counter that every append writes: an append writes only its meeting's
 * row (`usageCounters`), and reads the org's total (`usageTotals`), which only
 * the {@link rollup} (a cron, every minute) writes. The quota check counts the
 * org total plus this meeting's part not yet rolled up, so a single meeting
 * is stopped exactly and an org's other meetings within a minute of rollup.
 *
 * Metered: the span (`endMs - startMs`) of each *final* transcript chunk
 * newly stored (interim chunks and duplicates of a retried call are free).
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { internalMutation, type MutationCtx, type QueryCtx } from "../_generated/server";
import { type Refused, refused } from "../lib/results";
import { entitlementsOfMeeting } from "./subscriptions";

/** Why: a rollup run touches ≤ 200 meeting rows + their org totals, far inside one transaction. */
export const ROLLUP_BATCH = 200;

/** The metering period of `now`: `YYYY-MM` in UTC. */
export function usagePeriod(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

/** The org's rolled-up transcription ms in the period of `now`. */
export async function transcriptionUsedMs(
  ctx: QueryCtx,
  orgId: Id<"orgs">,
  now: number,
): Promise<number> {
  const period = usagePeriod(now);
  const total = await ctx.db
    .query("usageTotals")
    .withIndex("by_org_metric_period", (q) =>
      q.eq("orgId", orgId).eq("metric", "transcriptionMs").eq("period", period),
    )
    .unique();
  return total?.used ?? 0;
}

async function meetingRow(ctx: QueryCtx, meetingId: Id<"meetings">, period: string) {
  return await ctx.db
    .query("usageCounters")
    .withIndex("by_meeting_metric_period", (q) =>
      q.eq("meetingId", meetingId).eq("metric", "transcriptionMs").eq("period", period),
    )
    .unique();
}

/**
 * Refuse with QUOTA_EXCEEDED when the meeting's org used up its month of
 * transcription. A meeting without an org meters nothing (there is no one to
 * bill).
 */
export async function checkTranscriptionQuota(
  ctx: QueryCtx,
  meeting: Pick<Doc<"meetings">, "_id" | "orgId">,
  now: number,
): Promise<{ ok: true } | Refused> {
  const { orgId, entitlements } = await entitlementsOfMeeting(ctx, meeting);
  if (!orgId) return { ok: true };
  const limitMs = entitlements.transcriptionMinutesPerMonth * 60_000;
  const own = await meetingRow(ctx, meeting._id, usagePeriod(now));
  const used = (await transcriptionUsedMs(ctx, orgId, now)) + (own ? own.used - own.rolledMs : 0);
  if (used < limitMs) return { ok: true };
  return refused(
    "QUOTA_EXCEEDED",
    `your org used its ${entitlements.transcriptionMinutesPerMonth} transcription minutes this month on the ${entitlements.plan} plan`,
  );
}

/** Add `ms` of transcription to the meeting's row of this month. */
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
  const row = await meetingRow(ctx, meeting._id, period);
  if (row) await ctx.db.patch("usageCounters", row._id, { used: row.used + ms, dirty: true });
  else
    await ctx.db.insert("usageCounters", {
      meetingId: meeting._id,
      orgId,
      metric: "transcriptionMs",
      period,
      used: ms,
      rolledMs: 0,
      dirty: true,
    });
}

/** Fold meetings' new usage into their orgs' totals (cron; reschedules itself while work remains). */
export const rollup = internalMutation({
  args: {},
  returns: v.object({ rolled: v.number() }),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("usageCounters")
      .withIndex("by_dirty", (q) => q.eq("dirty", true))
      .take(ROLLUP_BATCH);
    const now = Date.now();
    for (const r of rows) {
      const delta = r.used - r.rolledMs;
      const total = await ctx.db
        .query("usageTotals")
        .withIndex("by_org_metric_period", (q) =>
          q.eq("orgId", r.orgId).eq("metric", r.metric).eq("period", r.period),
        )
        .unique();
      if (total)
        await ctx.db.patch("usageTotals", total._id, { used: total.used + delta, updatedAt: now });
      else
        await ctx.db.insert("usageTotals", {
          orgId: r.orgId,
          metric: r.metric,
          period: r.period,
          used: delta,
          updatedAt: now,
        });
      await ctx.db.patch("usageCounters", r._id, { rolledMs: r.used, dirty: false });
    }
    if (rows.length === ROLLUP_BATCH)
      await ctx.scheduler.runAfter(0, internal.billing.usage.rollup, {});
    return { rolled: rows.length };
  },
});
