/**
 * The projector loop: one bounded batch per run, for one (meeting,
 * projection, version). Reads the events after the checkpoint's cursors,
 * folds them into the stored state, and writes the view and the new cursors
 * in the same transaction (exactly-once effect), then schedules itself again
 * while events remain, or goes idle until the next kick.
 *
 * Shape: a pure `foldBatch` (state, items → state, progress, poison) and a
 * pure `poisonPolicy` (`foldBatch.ts`), around one persist step here.
 *
 * Poison events (decode or fold throws): the events before it are saved,
 * the run is retried with backoff up to `MAX_ATTEMPTS` times, then the
 * event is parked in `projectionDeadLetters`. A live version skips it and
 * goes on (reported in the checkpoint and the dead letter); a version being
 * rebuilt stalls on it, so a rebuild never switches reads to a view with a
 * hole (see `rebuild.ts`; `projections.replayDeadLetter` resumes it).
 *
 * Read sets: a run reads its batch bounded at its snapshot timestamp
 * (`ctx.meta.getSnapshotTs()`), so a run that has more to do (a full batch)
 * never conflicts with appends landing meanwhile. A run that caught up to its
 * snapshot goes idle in the same transaction (P8): it looks for one event past
 * its snapshot without a bound ({@link anyAfter}); finding none it flips the
 * run flag to idle, so a later append sees `idle` and kicks, while an append
 * committing before the run does intersects that read and Convex retries the
 * run (which then folds it). One mutation per run instead of a run and a
 * settle; a retry costs one batch, met only when an event lands during the
 * run's own few milliseconds. While a stream is busy (the batch's last event
 * is younger than the projector's `lingerMs`) a caught-up run neither goes
 * idle nor reads past its snapshot: it queues the next run `lingerMs` later,
 * so appends meanwhile find the flag `scheduled` and write nothing, and the
 * stream costs one run per `lingerMs`. {@link settle} remains for runs that
 * earlier deployments scheduled it after.
 */
import { v } from "convex/values";
import type { StoredEvent } from "../../projections/events/decode";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { internalMutation, type MutationCtx } from "../_generated/server";
import { getControl, updateControl } from "./control";
import {
  type BatchProgress,
  consume,
  errorMessage,
  type FoldedBatch,
  firstFailing,
  foldBatch,
  poisonPolicy,
  startProgress,
} from "./foldBatch";
import { getCheckpoint, getKick, setRunState } from "./kick";
import { projectorOf } from "./registry";
import { anyAfter, readBatch } from "./sources";
import type { AnyProjector } from "./types";

const runArgs = {
  meetingId: v.id("meetings"),
  projection: v.string(),
  version: v.number(),
};

type RunKey = { meetingId: Id<"meetings">; projection: string; version: number };
type Checkpoint = Doc<"projectionCheckpoints">;

/** What a run answers (for tests and the rebuild). */
export type RunStatus = "idle" | "more" | "linger" | "retry" | "stalled" | "skipped-run";

/**
 * The one persist step of a run: the view (when the batch consumed anything)
 * and the checkpoint's cursors and counters, in this transaction (P3).
 */
async function persist(
  ctx: MutationCtx,
  p: AnyProjector,
  k: RunKey,
  cp: Checkpoint,
  state: unknown,
  progress: BatchProgress,
  now: number,
  checkpoint: Partial<Checkpoint>,
): Promise<void> {
  if (progress.lastTs !== null) {
    await p.save(ctx, k.meetingId, k.version, state, {
      applied: progress.applied,
      lastTs: progress.lastTs,
      lastAt: progress.lastAt,
      cursors: progress.cursors,
      now,
    });
  }
  const fields: Partial<Checkpoint> = {
    cursors: progress.cursors,
    processed: cp.processed + progress.applied,
    ...checkpoint,
  };
  // A run that changed nothing (the one after a quiet `lingerMs`, before going idle) writes
  // no checkpoint: `updatedAt` is when the checkpoint last changed (issue 20: fewer bytes).
  if (Object.entries(fields).some(([k, v]) => !sameValue(cp[k as keyof Checkpoint], v))) {
    await ctx.db.patch("projectionCheckpoints", cp._id, { ...fields, updatedAt: now });
  }
}

