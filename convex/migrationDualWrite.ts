/**
 * Dual write's queue operations and its lag (internal; see `lib/dualWrite.ts`
 * for the mechanism and `migrationDualWriteApply.ts` for the action that
 * applies the queue to the legacy database).
 */
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { internalMutation, internalQuery } from "./_generated/server";
import { DUAL_WRITE_CONTROL_KEY, kickDrain } from "./lib/dualWrite";

/** Why: one drain applies up to this many changes (each a small legacy transaction) before rescheduling. */
export const DRAIN_BATCH = 200;
/** Why: back off 1 s, 2 s, 4 s … up to a minute while the legacy database fails. */
export const MAX_BACKOFF_MS = 60_000;
/** Why: the lag read looks at this many pending changes at most (the count saturates there). */
const LAG_SCAN = 1_000;

const entryView = v.object({
  id: v.id("dualWriteOutbox"),
  table: v.string(),
  convexId: v.string(),
  legacyId: v.string(),
  seq: v.number(),
  payload: v.string(),
  attempts: v.number(),
});

/** The oldest pending changes, in the order they were made. */
export const pending = internalQuery({
  args: { limit: v.number() },
  returns: v.array(entryView),
  handler: async (ctx, { limit }) => {
    const rows = await ctx.db
      .query("dualWriteOutbox")
      .withIndex("by_status_enqueued", (q) => q.eq("status", "pending"))
      .take(Math.min(limit, DRAIN_BATCH));
    return rows.map((r) => ({
      id: r._id,
      table: r.table,
      convexId: r.convexId,
      legacyId: r.legacyId,
      seq: r.seq,
      payload: r.payload,
      attempts: r.attempts,
    }));
  },
});

/** Record what one drain did: applied entries, failed ones (with the error). */
export const settle = internalMutation({
  args: {
    applied: v.array(v.id("dualWriteOutbox")),
    failed: v.array(v.object({ id: v.id("dualWriteOutbox"), error: v.string() })),
    at: v.number(),
  },
  returns: v.object({ rescheduledInMs: v.union(v.number(), v.null()) }),
  handler: async (ctx, { applied, failed, at }) => {
    for (const id of applied)
      await ctx.db.patch("dualWriteOutbox", id, { status: "applied", appliedAt: at });
    for (const f of failed) {
      const row = await ctx.db.get("dualWriteOutbox", f.id);
      if (row)
        await ctx.db.patch("dualWriteOutbox", f.id, {
          attempts: row.attempts + 1,
          lastError: f.error.slice(0, 500),
        });
    }
    const control = await ctx.db
      .query("dualWriteControl")
      .withIndex("by_key", (q) => q.eq("key", DUAL_WRITE_CONTROL_KEY))
      .unique();
    if (!control) throw new Error("dual write drained without its control row");
    const failures = failed.length > 0 ? control.failures + 1 : 0;
    await ctx.db.patch("dualWriteControl", control._id, {
      state: "idle",
      failures,
      ...(failed.length > 0 ? { lastError: failed[0]!.error.slice(0, 500) } : {}),
      ...(applied.length > 0 ? { lastAppliedAt: at } : {}),
    });
    const more = await ctx.db
      .query("dualWriteOutbox")
      .withIndex("by_status_enqueued", (q) => q.eq("status", "pending"))
      .first();
    if (!more) return { rescheduledInMs: null };
    const delay = failures === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (failures - 1));
    await kickDrain(ctx, delay);
    return { rescheduledInMs: delay };
  },
});

/** How far behind the legacy database is: pending changes, the oldest one's age, the last error. */
export const lag = internalQuery({
  args: {},
  returns: v.object({
    pending: v.number(),
    saturated: v.boolean(),
    oldestPendingAgeMs: v.union(v.number(), v.null()),
    lastAppliedAt: v.union(v.number(), v.null()),
    state: v.string(),
    failures: v.number(),
    lastError: v.union(v.string(), v.null()),
  }),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("dualWriteOutbox")
      .withIndex("by_status_enqueued", (q) => q.eq("status", "pending"))
      .take(LAG_SCAN);
    const control = await ctx.db
      .query("dualWriteControl")
      .withIndex("by_key", (q) => q.eq("key", DUAL_WRITE_CONTROL_KEY))
      .unique();
    return {
      pending: rows.length,
      saturated: rows.length === LAG_SCAN,
      oldestPendingAgeMs: rows[0] ? Math.max(0, Date.now() - rows[0].enqueuedAt) : null,
      lastAppliedAt: control?.lastAppliedAt ?? null,
      state: control?.state ?? "idle",
      failures: control?.failures ?? 0,
      lastError: control?.lastError ?? null,
    };
  },
});

/** Why: applied changes are kept a day for inspection, then swept in batches. */
export const APPLIED_RETENTION_MS = 24 * 3_600_000;
/** Why: a sweep deletes at most this many rows per transaction. */
const SWEEP_BATCH = 500;

/** Delete applied changes older than the retention (call from a cron or by hand; reschedules while more). */
export const sweepApplied = internalMutation({
  args: {},
  returns: v.number(),
  handler: async (ctx) => {
    const cutoff = Date.now() - APPLIED_RETENTION_MS;
    const old = await ctx.db
      .query("dualWriteOutbox")
      .withIndex("by_applied", (q) => q.gt("appliedAt", 0).lt("appliedAt", cutoff))
      .take(SWEEP_BATCH);
    for (const r of old) await ctx.db.delete("dualWriteOutbox", r._id as Id<"dualWriteOutbox">);
    return old.length;
  },
});
