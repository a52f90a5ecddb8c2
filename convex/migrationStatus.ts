/**
 * What the importer, the validator and operators read (internal queries,
 * admin authentication): a run's checkpoints, its issues page by page,
 * mapped counts page by page, and one legacy row's Convex side for the
 * field-by-field sample (including a replay of an imported meeting's
 * events, which must fold to the meeting's rows).
 */
import { type Infer, v } from "convex/values";
import { upcastMeetingEvent } from "../projections/events/meeting";
import { MAX_PARTICIPANT_ROWS } from "../projections/lifecycle/decide";
import { evolve, initialState } from "../projections/lifecycle/state";
import type { Id } from "./_generated/dataModel";
import { internalQuery, type QueryCtx } from "./_generated/server";
import { appError } from "./lib/errors";
import { accountOf } from "./lib/legacyAccounts";
import { mappingOf } from "./lib/legacyImport";
import { socialSide } from "./lib/legacySides";
import { fnv1a32 } from "./lib/rollout";
import { checkpointFields, importedTable } from "./tables/migration";

/** Why: issue and mapping pages stay far inside a query's read limits (small rows). */
export const STATUS_PAGE = 2_000;
/** Why: the validator samples 1% of a table; 100 look-ups per call keep each query small. */
export const MAX_LOOKUP = 100;
/** Why: an imported meeting has at most ~8 events; far more means it was used after import. */
const REPLAY_EVENTS = 200;
/** Why: a row has a few issues per run; runs are few. */
const ISSUES_PER_ROW = 50;

const checkpointView = v.object(checkpointFields);

/** Why: a run has one checkpoint per imported table. */
const CHECKPOINTS_PER_RUN = 20;

async function runById(ctx: QueryCtx, runId: string | undefined) {
  if (runId !== undefined) {
    return await ctx.db
      .query("migrationRuns")
      .withIndex("by_run", (q) => q.eq("runId", runId))
      .unique();
  }
  const running = await ctx.db
    .query("migrationRuns")
    .withIndex("by_status", (q) => q.eq("status", "running"))
    .order("desc")
    .first();
  return (
    running ??
    (await ctx.db
      .query("migrationRuns")
      .withIndex("by_status", (q) => q.eq("status", "done"))
      .order("desc")
      .first())
  );
}

/** A run (default: the one running, else the last finished) with its checkpoints; null before any. */
export const run = internalQuery({
  args: { runId: v.optional(v.string()) },
  returns: v.union(
    v.null(),
    v.object({
      runId: v.string(),
      source: v.string(),
      status: v.union(v.literal("running"), v.literal("done")),
      startedAt: v.number(),
      finishedAt: v.optional(v.number()),
      checkpoints: v.array(checkpointView),
    }),
  ),
  handler: async (ctx, { runId }) => {
    const r = await runById(ctx, runId);
    if (!r) return null;
    const cps = await ctx.db
      .query("migrationCheckpoints")
      .withIndex("by_run_table", (q) => q.eq("runId", r.runId))
      .take(CHECKPOINTS_PER_RUN);
    return {
      runId: r.runId,
      source: r.source,
      status: r.status,
      startedAt: r.startedAt,
      ...(r.finishedAt !== undefined ? { finishedAt: r.finishedAt } : {}),
      checkpoints: cps.map(({ _id, _creationTime, runId: _r, ...rest }) => rest),
    };
  },
});

