/**
 * The pure heart of a projector run (`run.ts`): fold a batch of stored
 * events into a state, stopping at the first poison event, and decide what a
 * poison event means. No `ctx`, no clock: the run's shell loads, persists
 * and schedules around these (rules P4–P7 of `SPEC.md`).
 */
import type { Fold } from "../../projections/core/fold";
import { decodeEvent, type StoredEvent } from "../../projections/events/decode";
import type { StreamCursors } from "./sources";

/** Why: three tries tell a transient failure (limits, a bad deploy rolled back) from a poison event. */
export const MAX_ATTEMPTS = 3;
/** Why: back off 1 s, 2 s… so a failing meeting does not spin the scheduler. */
export const RETRY_BASE_MS = 1_000;

/** Where a batch stands: cursors past every consumed event, and what was folded. */
export type BatchProgress = {
  cursors: StreamCursors;
  /** Events folded (skipped poison events excluded). */
  applied: number;
  lastTs: bigint | null;
  lastAt: number | null;
};

/** The outcome of {@link foldBatch}. */
export type FoldedBatch<S> = BatchProgress & {
  state: S;
  /**
   * The first event that threw, if any. Events from it on were not consumed,
   * and `state` may be half-changed by it (a `Y.Doc` mutates in place): the
   * caller reloads and refolds `items[0, index)` before going on.
   */
  poison: { index: number; error: string } | null;
};

/** Options of {@link foldBatch}. */
export type FoldBatchOptions<S> = {
  /** Fold from this index (default 0). */
  from?: number;
  /** Fold up to, not including, this index (default: the whole batch). */
  to?: number;
  /** Indices to pass over (parked poison events): consumed, not folded. */
  skip?: ReadonlySet<number>;
  /** Run the folds as one unit (see `ProjectorImpl.inBatch`). */
  inBatch?: (state: S, apply: () => void) => void;
};

/** A thrown value as a one-line message. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The progress of a batch before anything is folded. */
export function startProgress(cursors: StreamCursors): BatchProgress {
  return { cursors: { ...cursors }, applied: 0, lastTs: null, lastAt: null };
}

/** Mark `item` consumed (folded or passed over). */
export function consume(p: BatchProgress, item: StoredEvent, folded: boolean): BatchProgress {
  return {
    cursors: { ...p.cursors, [item.stream]: { ts: item.ts, key: item.key } },
    applied: p.applied + (folded ? 1 : 0),
    lastTs: item.ts,
    lastAt: item.at,
  };
}

/**
 * Fold `items[from, to)` into `state` in order, decoding each through the
 * upcasters; stops at the first event whose decode or evolve throws.
 */
export function foldBatch<S>(
  fold: Fold<S>,
  state: S,
  items: readonly StoredEvent[],
  progress: BatchProgress,
  options: FoldBatchOptions<S> = {},
): FoldedBatch<S> {
  const from = options.from ?? 0;
  const to = Math.min(options.to ?? items.length, items.length);
  let s = state;
  let p = progress;
  let poison: FoldedBatch<S>["poison"] = null;
  const loop = () => {
    for (let i = from; i < to; i++) {
      const item = items[i]!;
      if (options.skip?.has(i)) {
        p = consume(p, item, false);
        continue;
      }
      try {
        s = fold.evolve(s, decodeEvent(item));
      } catch (e) {
        poison = { index: i, error: errorMessage(e) };
        return;
      }
      p = consume(p, item, true);
    }
  };
  if (options.inBatch && to - from > 1) options.inBatch(state, loop);
  else loop();
  return { ...p, state: s, poison };
}

/** What to do with a poison event. */
export type PoisonDecision =
  | { action: "retry"; delayMs: number }
  | { action: "park"; mode: "skipped" | "stalled" };

/**
 * The poison policy (P5, P6): retry with backoff until {@link MAX_ATTEMPTS}
 * failures in a row on the same event, then park it; a live version skips it
 * and goes on, a version being rebuilt stalls on it.
 */
export function poisonPolicy(failure: { attempts: number; rebuilding: boolean }): PoisonDecision {
  if (failure.attempts < MAX_ATTEMPTS) {
    return { action: "retry", delayMs: RETRY_BASE_MS * 2 ** (failure.attempts - 1) };
  }
  return { action: "park", mode: failure.rebuilding ? "stalled" : "skipped" };
}

/**
 * Bisection for the event that broke a state (P11): the smallest `k` in
 * `(lo, hi]` with `fails(k)`, given `fails(hi)` and not `fails(lo)`. The
 * culprit is the event at index `k - 1`. `fails(k)` folds the first `k`
 * events from a fresh state and tries to derive the view.
 */
export async function firstFailing(
  lo: number,
  hi: number,
  fails: (k: number) => boolean | Promise<boolean>,
): Promise<number> {
  let good = lo;
  let bad = hi;
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (await fails(mid)) bad = mid;
    else good = mid;
  }
  return bad;
}
