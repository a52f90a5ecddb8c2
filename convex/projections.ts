/**
 * Operating the projections: status (versions, lag, throughput, progress),
 * dead letters, replay of parked events, and rebuild control.
 *
 * Public functions here are operator tools called by `scripts/rebuild.ts`
 * through the ordinary Convex client, so they work against the embedded
 * engine by URL and against a deployment alike. They are guarded by an
 * operator token: the `CONNVO_ADMIN_TOKEN` environment variable of the
 * deployment (`npx convex env set CONNVO_ADMIN_TOKEN …`; the engine reads its
 * own process environment), compared in constant time. Unset = refused.
 * The internal twins serve `npx convex run` with a deploy key.
 */
import { v } from "convex/values";
import { decodeEvent } from "../projections/events/decode";
import type { Doc, Id } from "./_generated/dataModel";
import {
  env,
  internalMutation,
  type MutationCtx,
  mutation,
  type QueryCtx,
  query,
} from "./_generated/server";
import { appError } from "./lib/errors";
import { pageSize } from "./lib/numbers";
import { getControl, updateControl } from "./projectors/control";
import { ensureScheduled, getCheckpoint, setRunState } from "./projectors/kick";
import { ensureControl, startRebuild, rebuildStep as step } from "./projectors/rebuild";
import { allProjectors, projectorOf } from "./projectors/registry";
import { readBatch } from "./projectors/sources";
import { deadLetterFields, rebuildPhase } from "./tables/projections";

/** Why: an operator reads dead letters a screenful at a time; 1,000 small rows is one cheap read. */
const MAX_DEAD_LETTERS = 1000;
/** Why: status scans checkpoints; 4,000 per version stays well inside 32,000 scanned per query. */
export const STATUS_SCAN = 4_000;

function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}

/** Throw FORBIDDEN unless `token` is the deployment's operator token. */
export function requireOperator(token: string): void {
  const expected = env.CONNVO_ADMIN_TOKEN;
  if (!expected)
    throw appError("FORBIDDEN", "operator tools are off: set CONNVO_ADMIN_TOKEN on the deployment");
  if (!sameSecret(token, expected)) throw appError("FORBIDDEN", "wrong operator token");
}

const versionStats = v.object({
  version: v.number(),
  meetings: v.number(),
  caughtUp: v.number(),
  stalled: v.number(),
  processed: v.number(),
  skipped: v.number(),
  /** Largest lag among the meetings (ms). */
  maxLagMs: v.number(),
  /** Sum of the meetings' last measured rates (events/s). */
  rate: v.number(),
  /** True when more checkpoints exist than {@link STATUS_SCAN} (numbers are a lower bound). */
  partial: v.boolean(),
});

const projectionStatus = v.object({
  projection: v.string(),
  latest: v.number(),
  readVersion: v.number(),
  phase: rebuildPhase,
  step: v.string(),
  buildVersion: v.union(v.number(), v.null()),
  oldVersion: v.union(v.number(), v.null()),
  meetingsSeeded: v.number(),
  deleted: v.number(),
  startedAt: v.union(v.number(), v.null()),
  switchedAt: v.union(v.number(), v.null()),
  finishedAt: v.union(v.number(), v.null()),
  lastError: v.union(v.string(), v.null()),
  read: versionStats,
  build: v.union(versionStats, v.null()),
  parkedDeadLetters: v.number(),
});

async function statsOf(ctx: QueryCtx, projection: string, version: number) {
  const rows = await ctx.db
    .query("projectionCheckpoints")
    .withIndex("by_projection_version", (q) =>
      q.eq("projection", projection).eq("version", version),
    )
    .take(STATUS_SCAN + 1);
  const cps = rows.slice(0, STATUS_SCAN);
  return {
    version,
    meetings: cps.length,
    caughtUp: cps.filter((c) => c.caughtUp).length,
    stalled: cps.filter((c) => c.state === "stalled").length,
    processed: cps.reduce((n, c) => n + c.processed, 0),
    skipped: cps.reduce((n, c) => n + c.skipped, 0),
    maxLagMs: cps.reduce((n, c) => Math.max(n, c.lagMs), 0),
    rate: cps.reduce((n, c) => n + (c.state === "scheduled" ? c.rate : 0), 0),
    partial: rows.length > STATUS_SCAN,
  };
}

