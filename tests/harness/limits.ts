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
 * The checks themselves live in `engine/limits.ts` (the engine applies them
 * too). The check sits on the `Convex.asyncSyscall` global that convex-test installs
 * (the same boundary the real runtime crosses), so it sees every insert,
 * patch and replace whatever code path made it.
 */
import type { Value } from "convex/values";
import {
  assertArgumentsWithinLimits as assertArgs,
  CONVEX_LIMITS,
  checkWriteSyscall,
} from "../../engine/limits";

export { assertDocumentWithinLimits, CONVEX_LIMITS } from "../../engine/limits";

/** Calls that took more than this share of a limit are reported. */
const NEAR_LIMIT_SHARE = 0.5;

/** One observation of a function coming close to a limit. */
export type NearLimit = { fn: string; measure: string; value: number; limit: number };
const nearLimits: NearLimit[] = [];

/** What the tests saw come close to a Convex limit so far (in this worker). */
export function nearLimitReport(): readonly NearLimit[] {
  return nearLimits;
}

/** Throws when a call's arguments exceed Convex's limit. */
export function assertArgumentsWithinLimits(fn: string, args: Value): void {
  const size = assertArgs(fn, args);
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
let installed = false;

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
        checkWriteSyscall(op, json);
        return f(op, json);
      };
    },
    get asyncSyscall() {
      const f = inner.asyncSyscall;
      return (op: string, json: string) => {
        checkWriteSyscall(op, json);
        return f(op, json);
      };
    },
    get jsSyscall() {
      return inner.jsSyscall;
    },
  };
}
