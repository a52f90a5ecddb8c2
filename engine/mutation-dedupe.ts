/**
 * Mutation de-duplication across reconnects, as production Convex does it.
 *
 * A `ConvexClient` keeps one `sessionId` for its lifetime (sent in every
 * `Connect`) and, after a reconnect, resends every mutation it has not seen
 * reflected in a Transition — with the same `requestId`, "safe since
 * mutations are idempotent" (`request_manager.ts`, `restart()`). The Convex
 * backend makes that true by remembering each committed mutation's outcome
 * per (sessionId, requestId) and answering a resend with it instead of
 * running the mutation again. Here the record is in memory (lost on an
 * engine restart) and bounded; failed mutations are not recorded (they
 * committed nothing, so a resend runs them again).
 */
import type { CallOutcome } from "./backend";

/** A committed mutation's answer: its outcome and commit ts. */
export type RecordedMutation = { outcome: CallOutcome; ts: bigint };

/**
 * How many (session, request) records are kept: far more than the mutations a
 * client can have in flight across one reconnect, while bounding memory.
 */
const MAX_RECORDS = 10_000;

/** Runs each (sessionId, requestId) mutation at most once while its record is kept. */
export class MutationDedupe {
  private readonly records = new Map<string, Promise<RecordedMutation>>();

  constructor(private readonly max: number = MAX_RECORDS) {}

  /**
   * Run `exec` for `key`, or answer with the outcome of the run already
   * recorded (or still running) under it. `key` null: no de-duplication.
   */
  async run(key: string | null, exec: () => Promise<RecordedMutation>): Promise<RecordedMutation> {
    if (key === null) return await exec();
    const known = this.records.get(key);
    if (known) {
      const prior = await known;
      if (prior.outcome.ok) return prior;
    }
    const running = exec();
    this.records.set(key, running);
    while (this.records.size > this.max) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
    const result = await running;
    if (!result.outcome.ok && this.records.get(key) === running) this.records.delete(key);
    return result;
  }
}