/** Structural equality of two stored values (cursors hold bigints; field order may differ). */
function sameValue(a: unknown, b: unknown): boolean {
  const key = (x: unknown) =>
    JSON.stringify(x, (_k, v: unknown) => {
      if (typeof v === "bigint") return `${v}n`;
      if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .filter((k) => o[k] !== undefined)
          .map((k) => [k, o[k]]),
      );
    }) ?? "undefined";
  return key(a) === key(b);
}

/** Park a poison event in `projectionDeadLetters` (P5). */
async function park(
  ctx: MutationCtx,
  k: RunKey,
  item: StoredEvent,
  error: string,
  attempts: number,
  mode: "skipped" | "stalled",
  now: number,
): Promise<void> {
  await ctx.db.insert("projectionDeadLetters", {
    meetingId: k.meetingId,
    projection: k.projection,
    version: k.version,
    stream: item.stream,
    ts: item.ts,
    key: item.key,
    error,
    attempts,
    mode,
    status: "parked",
    parkedAt: now,
  });
}

/**
 * P11: when the folded state's view cannot be derived, the event that made it
 * so (found by bisection over the batch; the stored state always derives) as a poison.
 */
async function unrenderable(
  ctx: MutationCtx,
  p: AnyProjector,
  k: RunKey,
  items: readonly StoredEvent[],
  skip: ReadonlySet<number>,
  folded: FoldedBatch<unknown>,
): Promise<{ index: number; error: string } | null> {
  const check = (state: unknown): string | null => {
    try {
      p.verify?.(state);
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  };
  const error = check(folded.state);
  if (error === null) return null;
  const fold = p.folds[k.version]!;
  const at = async (n: number) => {
    const s = await p.load(ctx, k.meetingId, k.version);
    return foldBatch(fold, s, items, startProgress({}), { to: n, skip }).state;
  };
  const end = await firstFailing(0, items.length, async (n) => check(await at(n)) !== null);
  return { index: end - 1, error: `the view cannot be derived: ${error}` };
}

/** Run one batch; the handler of {@link run}, exported for tests and the rebuild. */
export async function runOnce(
  ctx: MutationCtx,
  args: RunKey,
): Promise<{ status: RunStatus; applied: number }> {
  const kick = await getKick(ctx, args);
  const cp = await getCheckpoint(ctx, args);
  if (kick?.state !== "scheduled" || !cp) return { status: "skipped-run", applied: 0 };
  const p = projectorOf(args.projection);
  const fold = p?.folds[args.version];
  if (!p || !fold) {
    await setRunState(ctx, args, "stalled");
    await ctx.db.patch("projectionCheckpoints", cp._id, {
      lastError: `no fold for ${args.projection} v${args.version} in this deployment`,
    });
    return { status: "stalled", applied: 0 };
  }
  const control = await getControl(ctx, p.name);
  const rebuilding = control?.buildVersion === args.version && control.readVersion !== args.version;
  const now = Date.now();
  const until = ctx.meta.getSnapshotTs();
  const { items, more } = await readBatch(
    ctx,
    args.meetingId,
    fold.streams,
    cp.cursors,
    p.batchSize,
    until,
  );
  const skip = new Set<number>();
  const inBatch = p.inBatch?.bind(p);
  let attempts = cp.attempts;
  let from = 0;
  let r = foldBatch(
    fold,
    await p.load(ctx, args.meetingId, args.version),
    items,
    startProgress(cp.cursors),
    { inBatch },
  );
  for (;;) {
    if (!r.poison && p.verify)
      r = { ...r, poison: await unrenderable(ctx, p, args, items, skip, r) };
    if (!r.poison) break;
    const { index, error } = r.poison;
    // Failures count in a row on one event: an event folded since the last one resets them.
    attempts = (index > from ? 0 : attempts) + 1;
    // The throw may have half-changed a mutable state (a Y.Doc): reload and refold before it.
    const clean = foldBatch(
      fold,
      await p.load(ctx, args.meetingId, args.version),
      items,
      startProgress(cp.cursors),
      { to: index, skip, inBatch },
    );
    const decision = poisonPolicy({ attempts, rebuilding });
    if (decision.action === "retry") {
      await persist(ctx, p, args, cp, clean.state, clean, now, { attempts, lastError: error });
      await ctx.scheduler.runAfter(decision.delayMs, internal.projectors.run.run, args);
      return { status: "retry", applied: clean.applied };
    }
    const item = items[index]!;
    await park(ctx, args, item, error, attempts, decision.mode, now);
    if (decision.mode === "stalled") {
      await persist(ctx, p, args, cp, clean.state, clean, now, { attempts, lastError: error });
      await setRunState(ctx, args, "stalled");
      if (control) await updateControl(ctx, control, { phase: "stalled", lastError: error });
      return { status: "stalled", applied: clean.applied };
    }
    console.warn(
      `projector ${args.projection} v${args.version}: parked ${item.stream} ${item.key}: ${error}`,
    );
    skip.add(index);
    attempts = 0;
    from = index + 1;
    r = foldBatch(fold, clean.state, items, consume(clean, item, false), { from, skip, inBatch });
  }
  const elapsed = Math.max(1, now - cp.updatedAt);
  // Caught up while events keep arriving: come back once more have (no idle, no tail read).
  const linger = !more && r.lastAt !== null && now - r.lastAt < p.lingerMs;
  // Caught up to the snapshot: idle unless an event landed after it (P8).
  const idle = !more && !linger && !(await anyAfter(ctx, args.meetingId, fold.streams, until));
  await persist(ctx, p, args, cp, r.state, r, now, {
    attempts: 0,
    caughtUp: cp.caughtUp || !more,
    skipped: cp.skipped + skip.size,
    lagMs: more && r.lastAt !== null ? Math.max(0, now - r.lastAt) : 0,
    rate: more ? Math.round((r.applied * 1000) / elapsed) : cp.rate,
    ...(r.lastAt !== null ? { lastEventAt: r.lastAt } : {}),
    ...(skip.size > 0 ? { lastError: `parked ${skip.size} poison event(s)` } : {}),
    // The run flag's mirror rides on this write instead of a second write of the row.
    ...(idle ? { state: "idle" as const } : {}),
  });
  if (linger) {
    await ctx.scheduler.runAfter(p.lingerMs, internal.projectors.run.run, args);
    return { status: "linger", applied: r.applied };
  }
  if (idle) {
    await setRunState(ctx, args, "idle");
    return { status: "idle", applied: r.applied };
  }
  await ctx.scheduler.runAfter(0, internal.projectors.run.run, args);
  return { status: "more", applied: r.applied };
}

/**
 * Queue another run if events lie past the cursors, else go idle. Reads one
 * event per stream past the cursors with no upper bound, so an append racing
 * with it conflicts here rather than being lost. Runs no longer schedule it
 * (they go idle themselves); kept for settle jobs that runs of earlier
 * deployments queued, which still find it under this name.
 */
export async function settleOnce(
  ctx: MutationCtx,
  args: { meetingId: Id<"meetings">; projection: string; version: number },
): Promise<"idle" | "more" | "skipped-run"> {
  const kick = await getKick(ctx, args);
  const cp = await getCheckpoint(ctx, args);
  if (kick?.state !== "scheduled" || !cp) return "skipped-run";
  const fold = projectorOf(args.projection)?.folds[args.version];
  const next = fold ? await readBatch(ctx, args.meetingId, fold.streams, cp.cursors, 1) : null;
  if (!next || next.more || next.items.length > 0) {
    // No fold: let the run report the missing fold and stall.
    await ctx.scheduler.runAfter(0, internal.projectors.run.run, args);
    return "more";
  }
  await setRunState(ctx, args, "idle");
  return "idle";
}

/** Scheduled by runs of earlier deployments after they caught up (see {@link settleOnce}). */
export const settle = internalMutation({
  args: runArgs,
  returns: v.null(),
  handler: async (ctx, args) => {
    await settleOnce(ctx, args);
    return null;
  },
});

/** Scheduled projector run (kicked by appends, rescheduled while work remains). */
export const run = internalMutation({
  args: runArgs,
  returns: v.null(),
  handler: async (ctx, args) => {
    await runOnce(ctx, args);
    return null;
  },
});