/** Status of one projection: versions, lag, throughput, rebuild progress, parked dead letters. */
export async function statusOf(ctx: QueryCtx, projection: string) {
  const p = projectorOf(projection);
  if (!p) throw appError("NOT_FOUND", `no projection named ${projection}`);
  const c = await getControl(ctx, projection);
  const readVersion = c?.readVersion ?? p.latest;
  const parked = await ctx.db
    .query("projectionDeadLetters")
    .withIndex("by_projection_version", (q) => q.eq("projection", projection))
    .take(STATUS_SCAN);
  return {
    projection,
    latest: p.latest,
    readVersion,
    phase: c?.phase ?? ("live" as const),
    step: c?.step ?? "none",
    buildVersion: c?.buildVersion ?? null,
    oldVersion: c?.oldVersion ?? null,
    meetingsSeeded: c?.meetingsSeeded ?? 0,
    deleted: c?.deleted ?? 0,
    startedAt: c?.startedAt ?? null,
    switchedAt: c?.switchedAt ?? null,
    finishedAt: c?.finishedAt ?? null,
    lastError: c?.lastError ?? null,
    read: await statsOf(ctx, projection, readVersion),
    build: c?.buildVersion !== undefined ? await statsOf(ctx, projection, c.buildVersion) : null,
    parkedDeadLetters: parked.filter((d) => d.status === "parked").length,
  };
}

/** Status of one projection, or of all when `projection` is omitted. */
export const status = query({
  args: { adminToken: v.string(), projection: v.optional(v.string()) },
  returns: v.array(projectionStatus),
  handler: async (ctx, { adminToken, projection }) => {
    requireOperator(adminToken);
    const names = projection ? [projection] : allProjectors().map((p) => p.name);
    const out = [];
    for (const n of names) out.push(await statusOf(ctx, n));
    return out;
  },
});

const deadLetter = v
  .object(deadLetterFields)
  .omit("replayedAt")
  .extend({
    id: v.id("projectionDeadLetters"),
  });

/** Parked dead letters, oldest first (at most `limit`, default 100). */
export const deadLetters = query({
  args: { adminToken: v.string(), limit: v.optional(v.number()) },
  returns: v.array(deadLetter),
  handler: async (ctx, { adminToken, limit }) => {
    requireOperator(adminToken);
    const rows = await ctx.db
      .query("projectionDeadLetters")
      .withIndex("by_status", (q) => q.eq("status", "parked"))
      .take(pageSize(limit, MAX_DEAD_LETTERS, 100));
    return rows.map(({ _id, _creationTime, replayedAt, ...d }) => {
      void _creationTime;
      void replayedAt;
      return { id: _id, ...d };
    });
  },
});

/** The outcome of a replay. */
const replayResult = v.union(
  v.object({ ok: v.literal(true), how: v.union(v.literal("resumed"), v.literal("applied")) }),
  v.object({ ok: v.literal(false), error: v.string() }),
);

