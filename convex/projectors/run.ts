/**
 * The projector loop: one bounded batch per run, for one (meeting,
 * projection, version). Reads the events after the checkpoint's cursors,
 * folds them into the stored state, and writes the view and the new cursors
 * in the same transaction (exactly-once effect), then schedules itself again
 * while events remain, or goes idle until the next kick.
 *
 * Poison events (decode or fold throws): the events before it are saved,
 * the run is retried with backoff up to {@link MAX_ATTEMPTS} times, then the
 * event is parked in `projectionDeadLetters`. A live version skips it and
 * goes on (reported in the checkpoint and the dead letter); a version being
 * rebuilt stalls on it, so a rebuild never switches reads to a view with a
 * hole (see `rebuild.ts`; `projections.replayDeadLetter` resumes it).
 *
 * Read sets: a run reads its batch bounded at its snapshot timestamp
 * (`ctx.meta.getSnapshotTs()`), so an append that lands during the (possibly
 * heavy) run commits with a later commitTs, outside every range the run read,
 * and does not make Convex retry it. The price: a run cannot see such an
 * append, and the append saw the flag `scheduled` and kicked nothing. So a
 * run never goes idle itself: once caught up to its bound it schedules
 * {@link settle}, a cheap mutation that looks past the cursors without a
 * bound (it is the one that conflicts with racing appends, and retries
 * cheaply) and either queues another run or flips the flag to idle, in which
 * case any later append sees `idle` and kicks.
 */
import { v } from "convex/values";
import { decodeEvent } from "../../projections/events/decode";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { internalMutation, type MutationCtx } from "../_generated/server";
import { getControl, updateControl } from "./control";
import { getCheckpoint, getKick, setRunState } from "./kick";
import { projectorOf } from "./registry";
import type { StreamCursors } from "./sources";
import { readBatch } from "./sources";
import type { AnyProjector } from "./types";

/** Why: three tries tell a transient failure (limits, a bad deploy rolled back) from a poison event. */
export const MAX_ATTEMPTS = 3;
/** Why: back off 1 s, 2 s… so a failing meeting does not spin the scheduler. */
export const RETRY_BASE_MS = 1_000;

const runArgs = {
  meetingId: v.id("meetings"),
  projection: v.string(),
  version: v.number(),
};

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Fold the first `n` items of `items` into state freshly loaded from storage. */
async function refold(
  ctx: MutationCtx,
  p: AnyProjector,
  version: number,
  meetingId: Id<"meetings">,
  items: Awaited<ReturnType<typeof readBatch>>["items"],
  skip: ReadonlySet<number>,
  n: number,
): Promise<unknown> {
  const fold = p.folds[version]!;
  let state = await p.load(ctx, meetingId, version);
  for (let i = 0; i < n; i++) if (!skip.has(i)) state = fold.evolve(state, decodeEvent(items[i]!));
  return state;
}

