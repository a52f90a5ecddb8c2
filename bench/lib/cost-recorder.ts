/**
 * Per-call cost of every Convex function run in-process (issue 8 item 3):
 * documents and bytes read/written, index ranges, scheduled calls, wall and
 * CPU time — per function path, from convex-test's own per-transaction
 * metrics tracker (`TransactionMetricsTracker`, the same counters its
 * `transactionLimits` enforce).
 *
 * Mechanism: the tracker's prototype is wrapped once (root `startTransaction`
 * = a top-level query/mutation begins; root `commit`/`rollback` = it ends, its
 * metrics still readable), and each function's `_handler` is wrapped by the
 * module importer to name the transaction (the first handler entered in a
 * root transaction is the top-level function; convex-test serializes
 * top-level transactions).
 */
import { performance } from "node:perf_hooks";
import { TransactionMetricsTracker } from "convex-test/dist/transactionMetrics.js";
import { type Summary, summarize } from "./stats";

/** Function kinds convex-test runs in a transaction. */
export type TxKind = "query" | "mutation";

type Raw = {
  kind: TxKind;
  calls: number;
  errors: number;
  documentsRead: number[];
  documentsWritten: number[];
  bytesRead: number[];
  bytesWritten: number[];
  databaseQueries: number[];
  functionsScheduled: number[];
  wallMs: number[];
  cpuMs: number[];
};

/** The cost of one function, summarized over its calls. */
export type FunctionCost = {
  path: string;
  kind: TxKind;
  calls: number;
  errors: number;
  documentsRead: Summary;
  documentsWritten: Summary;
  bytesRead: Summary;
  bytesWritten: Summary;
  indexRanges: Summary;
  scheduled: Summary;
  wallMs: Summary;
  cpuMs: Summary;
};

type Metrics = ReturnType<TransactionMetricsTracker["getTransactionMetrics"]>;
type Open = { path: string | null; kind: TxKind; t0: number; cpu0: NodeJS.CpuUsage };

const active = new Set<CostRecorder>();
let installed = false;

function layersOf(tracker: TransactionMetricsTracker): number {
  const layers = (tracker as unknown as { _layers?: unknown[] })._layers;
  return Array.isArray(layers) ? layers.length : 0;
}

function installTrackerHooks(): void {
  if (installed) return;
  installed = true;
  const proto = TransactionMetricsTracker.prototype;
  const start = proto.startTransaction;
  const commit = proto.commit;
  const rollback = proto.rollback;
  proto.startTransaction = function (this: TransactionMetricsTracker, limits) {
    if (layersOf(this) === 0) for (const r of active) r.rootStart();
    return start.call(this, limits);
  };
  proto.commit = function (this: TransactionMetricsTracker) {
    if (layersOf(this) === 1) {
      const m = this.getTransactionMetrics();
      for (const r of active) r.rootEnd(m, true);
    }
    return commit.call(this);
  };
  proto.rollback = function (this: TransactionMetricsTracker) {
    if (layersOf(this) === 1) {
      const m = this.getTransactionMetrics();
      for (const r of active) r.rootEnd(m, false);
    }
    return rollback.call(this);
  };
}

/** Records per-function transaction costs while active. */
export class CostRecorder {
  private open: Open | null = null;
  private readonly raw = new Map<string, Raw>();

  /** Start recording (several recorders may be active: each sees every call). */
  activate(): this {
    installTrackerHooks();
    active.add(this);
    return this;
  }

  /** Stop recording. */
  deactivate(): void {
    active.delete(this);
    this.open = null;
  }

  /** Forget what was recorded (e.g. after seeding). */
  reset(): void {
    this.raw.clear();
  }

  /** @internal a root transaction began. */
  rootStart(): void {
    this.open = { path: null, kind: "query", t0: performance.now(), cpu0: process.cpuUsage() };
  }

  /** @internal a wrapped handler was entered. */
  enter(path: string, kind: TxKind): void {
    if (this.open && this.open.path === null) {
      this.open.path = path;
      this.open.kind = kind;
    }
  }

  /** @internal a root transaction ends (metrics before the layer is popped). */
  rootEnd(m: Metrics, committed: boolean): void {
    const o = this.open;
    this.open = null;
    if (!o || o.path === null) return; // t.run(...) blocks and component-only calls: not ours
    const cpu = process.cpuUsage(o.cpu0);
    let r = this.raw.get(o.path);
    if (!r) {
      r = {
        kind: o.kind,
        calls: 0,
        errors: 0,
        documentsRead: [],
        documentsWritten: [],
        bytesRead: [],
        bytesWritten: [],
        databaseQueries: [],
        functionsScheduled: [],
        wallMs: [],
        cpuMs: [],
      };
      this.raw.set(o.path, r);
    }
    r.calls++;
    // A mutation that rolls back failed; a query always "rolls back".
    if (o.kind === "mutation" && !committed) r.errors++;
    r.documentsRead.push(m.documentsRead.used);
    r.documentsWritten.push(m.documentsWritten.used);
    r.bytesRead.push(m.bytesRead.used);
    r.bytesWritten.push(m.bytesWritten.used);
    r.databaseQueries.push(m.databaseQueries.used);
    r.functionsScheduled.push(m.functionsScheduled.used);
    r.wallMs.push(performance.now() - o.t0);
    r.cpuMs.push((cpu.user + cpu.system) / 1000);
  }

  /** Costs per function path, most-called first. */
  costs(): FunctionCost[] {
    return [...this.raw.entries()]
      .map(([path, r]) => ({
        path,
        kind: r.kind,
        calls: r.calls,
        errors: r.errors,
        documentsRead: summarize(r.documentsRead),
        documentsWritten: summarize(r.documentsWritten),
        bytesRead: summarize(r.bytesRead),
        bytesWritten: summarize(r.bytesWritten),
        indexRanges: summarize(r.databaseQueries),
        scheduled: summarize(r.functionsScheduled),
        wallMs: summarize(r.wallMs),
        cpuMs: summarize(r.cpuMs),
      }))
      .sort((a, b) => b.calls - a.calls);
  }
}

const WRAPPED = Symbol.for("connvo.bench.wrapped");

type RegisteredFn = {
  _handler?: (...a: unknown[]) => unknown;
  isQuery?: boolean;
  isMutation?: boolean;
  [WRAPPED]?: true;
};

/**
 * Wrap every query/mutation export of a loaded module so the active recorder
 * learns which function a transaction runs. Idempotent per function object.
 */
export function wrapModuleHandlers(modulePath: string, mod: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== "function" && (typeof value !== "object" || value === null)) continue;
    const fn = value as RegisteredFn;
    if (fn[WRAPPED] || typeof fn._handler !== "function") continue;
    const kind: TxKind | null = fn.isQuery ? "query" : fn.isMutation ? "mutation" : null;
    if (!kind) continue;
    const path = `${modulePath}:${name}`;
    const inner = fn._handler;
    fn._handler = function (this: unknown, ...a: unknown[]) {
      // Generic runners (one projector mutation for every projection) are named by their target.
      const args = a[1] as { projection?: unknown } | undefined;
      const named = typeof args?.projection === "string" ? `${path}[${args.projection}]` : path;
      for (const r of active) r.enter(named, kind);
      return inner.apply(this, a);
    };
    fn[WRAPPED] = true;
  }
}
