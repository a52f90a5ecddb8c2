/**
 * Conflict-simulation mode (`occ: true` / `--occ`): what Convex's optimistic
 * concurrency control would do to this workload.
 *
 * Convex runs mutations concurrently, each on the snapshot at its start, and
 * at commit checks its read set (index ranges and documents read) against
 * every write committed since that snapshot; on overlap the mutation is
 * retried, and after {@link MAX_RETRIES} retries it fails. convex-test runs
 * transactions one at a time, so the simulator models the concurrency Convex
 * would have had: a mutation's window opens when the request *arrives* (when
 * Convex would have started it) and closes at its commit; everything other
 * transactions committed meanwhile (while it waited for its turn) counts as
 * concurrent. On overlap the commit is refused before any write lands (every
 * component rolls back), the conflict is counted per function, document and
 * table, and the mutation re-runs with a new window — Convex's retry.
 *
 * Windows: client calls (WebSocket, HTTP, `engine.run`) and crons open theirs
 * at arrival; scheduled functions at the commit that marked their job
 * in progress (matched first in, first out) — an approximation, see README.
 */
import type { UserIdentity } from "convex/server";
import type { Backend, CallOutcome, Commit, ResolvedFunction } from "../backend";
import {
  currentCallContext,
  observeTransactions,
  type TransactionObserver,
  type WriteLayer,
} from "../internals";
import type { Logger } from "../logger";
import { ReadSet } from "../read-set";
import type { StreamExtent } from "../sorted-index";
import { CommitLog } from "./commit-log";

/** Retries after a conflict before the mutation fails, as Convex gives up after a few. */
const MAX_RETRIES = 4;

/** Conflict counters (queryable by tests and bench). */
export type OccStats = {
  /** Commits refused because of a conflict (each causes a retry or a failure). */
  conflicts: number;
  /** Mutations re-run after a conflict. */
  retries: number;
  /** Mutations that failed after {@link MAX_RETRIES} retries. */
  failures: number;
  /** Committed transactions checked. */
  checked: number;
  byFunction: Record<string, number>;
  byDocument: Record<string, number>;
  byTable: Record<string, number>;
};

/** Thrown from the commit hook to refuse a conflicting commit. */
export class OccConflict extends Error {
  constructor(
    readonly table: string,
    readonly documentId: string,
  ) {
    super(
      `Documents read from or written to the "${table}" table changed while this mutation was being run and on every subsequent retry. Another call to this mutation changed the document with ID "${documentId}".`,
    );
    this.name = "OccConflict";
  }
}

type Tx = { readSet: ReadSet; arrival: number | null; udfPath: string; retryable: boolean };

/** Simulates OCC conflicts for one engine's backend. */
export class OccSimulator implements TransactionObserver {
  private readonly log = new CommitLog();
  private tx: Tx | null = null;
  private readonly scheduledStarts: Array<{ seq: number; name: string }> = [];
  private readonly counters: OccStats = {
    conflicts: 0,
    retries: 0,
    failures: 0,
    checked: 0,
    byFunction: {},
    byDocument: {},
    byTable: {},
  };

  constructor(
    private readonly backend: Backend,
    private readonly logger: Logger,
  ) {
    const root = backend.databases.get("");
    if (!root) throw new Error("occ: the app's database is not bound yet");
    observeTransactions(root, this);
    backend.windowStart = () => this.log.seq;
    backend.onCommit((c) => this.onCommit(c));
  }

  /** A copy of the counters. */
  stats(): OccStats {
    return structuredClone(this.counters);
  }

  /** The sequence number to open a window at now. */
  get seq(): number {
    return this.log.seq;
  }

  private onCommit(commit: Commit): void {
    this.log.append(commit);
    for (const c of commit.changes) {
      const state = (c.after as { state?: { kind?: string }; name?: string } | null)?.state?.kind;
      if (c.table === "_scheduled_functions" && state === "inProgress" && c.component === "") {
        this.scheduledStarts.push({
          seq: this.log.seq,
          name: String((c.after as { name?: string }).name),
        });
      }
    }
  }

  begin(): void {
    const ctx = currentCallContext()?.occ;
    const live = ctx?.open === true;
    this.tx = {
      readSet: new ReadSet(),
      arrival: live ? ctx.arrivalSeq : null,
      udfPath: live ? ctx.udfPath : "",
      retryable: live && ctx.retryable !== false,
    };
  }

  record(op: string, args: Record<string, unknown>, result?: Record<string, unknown>): void {
    this.tx?.readSet.record(op, args, result);
  }

  endQuery(queryId: number, extent: StreamExtent): void {
    this.tx?.readSet.endQuery(queryId, extent);
  }

  beforeCommit(_layer: WriteLayer): void {
    const tx = this.tx;
    if (!tx) return;
    const reads = tx.readSet;
    if (reads.tables.size === 0 && reads.ranges.length === 0 && reads.ids.size === 0) return;
    if (tx.arrival === null) {
      // A transaction no client call started: a scheduled function's body.
      const start = this.scheduledStarts.shift();
      tx.arrival = start?.seq ?? this.log.seq;
      tx.udfPath = start ? `${start.name} (scheduled)` : "(scheduled)";
    }
    this.counters.checked += 1;
    for (const commit of this.log.since(tx.arrival)) {
      for (const change of commit.changes) {
        if (!reads.intersectsChange(change)) continue;
        this.counters.conflicts += 1;
        this.bump("byFunction", tx.udfPath);
        this.bump("byDocument", change.id);
        this.bump("byTable", change.table);
        this.logger.debug(`occ: ${tx.udfPath} conflicts on ${change.table} ${change.id}`);
        if (!tx.retryable) {
          // A scheduled function: Convex retries it until it commits, and the
          // serialized run already read the latest state — count, then let it commit.
          this.counters.retries += 1;
          return;
        }
        throw new OccConflict(change.table, change.id);
      }
    }
  }

  end(): void {
    this.tx = null;
  }

  private bump(key: "byFunction" | "byDocument" | "byTable", name: string): void {
    this.counters[key][name] = (this.counters[key][name] ?? 0) + 1;
  }

  /** Run a mutation as Convex would under OCC: retried on conflict, failing after {@link MAX_RETRIES}. */
  async runMutation(
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    arrivalSeq?: number,
  ) {
    let arrival = arrivalSeq ?? this.log.seq;
    let outcome: CallOutcome = { ok: false, message: "not run", logLines: [] };
    for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
      const occ = { udfPath: fn.udfPath, arrivalSeq: arrival, open: true };
      let conflicted = false;
      outcome = await this.backend.call(fn, args, identity, {
        occ,
        onError: (e) => {
          conflicted = e instanceof OccConflict;
        },
      });
      occ.open = false;
      if (!conflicted) return outcome;
      if (attempt < MAX_RETRIES) this.counters.retries += 1;
      arrival = this.log.seq;
    }
    this.counters.failures += 1;
    return outcome;
  }
}
