/**
 * Post-meeting insights per participant: reads for clients, and the internal
 * functions the generating action (`insightsGenerate.ts`) uses to read its
 * input and store its result. Generation never runs from a query or mutation.
 */
import { type Infer, v } from "convex/values";
import type { ItemState } from "../projections/insights/stored";
import type { Doc, Id } from "./_generated/dataModel";
import { internalMutation, internalQuery, type QueryCtx } from "./_generated/server";
import { checkMeetingAccess, requireMeetingAccess } from "./lib/access";
import { userQuery } from "./lib/functions";
import { pageSize } from "./lib/numbers";
import { ERASED_TEXT } from "./lib/personalData";
import { readVersionOf } from "./projectors/control";
import { getInsightRun } from "./projectors/insights";
import { getNotesRow } from "./projectors/meetingNotes";
import { participantInsightsFields } from "./tables/projections";

/** Why: a long meeting's transcript is cut to the first 2,000 segments (~hours) for analysis. */
export const MAX_INPUT_SEGMENTS = 2_000;
/** Why: a personal insights list shows the latest meetings; 50 is several weeks. */
export const MAX_MINE = 50;

/** One participant's insights as clients read them (the `insights` row without its version, input hash and fallback source). */
export const insightsRow = v.object({
  meetingId: v.id("meetings"),
  provider: v.string(),
  model: v.union(v.string(), v.null()),
  fallbackReason: v.union(v.string(), v.null()),
  generatedAt: v.number(),
  ...participantInsightsFields,
});

function toResult(r: Doc<"insights">): Infer<typeof insightsRow> {
  const { meetingId, provider, generatedAt, userId, summary } = r;
  const { actionItems, keyTakeaways, decisions, followUps, recommendations } = r;
  return {
    meetingId,
    provider,
    model: r.model ?? null,
    fallbackReason: r.fallbackReason ?? null,
    generatedAt,
    userId,
    summary,
    actionItems,
    keyTakeaways,
    decisions,
    followUps,
    recommendations,
  };
}

async function rowsOf(ctx: QueryCtx, meetingId: Id<"meetings">) {
  const version = await readVersionOf(ctx, "insights");
  return {
    version,
    rows: await ctx.db
      .query("insights")
      .withIndex("by_meeting_version_user", (q) =>
        q.eq("meetingId", meetingId).eq("version", version),
      )
      .collect(),
  };
}

/** The caller's insights across meetings, newest first (meetings they may still read). */
export const mine = userQuery({
  args: { limit: v.optional(v.number()) },
  returns: v.array(insightsRow),
  handler: async (ctx, { limit }) => {
    const version = await readVersionOf(ctx, "insights");
    const n = pageSize(limit, MAX_MINE);
    const rows = await ctx.db
      .query("insights")
      .withIndex("by_user_version", (q) => q.eq("userId", ctx.user._id).eq("version", version))
      .order("desc")
      .take(n);
    const out = [];
    for (const r of rows) {
      if ((await checkMeetingAccess(ctx, r.meetingId, "read")).ok) out.push(toResult(r));
    }
    return out;
  },
});

/**
 * Insights of one meeting: the caller's own, every participant's for hosts
 * and co-hosts, and the generation status.
 */
export const forMeeting = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.object({
    status: v.union(
      v.literal("none"),
      v.literal("pending"),
      v.literal("done"),
      v.literal("failed"),
    ),
    mine: v.union(insightsRow, v.null()),
    all: v.array(insightsRow),
  }),
  handler: async (ctx, { meetingId }) => {
    const access = await requireMeetingAccess(ctx, meetingId, "read");
    const { version, rows } = await rowsOf(ctx, meetingId);
    const run = await getInsightRun(ctx, meetingId, version);
    const own = rows.find((r) => r.userId === ctx.user._id);
    const host = access.participant.role === "host" || access.participant.role === "cohost";
    return {
      status: run?.status ?? ("none" as const),
      mine: own ? toResult(own) : null,
      all: host ? rows.map(toResult) : [],
    };
  },
});

/**
 * The day due dates are said against ("by Friday"): the meeting's scheduled
 * day (an ad-hoc meeting is scheduled when it starts). Times are UTC.
 */
function meetingDay(m: Doc<"meetings"> | null): number {
  return m?.scheduledAt ?? 0;
}

