/**
 * Versioned rebuild without downtime, as a resumable state machine on the
 * projection's control row (every step is one bounded mutation that
 * reschedules itself, so a crash resumes where the row says):
 *
 *     live --start--> building/seed --all meetings seeded--> building/verify
 *       building/verify --every build checkpoint caught up--> [switch reads] cleaning
 *       cleaning --old rows and checkpoints deleted--> live
 *       building --poison event in the new version--> stalled --replay--> building
 *
 * - seed: pages through `meetings`, creating a checkpoint of the new version
 *   for each and kicking its projector, which catches up in batches. From
 *   the start, appends kick both versions (`liveVersions`), so the new
 *   version keeps up with writes that continue during the rebuild.
 * - verify: pages through the new version's checkpoints until all are caught
 *   up; the last page switches `readVersion` in the same transaction, so
 *   every reader moves from the complete old view to the complete new one.
 * - cleaning: deletes the old version's view rows and checkpoints in batches.
 *
 * Idempotent: starting a rebuild that is already running returns its state;
 * re-running a step re-reads the row and does only what is left.
 */
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { appError } from "../lib/errors";
import { getControl, updateControl } from "./control";
import { ensureScheduled } from "./kick";
import { projectorOf } from "./registry";

/** Why: each seeded meeting schedules one run; 100 stays far below 1,000 scheduled per mutation. */
export const SEED_PAGE = 100;
/** Why: checkpoint rows are small; 500 per verify step is a cheap read. */
export const VERIFY_PAGE = 500;
/** Why: 200 view rows (snapshot chunks up to 512 KiB each) per delete step stays inside write limits. */
export const DELETE_BATCH = 200;
/** Why: while runs catch up, poll twice a second rather than spin the scheduler. */
export const VERIFY_POLL_MS = 500;

/** Create the control row of `projection` if missing (reads stay on the current version). */
export async function ensureControl(
  ctx: MutationCtx,
  projection: string,
): Promise<Doc<"projectionControl">> {
  const existing = await getControl(ctx, projection);
  if (existing) return existing;
  const p = projectorOf(projection);
  if (!p) throw appError("NOT_FOUND", `no projection named ${projection}`);
  const id = await ctx.db.insert("projectionControl", {
    projection,
    readVersion: p.latest,
    phase: "live",
    step: "none",
    meetingsSeeded: 0,
    deleted: 0,
  });
  return (await ctx.db.get("projectionControl", id))!;
}

/** Start building `version` (default: the newest in code) beside the read version. */
export async function startRebuild(
  ctx: MutationCtx,
  projection: string,
  version?: number,
): Promise<Doc<"projectionControl">> {
  const p = projectorOf(projection);
  if (!p) throw appError("NOT_FOUND", `no projection named ${projection}`);
  const control = await ensureControl(ctx, projection);
  const target = version ?? p.latest;
  if (control.phase !== "live") {
    if (control.buildVersion === target) return control;
    throw appError(
      "CONFLICT",
      `${projection} is ${control.phase} (v${control.buildVersion ?? control.oldVersion}); wait for it to finish`,
    );
  }
  if (!p.folds[target])
    throw appError(
      "VALIDATION_ERROR",
      `${projection} has no fold for version ${target} in this deployment`,
    );
  if (target === control.readVersion) {
    throw appError(
      "VALIDATION_ERROR",
      `${projection} already reads v${target}; bump the version in code (or pass another) to rebuild`,
    );
  }
  await updateControl(ctx, control, {
    phase: "building",
    step: "seed",
    buildVersion: target,
    pageCursor: undefined,
    meetingsSeeded: 0,
    deleted: 0,
    startedAt: Date.now(),
    switchedAt: undefined,
    finishedAt: undefined,
    lastError: undefined,
  });
  // Rows of an earlier, interrupted build of this version are reused: each checkpoint was
  // written with its view rows in one transaction, so they resume exactly where they stopped.
  await ctx.scheduler.runAfter(0, internal.projections.rebuildStep, { projection });
  return (await getControl(ctx, projection))!;
}

/** One step of the state machine; returns whether another step is scheduled. */
export async function rebuildStep(ctx: MutationCtx, projection: string): Promise<boolean> {
  const control = await getControl(ctx, projection);
  const p = projectorOf(projection);
  if (!control || !p) return false;
  const again = async (delay = 0) => {
    await ctx.scheduler.runAfter(delay, internal.projections.rebuildStep, { projection });
    return true;
  };
  if (control.phase === "building" && control.step === "seed") {
    const version = control.buildVersion!;
    const page = await ctx.db
      .query("meetings")
      .paginate({ cursor: control.pageCursor ?? null, numItems: SEED_PAGE });
    for (const m of page.page) await ensureScheduled(ctx, m._id, projection, version);
    await updateControl(ctx, control, {
      meetingsSeeded: control.meetingsSeeded + page.page.length,
      ...(page.isDone
        ? { step: "verify" as const, pageCursor: undefined }
        : { pageCursor: page.continueCursor }),
    });
    return await again();
  }
  if (control.phase === "building" && control.step === "verify") {
    const version = control.buildVersion!;
    const page = await ctx.db
      .query("projectionCheckpoints")
      .withIndex("by_projection_version", (q) =>
        q.eq("projection", projection).eq("version", version),
      )
      .paginate({ cursor: control.pageCursor ?? null, numItems: VERIFY_PAGE });
    if (page.page.some((c) => c.state === "stalled")) {
      await updateControl(ctx, control, { phase: "stalled" });
      return false;
    }
    if (page.page.some((c) => !c.caughtUp)) return await again(VERIFY_POLL_MS);
    if (!page.isDone) {
      await updateControl(ctx, control, { pageCursor: page.continueCursor });
      return await again();
    }
    // Every checkpoint of the new version has caught up: switch reads atomically.
    await updateControl(ctx, control, {
      readVersion: version,
      oldVersion: control.readVersion,
      buildVersion: undefined,
      phase: "cleaning",
      step: "none",
      pageCursor: undefined,
      switchedAt: Date.now(),
    });
    return await again();
  }
  if (control.phase === "cleaning" && control.oldVersion !== undefined) {
    const old = control.oldVersion;
    let deleted = await p.deleteVersion(ctx, old, DELETE_BATCH);
    if (deleted === 0) {
      const cps = await ctx.db
        .query("projectionCheckpoints")
        .withIndex("by_projection_version", (q) =>
          q.eq("projection", projection).eq("version", old),
        )
        .take(DELETE_BATCH);
      for (const c of cps) await ctx.db.delete("projectionCheckpoints", c._id);
      deleted = cps.length;
    }
    if (deleted === 0) {
      const kicks = await ctx.db
        .query("projectionKicks")
        .withIndex("by_projection_version", (q) =>
          q.eq("projection", projection).eq("version", old),
        )
        .take(DELETE_BATCH);
      for (const k of kicks) await ctx.db.delete("projectionKicks", k._id);
      deleted = kicks.length;
    }
    if (deleted > 0) {
      await updateControl(ctx, control, { deleted: control.deleted + deleted });
      return await again();
    }
    await updateControl(ctx, control, {
      phase: "live",
      oldVersion: undefined,
      finishedAt: Date.now(),
    });
    return false;
  }
  return false;
}
