/**
 * Retention passes (issue 18): a daily cron starts one; it walks ended and
 * cancelled meetings old enough for some period of the policy
 * (`projections/retention/policy.ts`) and runs each due category's bounded
 * step (`retentionSteps.ts`), then the audit log. A step spends at most
 * {@link STEP_BUDGET} rows and reschedules itself, so no transaction nears
 * Convex's limits; finished categories are recorded per meeting, so passes
 * are idempotent and a crashed pass resumes from its cursor.
 *
 * A dry run counts what would go (up to the budget per category and
 * meeting) and changes nothing: `npx convex run retention:start
 * '{"dryRun":true}'`, then `npx convex run retention:lastRun`.
 */
import { v } from "convex/values";
import {
  CATEGORIES,
  type Category,
  DAY_MS,
  dueCategories,
  meetingEnd,
  readPolicy,
  youngestDue,
} from "../projections/retention/policy";
import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import { env, internalMutation, internalQuery, type MutationCtx } from "./_generated/server";
import { retentionStep } from "./retentionSteps";

/** Why: ~400 row deletions (plus their index updates) per step stay far inside Convex's 16,000 writes and 1 s. */
export const STEP_BUDGET = 400;
/** Why: a page of meetings per step; each may spend the whole budget on its own. */
const MEETINGS_PER_STEP = 8;
/** Why: the dry-run report names some meetings, not all. */
const SAMPLE_MAX = 50;

const ZERO = {
  transcriptChunks: 0,
  chat: 0,
  noteUpdates: 0,
  transcriptSegments: 0,
  notes: 0,
  ai: 0,
  audit: 0,
};

/** Start a pass (the cron's entry; operators may run it dry). */
export const start = internalMutation({
  args: { dryRun: v.optional(v.boolean()) },
  returns: v.id("retentionRuns"),
  handler: async (ctx, { dryRun }) => {
    const now = Date.now();
    const runId = await ctx.db.insert("retentionRuns", {
      dryRun: dryRun ?? false,
      now,
      status: "running",
      phase: "audit",
      cursor: null,
      counts: ZERO,
      meetingsSeen: 0,
      sample: [],
      steps: 0,
      startedAt: now,
    });
    await ctx.scheduler.runAfter(0, internal.retention.step, { runId });
    return runId;
  },
});

async function doneOf(ctx: MutationCtx, meetingId: Id<"meetings">) {
  return await ctx.db
    .query("retentionMeetings")
    .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
    .unique();
}

/** Run a meeting's due categories within `budget`; returns rows spent and whether it finished. */
async function meetingStep(
  ctx: MutationCtx,
  run: Doc<"retentionRuns">,
  meeting: Doc<"meetings">,
  budget: number,
  counts: Record<Category | "audit", number>,
) {
  const policy = readPolicy(env);
  const row = await doneOf(ctx, meeting._id);
  const done = new Set(row?.done ?? []);
  const due = dueCategories(policy, meetingEnd(meeting), run.now).filter((c) => !done.has(c));
  let spent = 0;
  let changed = false;
  for (const c of due) {
    for (;;) {
      const left = budget - spent;
      if (left <= 0) break;
      const r = await retentionStep(ctx, c, meeting._id, left, run.dryRun);
      spent += r.rows;
      counts[c] += r.rows;
      changed ||= r.rows > 0;
      // A dry run changes nothing, so it looks once per category.
      if (run.dryRun || r.finished) {
        if (!run.dryRun) done.add(c);
        break;
      }
    }
    if (budget - spent <= 0) break;
  }
  const finished = run.dryRun || due.every((c) => done.has(c));
  if (!run.dryRun && due.length > 0) {
    if (row) await ctx.db.patch("retentionMeetings", row._id, { done: [...done] });
    else await ctx.db.insert("retentionMeetings", { meetingId: meeting._id, done: [...done] });
  }
  return { spent: Math.max(spent, 1), finished, changed };
}

/** One bounded step of a pass; reschedules itself until the pass is done. */
export const step = internalMutation({
  args: { runId: v.id("retentionRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const run = await ctx.db.get("retentionRuns", runId);
    if (!run || run.status === "done") return null;
    const policy = readPolicy(env);
    const counts = { ...run.counts };
    const sample = [...run.sample];
    let { phase, cursor, meetingsSeen } = run;
    if (phase === "audit") {
      const cutoff = run.now - policy.audit * DAY_MS;
      const rows = await ctx.db
        .query("auditLog")
        .withIndex("by_at", (q) => q.lt("at", cutoff))
        .take(STEP_BUDGET);
      if (!run.dryRun) for (const r of rows) await ctx.db.delete("auditLog", r._id);
      counts.audit += rows.length;
      if (run.dryRun || rows.length < STEP_BUDGET) phase = "ended";
    } else {
      const olderThan = run.now - youngestDue(policy) * DAY_MS;
      const page = await ctx.db
        .query("meetings")
        .withIndex("by_status_scheduledAt", (q) =>
          q.eq("status", phase as "ended" | "cancelled").lt("scheduledAt", olderThan),
        )
        .paginate({ cursor, numItems: MEETINGS_PER_STEP });
      let budget = STEP_BUDGET;
      let all = true;
      for (const m of page.page) {
        const r = await meetingStep(ctx, run, m, budget, counts);
        budget -= r.spent;
        if (r.changed && run.dryRun && sample.length < SAMPLE_MAX) sample.push(m._id);
        if (!r.finished) {
          all = false;
          break;
        }
        meetingsSeen += 1;
      }
      // The page is kept until all its meetings finished (their done lists skip what is done).
      if (all) {
        if (page.isDone) {
          phase = phase === "ended" ? "cancelled" : phase;
          cursor = null;
          if (run.phase === "cancelled") {
            await ctx.db.patch("retentionRuns", runId, {
              counts,
              sample,
              meetingsSeen,
              steps: run.steps + 1,
              status: "done",
              finishedAt: Date.now(),
            });
            return null;
          }
        } else cursor = page.continueCursor;
      }
    }
    await ctx.db.patch("retentionRuns", runId, {
      phase,
      cursor,
      counts,
      sample,
      meetingsSeen,
      steps: run.steps + 1,
    });
    await ctx.scheduler.runAfter(0, internal.retention.step, { runId });
    return null;
  },
});

/** The latest pass: its counts (removed, or would be removed when dry), progress and sample. */
export const lastRun = internalQuery({
  args: {},
  handler: async (ctx) => {
    const run = await ctx.db.query("retentionRuns").withIndex("by_started").order("desc").first();
    if (!run) return null;
    return { ...run, policy: readPolicy(env), categories: [...CATEGORIES, "audit"] };
  },
});
