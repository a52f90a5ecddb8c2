/**
 * How the notes pull subscription follows the log (issue 20): one answer's
 * updates past the reader's cursor, and where the subscription should stand.
 * Shared by the provider and the benchmarks' followers, so both follow the log
 * the same way.
 *
 * The subscription stands on an *aligned* cursor: the start of the commit-time
 * window (2^28 ns ≈ 268 ms) of the newest update applied, not that update
 * itself. Every reader that has applied the same updates subscribes with the
 * same arguments, so the server runs one execution for all of them (a query
 * that does not read the caller's identity is shared across callers, as on
 * Convex); two readers that started at different cursors meet at the next
 * window. An answer re-sends at most the updates of one window that were
 * already applied, and they are skipped (each update is applied once).
 */
import type { NoteCursor } from "./transport";

/**
 * Width of a pull window in commit-time bits: 2^28 ns ≈ 268 ms. Why: at the design's
 * 10 note updates/s a window holds about 3 updates (what an answer re-sends at most), and
 * the subscription moves at most about 4 times a second, each move one execution for
 * every aligned reader together.
 */
export const PULL_WINDOW_BITS = 28n;

type Answer<U> = { updates: U[]; cursor: NoteCursor | null; done: boolean };

/** The aligned cursor of `cursor`: the start of its commit-time window. */
export function alignedCursor(cursor: NoteCursor | null): NoteCursor | null {
  if (!cursor) return null;
  return { ts: (cursor.ts >> PULL_WINDOW_BITS) << PULL_WINDOW_BITS };
}

/**
 * Follow one answer of the subscription standing at `subscribed`, with updates applied
 * through `cursor`: the updates not applied yet, the cursor after them, and where the
 * subscription should stand now (`moveTo`, or undefined to keep it). A full page moves to
 * its end (to make progress); otherwise the subscription moves only forward, to the aligned
 * cursor of the newest update, when that is past where it stands.
 */
export function followAnswer<U extends { ts: bigint }>(
  answer: Answer<U>,
  cursor: NoteCursor | null,
  subscribed: NoteCursor | null,
): { fresh: U[]; cursor: NoteCursor | null; moveTo: NoteCursor | null | undefined } {
  const fresh = answer.updates.filter((u) => !cursor || u.ts > cursor.ts);
  const next = answer.cursor && (!cursor || answer.cursor.ts > cursor.ts) ? answer.cursor : cursor;
  if (!answer.done) return { fresh, cursor: next, moveTo: next };
  const aligned = alignedCursor(next);
  const forward = aligned !== null && (subscribed === null || aligned.ts > subscribed.ts);
  return { fresh, cursor: next, moveTo: forward ? aligned : undefined };
}