/** What the generator reads (internal). `ready` is false while the source views still have work. */
export const inputFor = internalQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.object({
    ready: v.boolean(),
    title: v.string(),
    meetingAt: v.number(),
    notesText: v.string(),
    transcript: v.array(
      v.object({ speakerId: v.string(), speaker: v.string(), text: v.string(), at: v.number() }),
    ),
    participants: v.array(v.object({ userId: v.string(), name: v.string() })),
  }),
  handler: async (ctx, { meetingId }) => {
    const meeting = await ctx.db.get("meetings", meetingId);
    let ready = true;
    for (const projection of ["meetingNotes", "transcriptSegments"]) {
      const version = await readVersionOf(ctx, projection);
      const cp = await ctx.db
        .query("projectionCheckpoints")
        .withIndex("by_meeting_projection_version", (q) =>
          q.eq("meetingId", meetingId).eq("projection", projection).eq("version", version),
        )
        .unique();
      if (cp?.state === "scheduled") ready = false;
    }
    const notes = await getNotesRow(ctx, meetingId, await readVersionOf(ctx, "meetingNotes"));
    const segVersion = await readVersionOf(ctx, "transcriptSegments");
    const segments = await ctx.db
      .query("transcriptSegments")
      .withIndex("by_meeting_version_index", (q) =>
        q.eq("meetingId", meetingId).eq("version", segVersion),
      )
      .take(MAX_INPUT_SEGMENTS);
    const people = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
      .collect();
    const participants = [];
    for (const p of people) {
      if (p.status === "removed") continue;
      const user = await ctx.db.get("users", p.userId);
      // An erased (or being erased) person gets no insights and is recommended to nobody.
      if (user?.erasedAt !== undefined) continue;
      participants.push({ userId: String(p.userId), name: user?.name ?? "Participant" });
    }
    // Interim chunks never reach a provider: only final utterances, each at its own moment.
    const transcript = segments.flatMap((s) =>
      s.utterances
        // An erased person's lines are placeholders: nothing to summarise or take a topic from.
        .filter((u) => u.isFinal && u.text.trim().length > 0 && u.text !== ERASED_TEXT)
        .map((u) => ({
          speakerId: s.speakerId,
          speaker: s.speaker,
          text: u.text,
          // Audio offset from the segment's first chunk, kept inside the segment's wall-clock span.
          at: Math.min(s.lastAt, s.firstAt + Math.max(0, u.startMs - s.startMs)),
        })),
    );
    return {
      ready,
      title: meeting?.title ?? "Meeting",
      meetingAt: meetingDay(meeting),
      notesText: [notes?.text ?? "", notes?.traceText ?? ""].filter(Boolean).join("\n"),
      transcript,
      participants,
    };
  },
});

const storedInsights = v.object(participantInsightsFields);

type Item = { id: string; text: string } & ItemState;
/** A regenerated list keeps what the person did to its items (edits, dismissals), matched by item id. */
function carryOver<T extends Item>(next: T[], prev: readonly Item[] | undefined): T[] {
  if (!prev) return next;
  const byId = new Map(prev.map((p) => [p.id, p]));
  return next.map((n) => {
    const p = byId.get(n.id);
    return p && (p.edited || p.status !== "open")
      ? { ...n, status: p.status, edited: p.edited, text: p.edited ? p.text : n.text }
      : n;
  });
}

/**
 * Store a generation's result (internal). Idempotent: replaces the rows of
 * this run, keeping each person's edits and dismissals; a result older than
 * the newest request (`seq`) is dropped.
 */
export const store = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    version: v.number(),
    seq: v.optional(v.number()),
    provider: v.string(),
    model: v.union(v.string(), v.null()),
    inputHash: v.string(),
    fallbackFrom: v.optional(v.string()),
    fallbackReason: v.optional(v.string()),
    rows: v.array(storedInsights),
  },
  returns: v.null(),
  handler: async (ctx, { meetingId, version, seq, rows, ...meta }) => {
    const run = await getInsightRun(ctx, meetingId, version);
    if (run && seq !== undefined && seq < (run.seq ?? 1)) return null;
    const now = Date.now();
    const existing = await ctx.db
      .query("insights")
      .withIndex("by_meeting_version_user", (q) =>
        q.eq("meetingId", meetingId).eq("version", version),
      )
      .collect();
    const before = new Map(existing.map((r) => [r.userId, r]));
    for (const r of existing) await ctx.db.delete("insights", r._id);
    for (const r of rows) {
      const prev = before.get(r.userId);
      await ctx.db.insert("insights", {
        meetingId,
        version,
        generatedAt: now,
        ...meta,
        ...r,
        actionItems: carryOver(r.actionItems, prev?.actionItems),
        keyTakeaways: carryOver(r.keyTakeaways, prev?.keyTakeaways),
        decisions: carryOver(r.decisions, prev?.decisions),
        followUps: carryOver(r.followUps, prev?.followUps),
        recommendations: carryOver(r.recommendations, prev?.recommendations),
      });
    }
    if (run) {
      await ctx.db.patch("insightRuns", run._id, {
        status: "done",
        provider: meta.provider,
        finishedAt: now,
      });
    }
    return null;
  },
});

/** Record a failed attempt (internal); returns the attempt count so far. */
export const recordAttempt = internalMutation({
  args: { meetingId: v.id("meetings"), version: v.number(), error: v.string(), final: v.boolean() },
  returns: v.number(),
  handler: async (ctx, { meetingId, version, error, final }) => {
    const run = await getInsightRun(ctx, meetingId, version);
    if (!run) return 0;
    const attempts = run.attempts + 1;
    await ctx.db.patch("insightRuns", run._id, {
      attempts,
      lastError: error,
      ...(final ? { status: "failed" as const, finishedAt: Date.now() } : {}),
    });
    return attempts;
  },
});
