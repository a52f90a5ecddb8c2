/**
 * Runs subscription queries with read tracking, sharing one execution between
 * subscribers until the next commit, as Convex's query cache does:
 *
 * - a query that never asked for its caller's identity (`ctx.auth.getUserIdentity()`)
 *   depends only on its arguments and the data, so one run serves every caller of the
 *   same (function, arguments, journal), whoever they are;
 * - a query that did is shared only between callers of the same identity.
 *
 * Whether a run reads auth is known only when it ends, and after a commit every
 * subscriber's rerun starts at once. So the cache remembers, per (function,
 * arguments, journal), whether the last run read auth: if it did not, the next
 * generation's first caller starts a run under the identity-free key and the
 * others wait for it; should that run read auth after all (another code path), each
 * waiter of another identity runs its own. Fifty subscribers of a meeting's
 * identity-free room queries cost one execution per commit, not fifty.
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

/** The cache keys of a query run: as this identity, and for any identity. */
export type CacheKeys = { own: string; shared: string };

/** Bound on the remembered "last run read no auth" answers (cleared when reached). */
const MAX_HINTS = 10_000;

/** The cache keys of a query run of a function, JSON-encoded args, identity, journal. */
export function cacheKeys(
  fn: Pick<ResolvedFunction, "udfPath" | "componentPath">,
  argsJson: string,
  identity: UserIdentity | null,
  journal: string | null = null,
): CacheKeys {
  const base = `${fn.componentPath ?? ""}\u0000${fn.udfPath}\u0000${argsJson}\u0000`;
  const tail = `\u0000${journal ?? ""}`;
  return {
    own: `${base}${identity ? JSON.stringify(identity) : ""}${tail}`,
    shared: `${base}*${tail}`,
  };
}

type Entry = {
  generation: number;
  /** Who the run ran as (its identity's JSON, "" for none). */
  as: string;
  result: Promise<TrackedResult>;
};

/** The per-engine cache of query executions, emptied at every commit. */
export class QueryCache {
  private generation = 0;
  private readonly entries = new Map<string, Entry>();
  /** Per shared key: did the last run of it read auth? */
  private readonly readsAuth = new Map<string, boolean>();

  constructor(private readonly exec: Exec) {}

  /** Forget every cached result (call on each commit). */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /**
   * Run (or share the current run of) `fn(args)` as `identity` with query
   * journal `journal`. `keys` must be {@link cacheKeys} of (function, args,
   * identity, journal); computed from them when omitted.
   */
  run(
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    keys?: CacheKeys,
    journal: string | null = null,
  ): Promise<TrackedResult> {
    keys ??= cacheKeys(fn, JSON.stringify(convexToJson(args as Value)), identity, journal);
    const as = identity ? JSON.stringify(identity) : "";
    const own = this.current(keys.own);
    if (own) return own.result;
    const shared = this.current(keys.shared);
    if (shared) {
      if (shared.as === as) return shared.result;
      return shared.result.then((r) =>
        r.readSet.readsAuth ? this.start(fn, args, identity, keys, journal, as, false) : r,
      );
    }
    const likelyShared = this.readsAuth.get(keys.shared) === false;
    return this.start(fn, args, identity, keys, journal, as, likelyShared);
  }

  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    return entry && entry.generation === this.generation ? entry : undefined;
  }

  private start(
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    keys: CacheKeys,
    journal: string | null,
    as: string,
    underShared: boolean,
  ): Promise<TrackedResult> {
    const existing = this.current(keys.own);
    if (existing) return existing.result;
    const generation = this.generation;
    const readSet = new ReadSet();
    const slot: JournalSlot = { in: journal, out: null };
    const result = this.exec(fn, args, identity, readSet, slot).then((outcome) => {
      readSet.close();
      this.learn(keys, readSet.readsAuth, generation, entry);
      return { outcome, readSet, journal: slot.out ?? journal };
    });
    const entry: Entry = { generation, as, result };
    this.entries.set(keys.own, entry);
    if (underShared) this.entries.set(keys.shared, entry);
    return result;
  }

  /** Remember whether `keys`' run read auth; share a run that did not with other identities. */
  private learn(keys: CacheKeys, readsAuth: boolean, generation: number, entry: Entry): void {
    if (this.readsAuth.size >= MAX_HINTS && !this.readsAuth.has(keys.shared)) {
      this.readsAuth.clear();
    }
    this.readsAuth.set(keys.shared, readsAuth);
    if (generation !== this.generation) return;
    if (readsAuth) {
      if (this.entries.get(keys.shared) === entry) this.entries.delete(keys.shared);
    } else if (!this.current(keys.shared)) {
      this.entries.set(keys.shared, entry);
    }
  }
}
