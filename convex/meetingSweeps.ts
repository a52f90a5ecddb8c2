/**
 * Housekeeping of the meeting lifecycle, run from `crons.ts`: end meetings
 * left live long after their planned end (an abandoned room keeps accepting
 * transcript and keeps participants "joined"). The sweep acts with the host's
 * rights through the same decider and append path as a person would; its
 * events carry the actor `system:overdue-sweep`.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation } from "./_generated/server";
import { runMeetingCommand } from "./meetings/lifecycle";

/** Why: calls often run over; only rooms live 2 h past their planned end are abandoned. */
export const OVERDUE_GRACE_MS = 2 * 3600_000;
/** Why: each end writes a few rows per participant; 50 meetings stay far inside write limits. */
const SWEEP_BATCH = 50;

/**
 * End every live meeting past `startedAt + duration + grace`; pages through the
 * candidates (live and scheduled before `now - grace`) and reschedules itself
 * with the next page's cursor.
 */
export const endOverdue = internalMutation({
  args: { now: v.optional(v.number()), cursor: v.optional(v.string()) },
  returns: v.object({ ended: v.number(), more: v.boolean() }),
  handler: async (ctx, args) => {
    const now = args.now ?? Date.now();
    // A meeting is scheduled before it starts, so an overdue one also has an old scheduledAt.
    const page = await ctx.db
      .query("meetings")
      .withIndex("by_status_scheduledAt", (q) =>
        q.eq("status", "active").lt("scheduledAt", now - OVERDUE_GRACE_MS),
      )
      .paginate({ numItems: SWEEP_BATCH, cursor: args.cursor ?? null });
    const candidates = page.page;
    let ended = 0;
    for (const m of candidates) {
      const plannedEnd = (m.startedAt ?? m.scheduledAt) + m.durationMinutes * 60_000;
      if (plannedEnd + OVERDUE_GRACE_MS > now) continue;
      const host = await ctx.db.get("users", m.hostId);
      if (!host) continue;
      const r = await runMeetingCommand(
        ctx,
        host,
        m._id,
        { type: "End", by: host._id, at: now },
        `sweep:end:${m._id}`,
        "overdue-sweep",
      );
      if (r.ok && !r.duplicate) ended++;
    }
    const more = candidates.length === SWEEP_BATCH;
    if (more && ended > 0)
      await ctx.scheduler.runAfter(0, internal.meetingSweeps.endOverdue, { now });
    return { ended, more };
  },
});
