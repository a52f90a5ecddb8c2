/**
 * Prompts for people (public): pre-call ideas and in-call prompts of a
 * meeting ranked with feedback, feedback itself, the in-call trigger with its
 * server-side limit of one generation per 30 s per meeting, and a refresh of
 * stale pre-call ideas when the meeting page opens.
 */
import { v } from "convex/values";
import { affinityDelta, rankPrompts } from "../../projections/prompts/rank";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { checkMeetingAccess, requireMeetingAccess } from "../lib/access";
import { userMutation, userQuery } from "../lib/functions";
import { refused, resultValidator } from "../lib/results";
import { feedbackKind, promptKind } from "../tables/ai";
import { lullMs } from "./config";
import { aiEnabled } from "./flags";
import { startJob } from "./jobs";
import { isTopicShift, liveContext } from "./liveContext";
import { schedulePrecall } from "./precallJobs";

/** The design's limit: at most one in-call generation per 30 s per meeting. */
export const INCALL_MIN_INTERVAL_MS = 30_000;
/** Why: pre-call ideas older than this are refreshed (the input hash decides whether anything changed). */
export const PRECALL_REFRESH_MS = 10 * 60 * 1000;
/** Why: the newest prompts of a meeting; older in-call prompts are history, not help. */
const LIST_WINDOW = 50;
/** Why: a person's feedback in one meeting; bounds the "hide what I dismissed" read. */
const MY_FEEDBACK = 200;
/** Why: tags a person has feedback on; the ranking reads them for each person present. */
const AFFINITY_TAGS = 100;
/** Why: the people whose taste ranks a list (the first dozen present or invited). */
const AFFINITY_PEOPLE = 12;
/** Why: the room shows the best three in-call prompts; a pre-call set is up to nine. */
const SHOW = { precall: 12, incall: 3 } as const;

const promptView = v.object({
  _id: v.id("prompts"),
  kind: promptKind,
  trigger: v.string(),
  content: v.string(),
  tags: v.array(v.string()),
  relevance: v.number(),
  createdAt: v.number(),
  used: v.number(),
  dismissed: v.number(),
  upvoted: v.number(),
  mine: v.array(feedbackKind),
  provider: v.string(),
  model: v.union(v.string(), v.null()),
  fallbackReason: v.union(v.string(), v.null()),
});

async function affinityOf(ctx: QueryCtx, users: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const u of users.slice(0, AFFINITY_PEOPLE)) {
    const id = ctx.db.normalizeId("users", u);
    if (!id) continue;
    const rows = await ctx.db
      .query("promptTagAffinity")
      .withIndex("by_user_tag", (q) => q.eq("userId", id))
      .take(AFFINITY_TAGS);
    for (const r of rows) out.set(r.tag, (out.get(r.tag) ?? 0) + r.score);
  }
  return out;
}

/** Prompts of a meeting, best first, for the caller (their dismissed ones left out). */
export const list = userQuery({
  args: { meetingId: v.id("meetings"), kind: promptKind },
  returns: v.object({
    enabled: v.boolean(),
    generating: v.boolean(),
    topics: v.array(v.string()),
    prompts: v.array(promptView),
  }),
  handler: async (ctx, { meetingId, kind }) => {
    const access = await requireMeetingAccess(ctx, meetingId, "read");
    if (!(await aiEnabled(ctx, kind === "precall" ? "precall" : "incall", ctx.user._id))) {
      return { enabled: false, generating: false, topics: [], prompts: [] };
    }
    const rows = await ctx.db
      .query("prompts")
      .withIndex("by_meeting_kind_created", (q) => q.eq("meetingId", meetingId).eq("kind", kind))
      .order("desc")
      .take(LIST_WINDOW);
    const mine = await ctx.db
      .query("promptFeedback")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", ctx.user._id))
      .take(MY_FEEDBACK);
    const myKinds = new Map<Id<"prompts">, Doc<"promptFeedback">["kind"][]>();
    for (const f of mine) myKinds.set(f.promptId, [...(myKinds.get(f.promptId) ?? []), f.kind]);
    const live = kind === "incall" ? await liveContext(ctx, access.meeting) : null;
    let people: string[];
    if (live?.state) {
      people = live.state.participants.filter((p) => p.presentSince !== null).map((p) => p.userId);
    } else {
      const ps = await ctx.db
        .query("participants")
        .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
        .take(AFFINITY_PEOPLE);
      people = ps.map((p) => String(p.userId));
    }
    const visible = rows.filter(
      (r) => !r.hidden && !(myKinds.get(r._id) ?? []).includes("dismissed"),
    );
    const ranked = rankPrompts(visible, await affinityOf(ctx, people)).slice(0, SHOW[kind]);
    const latestRun = await ctx.db
      .query("promptRuns")
      .withIndex("by_meeting_kind_requested", (q) => q.eq("meetingId", meetingId).eq("kind", kind))
      .order("desc")
      .first();
    return {
      enabled: true,
      generating: latestRun?.status === "pending",
      topics: live?.topics ?? [],
      prompts: ranked.map((r) => ({
        _id: r._id,
        kind: r.kind,
        trigger: r.trigger,
        content: r.content,
        tags: r.tags,
        relevance: r.relevance,
        createdAt: r.createdAt,
        used: r.used,
        dismissed: r.dismissed,
        upvoted: r.upvoted,
        mine: myKinds.get(r._id) ?? [],
        provider: r.provenance.provider,
        model: r.provenance.model,
        fallbackReason: r.provenance.fallbackReason ?? null,
      })),
    };
  },
});