async function replay(ctx: MutationCtx, letter: Doc<"projectionDeadLetters">) {
  const p = projectorOf(letter.projection);
  const fold = p?.folds[letter.version];
  if (!p || !fold)
    return { ok: false as const, error: `no fold for ${letter.projection} v${letter.version}` };
  const key = {
    meetingId: letter.meetingId,
    projection: letter.projection,
    version: letter.version,
  };
  if (letter.mode === "stalled") {
    // A rebuild stopped on it: retry from the checkpoint's cursor with the code deployed now.
    const cp = await getCheckpoint(ctx, key);
    if (cp) await ctx.db.patch("projectionCheckpoints", cp._id, { attempts: 0 });
    await setRunState(ctx, key, "idle");
    await ensureScheduled(ctx, letter.meetingId, letter.projection, letter.version);
    const control = await getControl(ctx, letter.projection);
    if (control?.phase === "stalled") {
      await updateControl(ctx, control, {
        phase: "building",
        lastError: undefined,
      });
      await step(ctx, letter.projection);
    }
    await ctx.db.patch("projectionDeadLetters", letter._id, {
      status: "replayed",
      replayedAt: Date.now(),
    });
    return { ok: true as const, how: "resumed" as const };
  }
  // A live projector skipped it: apply that one event to the current view now.
  const stream = letter.stream as "meeting" | "transcript" | "chat" | "notes";
  const cursor = stream === "notes" ? { ts: letter.ts - 1n, key: "" } : { ts: letter.ts, key: "" };
  const batch = await readBatch(ctx, letter.meetingId, [stream], { [stream]: cursor }, 1);
  const item = batch.items.find((i) => i.key === letter.key);
  if (!item) return { ok: false as const, error: "the event is gone from the log" };
  try {
    const state = fold.evolve(
      await p.load(ctx, letter.meetingId, letter.version),
      decodeEvent(item),
    );
    const cp = await getCheckpoint(ctx, key);
    await p.save(ctx, letter.meetingId, letter.version, state, {
      applied: 1,
      lastTs: null,
      lastAt: null,
      cursors: cp?.cursors ?? {},
      now: Date.now(),
    });
    await ctx.db.patch("projectionDeadLetters", letter._id, {
      status: "replayed",
      replayedAt: Date.now(),
    });
    return { ok: true as const, how: "applied" as const };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await ctx.db.patch("projectionDeadLetters", letter._id, { status: "failed", error });
    return { ok: false as const, error };
  }
}

/**
 * Replay a parked event after fixing the code: a rebuild that stalled on it
 * resumes from its cursor; an event a live projector skipped is applied to
 * the current view (out of its original order — fine for commutative
 * views like the notes, otherwise rebuild the projection instead).
 */
export const replayDeadLetter = mutation({
  args: { adminToken: v.string(), id: v.id("projectionDeadLetters") },
  returns: replayResult,
  handler: async (ctx, { adminToken, id }) => {
    requireOperator(adminToken);
    const letter = await ctx.db.get("projectionDeadLetters", id);
    if (!letter) throw appError("NOT_FOUND", "no such dead letter");
    if (letter.status !== "parked")
      return { ok: false as const, error: `already ${letter.status}` };
    return await replay(ctx, letter);
  },
});

/** Start (or join) a rebuild of `projection` to `version` (default: the newest in code). */
export const rebuild = mutation({
  args: { adminToken: v.string(), projection: v.string(), version: v.optional(v.number()) },
  returns: projectionStatus,
  handler: async (ctx, { adminToken, projection, version }) => {
    requireOperator(adminToken);
    await startRebuild(ctx, projection, version);
    return await statusOf(ctx, projection);
  },
});

/** `npx convex run projections:rebuildInternal '{"projection":"meetingState"}'` on a deployment. */
export const rebuildInternal = internalMutation({
  args: { projection: v.string(), version: v.optional(v.number()) },
  returns: v.null(),
  handler: async (ctx, { projection, version }) => {
    await startRebuild(ctx, projection, version);
    return null;
  },
});

/**
 * Create every projection's control row if missing (idempotent). Run at
 * start/deploy (`npx convex run projections:ensureControls` after
 * `npx convex deploy`; the dev start script and the rebuild do it too) so the
 * first appends that race after a deploy only read it. Appends that find a
 * row missing schedule this too.
 */
export const ensureControls = internalMutation({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    for (const p of allProjectors()) await ensureControl(ctx, p.name);
    return null;
  },
});

/** One step of the rebuild state machine (scheduled by itself). */
export const rebuildStep = internalMutation({
  args: { projection: v.string() },
  returns: v.null(),
  handler: async (ctx, { projection }) => {
    await step(ctx, projection);
    return null;
  },
});

/** Kick every projector of one meeting (operator repair after an outage). */
export const kickMeeting = mutation({
  args: { adminToken: v.string(), meetingId: v.id("meetings") },
  returns: v.null(),
  handler: async (ctx, { adminToken, meetingId }) => {
    requireOperator(adminToken);
    for (const p of allProjectors()) {
      const c = await getControl(ctx, p.name);
      const versions = [
        c?.readVersion ?? p.latest,
        ...(c?.buildVersion !== undefined ? [c.buildVersion] : []),
      ];
      for (const version of versions)
        await ensureScheduled(ctx, meetingId as Id<"meetings">, p.name, version);
    }
    return null;
  },
});