/** Run one batch; the handler of {@link run}, exported for tests and the rebuild. */
export async function runOnce(
  ctx: MutationCtx,
  args: { meetingId: Id<"meetings">; projection: string; version: number },
): Promise<{ status: "idle" | "more" | "retry" | "stalled" | "skipped-run"; applied: number }> {
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
  const batch = await readBatch(
    ctx,
    args.meetingId,
    fold.streams,
    cp.cursors,
    p.batchSize,
    ctx.meta.getSnapshotTs(),
  );
  const cursors: StreamCursors = { ...cp.cursors };
  const skipped = new Set<number>();
  let state = await p.load(ctx, args.meetingId, args.version);
  let applied = 0;
  let lastTs: bigint | null = null;
  let lastAt: number | null = null;
  let attempts = cp.attempts;
  const parked: Doc<"projectionDeadLetters">["_id"][] = [];
  let start = 0;
  if (p.inBatch && batch.items.length > 1) {
    // Fast path: the whole batch in one unit; any throw → reload and take the slow path.
    let failed = false;
    const s0 = state;
    p.inBatch(s0, () => {
      let s = s0;
      for (const item of batch.items) {
        try {
          s = fold.evolve(s, decodeEvent(item));
        } catch {
          failed = true;
          return;
        }
      }
      state = s;
    });
    if (failed) state = await p.load(ctx, args.meetingId, args.version);
    else {
      for (const item of batch.items) cursors[item.stream] = { ts: item.ts, key: item.key };
      const last = batch.items[batch.items.length - 1]!;
      applied = batch.items.length;
      attempts = 0;
      lastTs = last.ts;
      lastAt = last.at;
      start = batch.items.length;
    }
  }
  for (let i = start; i < batch.items.length; i++) {
    const item = batch.items[i]!;
    try {
      state = fold.evolve(state, decodeEvent(item));
      applied++;
      attempts = 0;
    } catch (e) {
      // The failed evolve may have half-changed a mutable state (a Y.Doc): rebuild it.
      state = await refold(ctx, p, args.version, args.meetingId, batch.items, skipped, i);
      attempts++;
      const error = message(e);
      if (attempts < MAX_ATTEMPTS) {
        await p.save(ctx, args.meetingId, args.version, state, {
          applied,
          lastTs,
          lastAt,
          cursors,
          now,
        });
        await ctx.db.patch("projectionCheckpoints", cp._id, {
          cursors,
          attempts,
          lastError: error,
          processed: cp.processed + applied,
          updatedAt: now,
        });
        await ctx.scheduler.runAfter(
          RETRY_BASE_MS * 2 ** (attempts - 1),
          internal.projectors.run.run,
          args,
        );
        return { status: "retry", applied };
      }
      parked.push(
        await ctx.db.insert("projectionDeadLetters", {
          meetingId: args.meetingId,
          projection: args.projection,
          version: args.version,
          stream: item.stream,
          ts: item.ts,
          key: item.key,
          error,
          attempts,
          mode: rebuilding ? "stalled" : "skipped",
          status: "parked",
          parkedAt: now,
        }),
      );
      if (rebuilding) {
        await p.save(ctx, args.meetingId, args.version, state, {
          applied,
          lastTs,
          lastAt,
          cursors,
          now,
        });
        await setRunState(ctx, args, "stalled");
        await ctx.db.patch("projectionCheckpoints", cp._id, {
          cursors,
          attempts,
          lastError: error,
          processed: cp.processed + applied,
          updatedAt: now,
        });
        if (control)
          await updateControl(ctx, control, {
            phase: "stalled",
            lastError: error,
          });
        return { status: "stalled", applied };
      }
      skipped.add(i);
      attempts = 0;
      console.warn(
        `projector ${args.projection} v${args.version}: parked ${item.stream} ${item.key}: ${error}`,
      );
    }
    cursors[item.stream] = { ts: item.ts, key: item.key };
    lastTs = item.ts;
    lastAt = item.at;
  }
  if (batch.items.length > 0) {
    await p.save(ctx, args.meetingId, args.version, state, {
      applied,
      lastTs,
      lastAt,
      cursors,
      now,
    });
  }
  const elapsed = Math.max(1, now - cp.updatedAt);
  await ctx.db.patch("projectionCheckpoints", cp._id, {
    cursors,
    attempts: 0,
    caughtUp: cp.caughtUp || !batch.more,
    processed: cp.processed + applied,
    skipped: cp.skipped + skipped.size,
    lagMs: batch.more && lastAt !== null ? Math.max(0, now - lastAt) : 0,
    rate: batch.more ? Math.round((applied * 1000) / elapsed) : cp.rate,
    ...(lastAt !== null ? { lastEventAt: lastAt } : {}),
    ...(skipped.size > 0 ? { lastError: `parked ${skipped.size} poison event(s)` } : {}),
    updatedAt: now,
  });
  await ctx.scheduler.runAfter(
    0,
    batch.more ? internal.projectors.run.run : internal.projectors.run.settle,
    args,
  );
  return { status: batch.more ? "more" : "idle", applied };
}

/**
 * After a run caught up to its snapshot: queue another run if events landed
 * past its cursors meanwhile, else go idle. Reads one event per stream past
 * the cursors with no upper bound, so an append racing with it conflicts here
 * (a small retry) rather than being lost.
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

/** Scheduled after a run caught up to its snapshot (see {@link settleOnce}). */
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