/** Feedback on a prompt of `meetingId` (once per kind per person; later rankings use it). */
export const feedback = userMutation({
  args: { meetingId: v.id("meetings"), promptId: v.id("prompts"), kind: feedbackKind },
  returns: resultValidator({ recorded: v.boolean() }),
  handler: async (ctx, { meetingId, promptId, kind }) => {
    const access = await checkMeetingAccess(ctx, meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    const prompt = await ctx.db.get("prompts", promptId);
    // Another meeting's prompt gets the same answer as a missing one: nothing about it leaks.
    if (!prompt || prompt.meetingId !== meetingId)
      return refused("NOT_FOUND", "no such prompt in this meeting");
    const existing = await ctx.db
      .query("promptFeedback")
      .withIndex("by_prompt_user_kind", (q) =>
        q.eq("promptId", promptId).eq("userId", ctx.user._id).eq("kind", kind),
      )
      .unique();
    if (existing) return { ok: true as const, recorded: false };
    const now = Date.now();
    await ctx.db.insert("promptFeedback", {
      promptId,
      meetingId,
      userId: ctx.user._id,
      kind,
      at: now,
    });
    await ctx.db.patch("prompts", promptId, { [kind]: prompt[kind] + 1 });
    const delta = affinityDelta(kind);
    for (const tag of new Set(prompt.tags)) {
      const row = await ctx.db
        .query("promptTagAffinity")
        .withIndex("by_user_tag", (q) => q.eq("userId", ctx.user._id).eq("tag", tag))
        .unique();
      if (row)
        await ctx.db.patch("promptTagAffinity", row._id, {
          score: row.score + delta,
          updatedAt: now,
        });
      else
        await ctx.db.insert("promptTagAffinity", {
          userId: ctx.user._id,
          tag,
          score: delta,
          updatedAt: now,
        });
    }
    return { ok: true as const, recorded: true };
  },
});

/**
 * Ask for an in-call prompt: after a lull (verified here against the
 * transcript and notes), on a topic shift (verified against the topics of the
 * last prompt), or on request. At most one generation per 30 s per meeting:
 * the newest slot row is read, and a new one written only when the window has
 * passed, so a burst of triggers from every client writes once.
 */
export const trigger = userMutation({
  args: {
    meetingId: v.id("meetings"),
    reason: v.union(v.literal("lull"), v.literal("topic_shift"), v.literal("request")),
  },
  returns: resultValidator({ runId: v.id("promptRuns") }),
  handler: async (ctx, { meetingId, reason }) => {
    const access = await checkMeetingAccess(ctx, meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    if (access.meeting.status !== "active")
      return refused("MEETING_NOT_ACTIVE", "in-call prompts need a live meeting");
    if (!(await aiEnabled(ctx, "incall", ctx.user._id)))
      return refused("FORBIDDEN", "in-call prompts are turned off");
    const now = Date.now();
    const last = await ctx.db
      .query("promptSlots")
      .withIndex("by_meeting_at", (q) => q.eq("meetingId", meetingId))
      .order("desc")
      .first();
    if (last && now - last.at < INCALL_MIN_INTERVAL_MS) {
      return refused(
        "RATE_LIMITED",
        "a prompt was made less than 30 s ago",
        last.at + INCALL_MIN_INTERVAL_MS - now,
      );
    }
    const live = await liveContext(ctx, access.meeting);
    if (
      reason === "lull" &&
      (live.lastActivityAt === null || now - live.lastActivityAt < lullMs())
    ) {
      return refused("VALIDATION_ERROR", "the conversation is not quiet");
    }
    if (reason === "topic_shift" && !isTopicShift(last?.topics ?? [], live.topics)) {
      return refused("VALIDATION_ERROR", "the topics have not changed");
    }
    await ctx.db.insert("promptSlots", {
      meetingId,
      at: now,
      trigger: reason,
      userId: ctx.user._id,
      topics: live.topics,
    });
    const runId = await ctx.db.insert("promptRuns", {
      meetingId,
      kind: "incall",
      trigger: reason,
      inputHash: "",
      status: "pending",
      requestedAt: now,
    });
    await startJob(ctx, { job: "incall", args: { meetingId, runId } });
    return { ok: true as const, runId };
  },
});

/** Refresh the pre-call ideas when the last set is older than 10 minutes (the input hash skips unchanged inputs). */
export const ensurePrecall = userMutation({
  args: { meetingId: v.id("meetings") },
  returns: resultValidator({ scheduled: v.boolean() }),
  handler: async (ctx, { meetingId }) => {
    const access = await checkMeetingAccess(ctx, meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    if (access.meeting.status !== "scheduled" && access.meeting.status !== "active") {
      return { ok: true as const, scheduled: false };
    }
    const latest = await ctx.db
      .query("promptRuns")
      .withIndex("by_meeting_kind_requested", (q) =>
        q.eq("meetingId", meetingId).eq("kind", "precall"),
      )
      .order("desc")
      .first();
    if (latest && Date.now() - latest.requestedAt < PRECALL_REFRESH_MS)
      return { ok: true as const, scheduled: false };
    await schedulePrecall(ctx, meetingId, "request");
    return { ok: true as const, scheduled: true };
  },
});