/** One page of a run's issues of one table and kind. */
export const issues = internalQuery({
  args: {
    runId: v.string(),
    table: v.string(),
    kind: v.union(v.literal("reject"), v.literal("repair"), v.literal("merge")),
    cursor: v.union(v.string(), v.null()),
  },
  returns: v.object({
    page: v.array(v.object({ legacyId: v.string(), reason: v.string(), detail: v.string() })),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { runId, table, kind, cursor }) => {
    const res = await ctx.db
      .query("migrationIssues")
      .withIndex("by_run_table_kind", (q) =>
        q.eq("runId", runId).eq("table", table).eq("kind", kind),
      )
      .paginate({ cursor, numItems: STATUS_PAGE });
    return {
      page: res.page.map((i) => ({ legacyId: i.legacyId, reason: i.reason, detail: i.detail })),
      continueCursor: res.continueCursor,
      isDone: res.isDone,
    };
  },
});

/** Count one page of a table's mapped legacy rows, by outcome. */
export const mappedPage = internalQuery({
  args: { table: v.string(), cursor: v.union(v.string(), v.null()) },
  returns: v.object({
    created: v.number(),
    merged: v.number(),
    linked: v.number(),
    dualWrite: v.number(),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { table, cursor }) => {
    const res = await ctx.db
      .query("legacyIdMap")
      .withIndex("by_table_legacy", (q) => q.eq("table", table))
      .paginate({ cursor, numItems: STATUS_PAGE });
    const c = { created: 0, merged: 0, linked: 0, dualWrite: 0 };
    for (const m of res.page) c[m.outcome]++;
    return { ...c, continueCursor: res.continueCursor, isDone: res.isDone };
  },
});

const mappingView = v.union(
  v.null(),
  v.object({ convexId: v.string(), outcome: v.string(), runId: v.string() }),
);
const issueView = v.object({ runId: v.string(), kind: v.string(), reason: v.string() });

/** The Convex side of legacy rows, for the validator's field-by-field comparison. */
export const lookup = internalQuery({
  args: { table: importedTable, legacyIds: v.array(v.string()) },
  returns: v.array(
    v.object({
      legacyId: v.string(),
      mapping: mappingView,
      issues: v.array(issueView),
      /** The Convex row(s) in the legacy row's terms; null when unmapped or gone. */
      row: v.union(v.null(), v.record(v.string(), v.any())),
    }),
  ),
  handler: async (ctx, { table, legacyIds }) => {
    if (legacyIds.length > MAX_LOOKUP)
      throw appError("VALIDATION_ERROR", `at most ${MAX_LOOKUP} ids per call`);
    const out = [];
    for (const legacyId of legacyIds) {
      const m = await mappingOf(ctx, table, legacyId);
      const issueRows = await ctx.db
        .query("migrationIssues")
        .withIndex("by_table_legacy", (q) => q.eq("table", table).eq("legacyId", legacyId))
        .take(ISSUES_PER_ROW);
      out.push({
        legacyId,
        mapping: m ? { convexId: m.convexId, outcome: m.outcome, runId: m.runId } : null,
        issues: issueRows.map((i) => ({ runId: i.runId, kind: i.kind, reason: i.reason })),
        row: m ? await convexSide(ctx, table, m.convexId, legacyId) : null,
      });
    }
    return out;
  },
});

const canonical = (o: Record<string, string>) => JSON.stringify(Object.entries(o).sort());

async function convexSide(
  ctx: QueryCtx,
  table: Infer<typeof importedTable>,
  convexId: string,
  legacyId: string,
): Promise<Record<string, unknown> | null> {
  if (table !== "users" && table !== "interests" && table !== "meetings")
    return await socialSide(ctx, table, convexId);
  if (table === "users") {
    const user = await ctx.db.get("users", convexId as Id<"users">);
    if (!user) return null;
    const account = await accountOf(ctx, user._id, legacyId);
    return {
      email: user.email ?? null,
      name: user.name,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      claimed: user.issuer !== "legacy:clerk",
      clerkId: account?.clerkId ?? null,
      workosUserId: account?.workosUserId ?? null,
    };
  }
  if (table === "interests") {
    const ui = await ctx.db.get("userInterests", convexId as Id<"userInterests">);
    if (!ui) return null;
    const entry = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", ui.interestKey))
      .unique();
    return { userId: ui.userId, interestKey: ui.interestKey, catalogued: entry !== null };
  }
  const meeting = await ctx.db.get("meetings", convexId as Id<"meetings">);
  if (!meeting) return null;
  const participants = await ctx.db
    .query("participants")
    .withIndex("by_meeting_user", (q) => q.eq("meetingId", meeting._id))
    .take(MAX_PARTICIPANT_ROWS);
  const events = await ctx.db
    .query("meetingEvents")
    .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meeting._id))
    .take(REPLAY_EVENTS);
  // Replay: the event log must fold to the command-side rows.
  const replayed = events
    .map((e) =>
      upcastMeetingEvent({ kind: e.kind, schemaVersion: e.schemaVersion, at: e.at, data: e.data }),
    )
    .reduce(evolve, initialState());
  const rowsParticipants = Object.fromEntries(
    participants.map((p) => [p.userId, `${p.role}/${p.status}`]),
  );
  const foldParticipants = Object.fromEntries(
    Object.entries(replayed.participants).map(([u, p]) => [u, `${p.role}/${p.status}`]),
  );
  return {
    title: meeting.title,
    hostId: meeting.hostId,
    scheduledAt: meeting.scheduledAt,
    durationMinutes: meeting.durationMinutes,
    status: meeting.status,
    startedAt: meeting.startedAt ?? null,
    endedAt: meeting.endedAt ?? null,
    cancelledAt: meeting.cancelledAt ?? null,
    participants: rowsParticipants,
    events: events.length,
    replayMatches:
      replayed.status === meeting.status &&
      replayed.hostId === meeting.hostId &&
      replayed.endedAt === meeting.endedAt &&
      canonical(foldParticipants) === canonical(rowsParticipants),
  };
}

