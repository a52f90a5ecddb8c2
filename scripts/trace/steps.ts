/**
 * Small steps shared by the trace replays (`replay.ts`, `concurrent.ts`):
 * waiting for a condition, and stamping timeline checkpoints.
 */
import type { ConvexClient } from "convex/browser";
import type { Id } from "../../convex/_generated/dataModel";
import type { NotesProvider } from "../../crdt/provider";

/** Why: generous bounds for the projector and subscriptions to catch up on 2 cores. */
export const CONVERGE_TIMEOUT_MS = 180_000;

/** One agent of a replay: its client, user and notes provider. */
export type Person = {
  client: ConvexClient;
  userId: Id<"users">;
  provider: NotesProvider<Id<"meetings">>;
};

/** A timeline checkpoint to read back: the wall-clock instant just after txn `txnIndex`. */
export type Stamp = { txnIndex: number; t: number; expected: string };

/** Sleep `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `pred` holds, at most `ms` (throws naming `what` after that). */
export async function until(what: string, pred: () => boolean | Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

/** Record "the server state now includes txn i": wall-clock t, then let the clock move on. */
export async function stamp(stamps: Stamp[], txnIndex: number, expected: string) {
  stamps.push({ txnIndex, t: Date.now(), expected });
  // The next append must carry a later `at` than t (ms resolution).
  await sleep(2);
}
