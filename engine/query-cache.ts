/**
 * Runs subscription queries with read tracking, sharing one execution between
 * every subscriber of the same (function, arguments, identity) until the next
 * commit. Twenty clients of one meeting that subscribe with the same identity
 * (or to identity-free queries) cost one execution per commit, not twenty.
 */
import type { UserIdentity } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import type { CallOutcome, ResolvedFunction } from "./backend";
import type { JournalSlot } from "./paginate";
import { ReadSet } from "./read-set";

/** A query's outcome, what it read, and the journal it produced (pagination end cursor). */
export type TrackedResult = { outcome: CallOutcome; readSet: ReadSet; journal: string | null };

type Exec = (
  fn: ResolvedFunction,
  args: unknown,
  identity: UserIdentity | null,
  readSet: ReadSet,
  journal: JournalSlot,
) => Promise<CallOutcome>;

/** The cache key of a query run: path, JSON-encoded args, identity, journal. */
export function cacheKey(
  udfPath: string,
  argsJson: string,
  identity: UserIdentity | null,
  journal: string | null = null,
): string {
  return `${udfPath}\u0000${argsJson}\u0000${identity ? JSON.stringify(identity) : ""}\u0000${journal ?? ""}`;
}

/** The per-engine cache of query executions, emptied at every commit. */
export class QueryCache {
  private generation = 0;
  private readonly entries = new Map<
    string,
    { generation: number; result: Promise<TrackedResult> }
  >();

  constructor(private readonly exec: Exec) {}

  /** Forget every cached result (call on each commit). */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /**
   * Run (or share the current run of) `fn(args)` as `identity` with query
   * journal `journal`. `key` must identify (function, args, identity,
   * journal); computed from them when omitted.
   */
  run(
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    key?: string,
    journal: string | null = null,
  ): Promise<TrackedResult> {
    key ??= cacheKey(fn.udfPath, JSON.stringify(convexToJson(args as Value)), identity, journal);
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation) return hit.result;
    const readSet = new ReadSet();
    const slot: JournalSlot = { in: journal, out: null };
    const result = this.exec(fn, args, identity, readSet, slot).then((outcome) => {
      readSet.close();
      return { outcome, readSet, journal: slot.out ?? journal };
    });
    this.entries.set(key, { generation: this.generation, result });
    return result;
  }
}