/** The tables an import writes (what `fingerprintPage` covers). */
export const importTargetTable = v.union(
  v.literal("users"),
  v.literal("legacyAccounts"),
  v.literal("interests"),
  v.literal("userInterests"),
  v.literal("meetings"),
  v.literal("participants"),
  v.literal("meetingEvents"),
  v.literal("legacyIdMap"),
  v.literal("orgs"),
  v.literal("orgMemberships"),
  v.literal("profiles"),
  v.literal("connections"),
  v.literal("dmThreads"),
  v.literal("directMessages"),
);

/**
 * One page of a table's row count and content fingerprint (sum of FNV-1a of
 * each document's JSON, system fields included): equal fingerprints before
 * and after a second import prove it changed nothing.
 */
export const fingerprintPage = internalQuery({
  args: { table: importTargetTable, cursor: v.union(v.string(), v.null()) },
  returns: v.object({
    rows: v.number(),
    hash: v.number(),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { table, cursor }) => {
    const res = await ctx.db.query(table).paginate({ cursor, numItems: STATUS_PAGE });
    let hash = 0;
    for (const doc of res.page) {
      const json = JSON.stringify(doc, (_k, value: unknown) =>
        typeof value === "bigint" ? value.toString() : value,
      );
      hash = (hash + fnv1a32(json)) >>> 0;
    }
    return { rows: res.page.length, hash, continueCursor: res.continueCursor, isDone: res.isDone };
  },
});

/**
 * One page of projector run flags, counting those with a run queued: after
 * an import, the imported meetings' projections have caught up when every
 * page counts zero (the benchmark's "settled", an operator's check).
 */
export const projectorBacklogPage = internalQuery({
  args: { cursor: v.union(v.string(), v.null()) },
  returns: v.object({ scheduled: v.number(), continueCursor: v.string(), isDone: v.boolean() }),
  handler: async (ctx, { cursor }) => {
    const res = await ctx.db.query("projectionKicks").paginate({ cursor, numItems: STATUS_PAGE });
    return {
      scheduled: res.page.filter((k) => k.state === "scheduled").length,
      continueCursor: res.continueCursor,
      isDone: res.isDone,
    };
  },
});
