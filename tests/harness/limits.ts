/**
 * Convex limits that `convex-test` does not enforce (its `transactionLimits`
 * cover bytes and documents read/written per transaction), checked on every
 * write and call the tests make, so code that passes here does not fail in
 * production for them:
 * - a document is at most 1 MiB and holds arrays of at most 8,192 elements;
 * - the arguments of one call are at most 16 MiB;
 * - one query or mutation runs at most 1 s (reported, not enforced: wall time
 *   on a shared CI machine is not the deployment's CPU time).
 *
 * The check sits on the `Convex.asyncSyscall` global that convex-test installs
 * (the same boundary the real runtime crosses), so it sees every insert,
 * patch and replace whatever code path made it.
 */
import { getConvexSize, jsonToConvex, type Value } from "convex/values";

/** Convex's limits (docs.convex.dev/production/state/limits). */
export const CONVEX_LIMITS = {
  /** Max size of one document. */
  documentBytes: 1 << 20,
  /** Max elements of one array value. */
  arrayElements: 8192,
  /** Max size of a function's arguments. */
  argumentBytes: 16 << 20,
  /** Max execution time of a query or mutation. */
  queryOrMutationMs: 1000,
} as const;

/** Calls that took more than this share of a limit are reported. */
const NEAR_LIMIT_SHARE = 0.5;

/** One observation of a function coming close to a limit. */
export type NearLimit = { fn: string; measure: string; value: number; limit: number };
const nearLimits: NearLimit[] = [];

/** What the tests saw come close to a Convex limit so far (in this worker). */
export function nearLimitReport(): readonly NearLimit[] {
  return nearLimits;
}

function longestArray(v: Value): number {
  if (Array.isArray(v)) return Math.max(v.length, ...v.map(longestArray));
  if (v !== null && typeof v === "object" && !(v instanceof ArrayBuffer)) {
    return Math.max(0, ...Object.values(v as Record<string, Value>).map(longestArray));
  }
  return 0;
}

/** Throws like Convex does when one written value breaks a document limit. */
export function assertDocumentWithinLimits(table: string, value: Value): void {
  const size = getConvexSize(value);
  if (size > CONVEX_LIMITS.documentBytes) {
    throw new Error(
      `Document in table "${table}" is too large (${size} bytes > ${CONVEX_LIMITS.documentBytes} bytes, Convex's limit)`,
    );
  }
  const longest = longestArray(value);
  if (longest > CONVEX_LIMITS.arrayElements) {
    throw new Error(
      `Document in table "${table}" holds an array of ${longest} elements (> ${CONVEX_LIMITS.arrayElements}, Convex's limit)`,
    );
  }
}

/** Throws when a call's arguments exceed Convex's limit. */
export function assertArgumentsWithinLimits(fn: string, args: Value): void {
  const size = getConvexSize(args);
  if (size > CONVEX_LIMITS.argumentBytes) {
    throw new Error(
      `Arguments to ${fn} are too large (${size} bytes > ${CONVEX_LIMITS.argumentBytes})`,
    );
  }
  if (size > CONVEX_LIMITS.argumentBytes * NEAR_LIMIT_SHARE) {
    nearLimits.push({
      fn,
      measure: "argumentBytes",
      value: size,
      limit: CONVEX_LIMITS.argumentBytes,
    });
  }
}

/** Records a query or mutation that ran for more than half of Convex's limit. */
export function recordDuration(fn: string, ms: number): void {
  if (ms > CONVEX_LIMITS.queryOrMutationMs * NEAR_LIMIT_SHARE) {
    nearLimits.push({
      fn,
      measure: "ms",
      value: Math.round(ms),
      limit: CONVEX_LIMITS.queryOrMutationMs,
    });
  }
}

type SyscallGlobal = {
  syscall: (op: string, json: string) => string;
  asyncSyscall: (op: string, json: string) => Promise<string>;
  jsSyscall: (op: string, args: Record<string, unknown>) => unknown;
};
const WRITE_OPS = new Set(["1.0/insert", "1.0/shallowMerge", "1.0/replace"]);
let installed = false;

function checkWrite(op: string, json: string): void {
  if (!WRITE_OPS.has(op)) return;
  const args = JSON.parse(json) as { table?: string; id?: string; value: unknown };
  // shallowMerge carries only the patch; the merged document is checked by
  // Convex itself in production, so this sees the patched fields only.
  assertDocumentWithinLimits(args.table ?? args.id ?? "?", jsonToConvex(args.value as never));
}

/**
 * Wraps convex-test's `globalThis.Convex` syscall proxy (installed by the
 * first `convexTest()` call) with the document checks. Idempotent.
 */
export function installDocumentLimitChecks(): void {
  if (installed) return;
  const g = globalThis as unknown as { Convex?: SyscallGlobal };
  const inner = g.Convex;
  if (!inner)
    throw new Error("convex-test has not installed globalThis.Convex yet: call convexTest() first");
  installed = true;
  g.Convex = {
    get syscall() {
      const f = inner.syscall;
      return (op: string, json: string) => {
        checkWrite(op, json);
        return f(op, json);
      };
    },
    get asyncSyscall() {
      const f = inner.asyncSyscall;
      return (op: string, json: string) => {
        checkWrite(op, json);
        return f(op, json);
      };
    },
    get jsSyscall() {
      return inner.jsSyscall;
    },
  };
}
