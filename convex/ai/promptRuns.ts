/**
 * Prompt generation runs (internal): claim a run for an input hash (a
 * pre-call set generated from the same input within 24 h is reused), store
 * its prompts with provenance (hiding the prompts of the runs it replaces),
 * and record failures.
 */
import { v } from "convex/values";
import { internalMutation } from "../_generated/server";
import { promptKind, promptTrigger, provenance } from "../tables/ai";

/** Why: the design caches pre-call ideas for a day. */
export const PRECALL_TTL_MS = 24 * 60 * 60 * 1000;
/** Why: runs a new set replaces; older ones were replaced already. */
const SUPERSEDE_BATCH = 20;
/** Why: a set holds at most a few starters and agenda points. */
const PROMPTS_PER_RUN = 20;

/** Claim the run for `inputHash`: reuse a fresh one, or (re)start one. */
export const claim = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    kind: promptKind,
    trigger: promptTrigger,
    inputHash: v.string(),
  },
  returns: v.union(
    v.object({ action: v.literal("reuse"), runId: v.id("promptRuns") }),
    v.object({ action: v.literal("generate"), runId: v.id("promptRuns") }),
  ),
  handler: async (ctx, { meetingId, kind, trigger, inputHash }) => {
    const now = Date.now();
    const same = await ctx.db
      .query("promptRuns")
      .withIndex("by_meeting_kind_hash", (q) =>
        q.eq("meetingId", meetingId).eq("kind", kind).eq("inputHash", inputHash),
      )
      .order("desc")
      .first();
    if (
      same &&
      kind === "precall" &&
      same.status === "done" &&
      !same.supersededAt &&
      now - same.requestedAt < PRECALL_TTL_MS
    ) {
      return { action: "reuse" as const, runId: same._id };
    }
    if (same && same.status === "pending") return { action: "generate" as const, runId: same._id };
    const runId = await ctx.db.insert("promptRuns", {
      meetingId,
      kind,
      trigger,
      inputHash,
      status: "pending",
      requestedAt: now,
    });
    return { action: "generate" as const, runId };
  },
});

const draft = v.object({ content: v.string(), tags: v.array(v.string()), relevance: v.number() });

/** Store a run's prompts; a pre-call set hides the sets before it. */
export const store = internalMutation({
  args: { runId: v.id("promptRuns"), drafts: v.array(draft), provenance },
  returns: v.null(),
  handler: async (ctx, { runId, drafts, provenance: prov }) => {
    const run = await ctx.db.get("promptRuns", runId);
    if (!run || run.status === "done") return null; // a retry after success: stored once
    const now = Date.now();
    for (const d of drafts.slice(0, PROMPTS_PER_RUN)) {
      await ctx.db.insert("prompts", {
        meetingId: run.meetingId,
        runId,
        kind: run.kind,
        trigger: run.trigger,
        content: d.content.slice(0, 600),
        tags: d.tags.slice(0, 8).map((t) => t.slice(0, 40)),
        relevance: Math.max(0, Math.min(1, d.relevance)),
        provenance: prov,
        createdAt: now,
        used: 0,
        dismissed: 0,
        upvoted: 0,
        hidden: false,
      });
    }
    await ctx.db.patch("promptRuns", runId, { status: "done", finishedAt: now, provenance: prov });
    if (run.kind !== "precall") return null;
    const older = await ctx.db
      .query("promptRuns")
      .withIndex("by_meeting_kind_requested", (q) =>
        q
          .eq("meetingId", run.meetingId)
          .eq("kind", "precall")
          .lt("requestedAt", run.requestedAt + 1),
      )
      .order("desc")
      .take(SUPERSEDE_BATCH);
    for (const o of older) {
      if (o._id === runId || o.supersededAt) continue;
      await ctx.db.patch("promptRuns", o._id, { supersededAt: now });
      const ps = await ctx.db
        .query("prompts")
        .withIndex("by_run", (q) => q.eq("runId", o._id))
        .take(PROMPTS_PER_RUN);
      for (const p of ps) await ctx.db.patch("prompts", p._id, { hidden: true });
    }
    return null;
  },
});

/** Record that a run failed for good. */
export const fail = internalMutation({
  args: { runId: v.id("promptRuns"), error: v.string() },
  returns: v.null(),
  handler: async (ctx, { runId, error }) => {
    const run = await ctx.db.get("promptRuns", runId);
    if (run && run.status === "pending") {
      await ctx.db.patch("promptRuns", runId, {
        status: "failed",
        lastError: error.slice(0, 300),
        finishedAt: Date.now(),
      });
    }
    return null;
  },
});
