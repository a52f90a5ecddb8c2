/**
 * Expiry (internal mutation, every minute from the cron): pending proposals
 * past their deadline end as `expired` (both people back in the queue), and
 * waiting entries whose window can no longer fit a meeting expire. Bounded
 * batches; a full batch reschedules the sweep at once.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalMutation } from "../_generated/server";
import { patchEntry } from "./entries";
import { endProposal } from "./proposals";

/** Why 100: an expiry writes ≈ 15 documents (proposal, two entries, their vectors, history); 100 ≈ 1,500 writes. */
export const SWEEP_BATCH = 100;

/** Expire overdue proposals and entries (see the module comment). */
export const expire = internalMutation({
  args: {},
  returns: v.object({ proposals: v.number(), entries: v.number() }),
  handler: async (ctx) => {
    const now = Date.now();
    const overdue = await ctx.db
      .query("matchProposals")
      .withIndex("by_status_deadline", (q) => q.eq("status", "pending").lt("deadline", now))
      .take(SWEEP_BATCH);
    for (const p of overdue) await endProposal(ctx, p, "expired", undefined, now);
    const stale = await ctx.db
      .query("matchQueue")
      .withIndex("by_status_expires", (q) => q.eq("status", "waiting").lte("expiresAt", now))
      .take(SWEEP_BATCH);
    for (const e of stale) await patchEntry(ctx, e, { status: "expired" });
    if (overdue.length === SWEEP_BATCH || stale.length === SWEEP_BATCH)
      await ctx.scheduler.runAfter(0, internal.matching.sweep.expire, {});
    return { proposals: overdue.length, entries: stale.length };
  },
});
