/**
 * The one entry point appends call after storing an event: schedules the
 * projectors of the event's stream for its meeting, single-flight.
 *
 * Single-flight without a shared hot document: each (meeting, projection,
 * version) has its own run flag (`projectionKicks`), separate from the
 * checkpoint the projector rewrites every batch. A kick only *reads* the
 * flag while a run is already scheduled, so concurrent appends to a busy
 * meeting write nothing shared and do not conflict with progress writes;
 * only the append that finds the projector idle flips the flag and queues one
 * run. Under OCC, an append racing with the run that goes idle re-reads the
 * flag on retry and kicks again; a run going idle that races with an append
 * conflicts on the event range it read past its snapshot, is retried and
 * folds it, so no event is left unprojected. Runs with more to do read only
 * up to their snapshot and do not conflict with appends (see `run.ts`). The
 * projection's control row is read
 * (rarely written: only by rebuild steps) to know which versions are live.
 */

import type { Stream } from "../../projections/core/logEvent";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { getControl, liveVersions } from "./control";
import { projectorOf, projectorsOf } from "./registry";

type Key = { meetingId: Id<"meetings">; projection: string; version: number };

/** The run flag of one (meeting, projection, version), if created. */
export async function getKick(ctx: QueryCtx, k: Key) {
  return await ctx.db
    .query("projectionKicks")
    .withIndex("by_meeting_projection_version", (q) =>
      q.eq("meetingId", k.meetingId).eq("projection", k.projection).eq("version", k.version),
    )
    .unique();
}

/** The checkpoint of one (meeting, projection, version), if created. */
export async function getCheckpoint(ctx: QueryCtx, k: Key) {
  return await ctx.db
    .query("projectionCheckpoints")
    .withIndex("by_meeting_projection_version", (q) =>
      q.eq("meetingId", k.meetingId).eq("projection", k.projection).eq("version", k.version),
    )
    .unique();
}

type KickRow = Awaited<ReturnType<typeof getKick>>;
type CheckpointRow = Awaited<ReturnType<typeof getCheckpoint>>;

/** Write `state` to the run flag and its checkpoint mirror, given both rows as just read. */
async function writeRunState(
  ctx: MutationCtx,
  k: Key,
  state: "idle" | "scheduled" | "stalled",
  kick: KickRow,
  cp: CheckpointRow,
): Promise<void> {
  if (kick) {
    if (kick.state !== state) await ctx.db.patch("projectionKicks", kick._id, { state });
  } else {
    const { meetingId, projection, version } = k;
    await ctx.db.insert("projectionKicks", { meetingId, projection, version, state });
  }
  if (cp && cp.state !== state) await ctx.db.patch("projectionCheckpoints", cp._id, { state });
}

/** Set the run flag (and its mirror on the checkpoint); only called on transitions. */
export async function setRunState(
  ctx: MutationCtx,
  k: Key,
  state: "idle" | "scheduled" | "stalled",
): Promise<void> {
  await writeRunState(ctx, k, state, await getKick(ctx, k), await getCheckpoint(ctx, k));
}

/** Make sure one (meeting, projection, version) checkpoint exists and has a run queued. */
export async function ensureScheduled(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  projection: string,
  version: number,
): Promise<void> {
  const k = { meetingId, projection, version };
  const kick = await getKick(ctx, k);
  if (kick && kick.state !== "idle") return; // the common case while busy: a read, no write
  const cp = await getCheckpoint(ctx, k);
  if (!cp) {
    await ctx.db.insert("projectionCheckpoints", {
      ...k,
      cursors: {},
      state: "scheduled",
      caughtUp: false,
      processed: 0,
      skipped: 0,
      attempts: 0,
      lagMs: 0,
      rate: 0,
      updatedAt: Date.now(),
    });
  }
  // Both rows were just read (a new checkpoint is written already "scheduled"): no second read.
  await writeRunState(ctx, k, "scheduled", kick, cp);
  const delay = projectorOf(projection)?.kickDelayMs ?? 0;
  await ctx.scheduler.runAfter(delay, internal.projectors.run.run, k);
}

/**
 * Called by the one append path after every event append: schedules the
 * projectors that consume `stream` for `meetingId` (single-flight).
 */
export async function kickProjectors(
  ctx: MutationCtx,
  args: { meetingId: Id<"meetings">; stream: Stream },
  /** Control rows already read in this transaction (a mutation kicking many meetings). */
  controls?: Map<string, Doc<"projectionControl"> | null>,
): Promise<void> {
  let missing = false;
  for (const p of projectorsOf(args.stream)) {
    // The control row pins the read version, so deploying a bumped version later keeps
    // reads on the built one until a rebuild switches them. Missing (first kick after a
    // fresh deploy that skipped `ensureControls`): read-only here, created off the append.
    let control = controls?.get(p.name);
    if (control === undefined) {
      control = await getControl(ctx, p.name);
      controls?.set(p.name, control);
    }
    missing ||= control === null;
    for (const version of liveVersions(control, p.latest)) {
      await ensureScheduled(ctx, args.meetingId, p.name, version);
    }
  }
  if (missing) await ctx.scheduler.runAfter(0, internal.projections.ensureControls, {});
}
