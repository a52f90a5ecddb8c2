/**
 * Post-meeting insights per participant: reads for clients, and the internal
 * functions the generating action (`insightsGenerate.ts`) uses to read its
 * input and store its result. Generation never runs from a query or mutation.
 */
import { type Infer, v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import { internalMutation, internalQuery, type QueryCtx } from "./_generated/server";
import { checkMeetingAccess, requireMeetingAccess } from "./lib/access";
import { userQuery } from "./lib/functions";
import { pageSize } from "./lib/numbers";
import { readVersionOf } from "./projectors/control";
import { getInsightRun } from "./projectors/insights";
import { getNotesRow } from "./projectors/meetingNotes";
import { participantInsightsFields } from "./tables/projections";

/** Why: a long meeting's transcript is cut to the first 2,000 segments (~hours) for analysis. */
export const MAX_INPUT_SEGMENTS = 2_000;
/** Why: a personal insights list shows the latest meetings; 50 is several weeks. */
export const MAX_MINE = 50;

/** One participant's insights as clients read them (the `insights` row without its version). */
export const insightsRow = v.object({
  meetingId: v.id("meetings"),
  provider: v.string(),
  generatedAt: v.number(),
  ...participantInsightsFields,
});

function toResult(r: Doc<"insights">): Infer<typeof insightsRow> {
  const { _id, _creationTime, version, ...row } = r;
  void _id;
  void _creationTime;
  void version;
  return row;
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

/** What the generator reads (internal). `ready` is false while the source views still have work. */
export const inputFor = internalQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.object({
    ready: v.boolean(),
    title: v.string(),
    notesText: v.string(),
    transcript: v.array(v.object({ speakerId: v.string(), speaker: v.string(), text: v.string() })),
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
      participants.push({ userId: String(p.userId), name: user?.name ?? "Participant" });
    }
    return {
      ready,
      title: meeting?.title ?? "Meeting",
      notesText: [notes?.text ?? "", notes?.traceText ?? ""].filter(Boolean).join("\n"),
      transcript: segments.map((s) => ({
        speakerId: s.speakerId,
        speaker: s.speaker,
        text: s.text,
      })),
      participants,
    };
  },
});

const storedInsights = v.object(participantInsightsFields);

/** Store a generation's result (internal). Idempotent: replaces the rows of this run. */
export const store = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    version: v.number(),
    provider: v.string(),
    rows: v.array(storedInsights),
  },
  returns: v.null(),
  handler: async (ctx, { meetingId, version, provider, rows }) => {
    const now = Date.now();
    const existing = await ctx.db
      .query("insights")
      .withIndex("by_meeting_version_user", (q) =>
        q.eq("meetingId", meetingId).eq("version", version),
      )
      .collect();
    for (const r of existing) await ctx.db.delete("insights", r._id);
    for (const r of rows) {
      await ctx.db.insert("insights", { meetingId, version, provider, generatedAt: now, ...r });
    }
    const run = await getInsightRun(ctx, meetingId, version);
    if (run) {
      await ctx.db.patch("insightRuns", run._id, { status: "done", provider, finishedAt: now });
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
