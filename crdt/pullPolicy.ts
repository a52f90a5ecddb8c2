/**
 * How the notes pull subscription follows the log (issue 20): one answer's
 * updates past the reader's cursor, and when to move the subscription to the
 * new cursor. Shared by the provider and the benchmarks' followers, so both
 * follow the log the same way.
 */
import type { NoteCursor } from "./transport";

/**
 * A pull subscription is kept while its answer stays small, and moved to the
 * new cursor once it carries this many updates (or is a full page). Why 16:
 * moving after every answer costs the server a second query run per remote
 * update (the new subscription's first run); keeping it for 16 updates costs
 * 1 + 1/16 runs per update, and an answer re-sends at most 15 already-applied
 * updates (a few hundred bytes at typing speed).
 */
export const PULL_MOVE_AFTER = 16;

type Answer<U> = { updates: U[]; cursor: NoteCursor | null; done: boolean };

/**
 * Follow one answer from `cursor`: the updates not applied yet (the
 * subscription may stand behind the cursor), the cursor after them, and
 * whether to move the subscription there (a full page, or a large answer).
 */
export function followAnswer<U extends { ts: bigint }>(
  answer: Answer<U>,
  cursor: NoteCursor | null,
): { fresh: U[]; cursor: NoteCursor | null; move: boolean } {
  const fresh = answer.updates.filter((u) => !cursor || u.ts > cursor.ts);
  const next = answer.cursor && (!cursor || answer.cursor.ts > cursor.ts) ? answer.cursor : cursor;
  return { fresh, cursor: next, move: !answer.done || answer.updates.length >= PULL_MOVE_AFTER };
}
