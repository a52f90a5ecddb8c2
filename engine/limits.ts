/**
 * Convex limits that `convex-test` does not enforce (its `transactionLimits`
 * cover bytes and documents read and written per transaction): a document is
 * at most 1 MiB and holds arrays of at most 8,192 elements; a call's arguments
 * are at most 16 MiB (docs.convex.dev/production/state/limits). The engine
 * checks them on every write and call, and the test harness
 * (`tests/harness/limits.ts`) uses the same checks, so code that passes
 * locally does not fail in production for them.
 */
import { getConvexSize, jsonToConvex, type Value } from "convex/values";

/** Convex's limits. */
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

/** Throws when a call's arguments exceed Convex's limit; returns their size. */
export function assertArgumentsWithinLimits(fn: string, args: Value): number {
  const size = getConvexSize(args);
  if (size > CONVEX_LIMITS.argumentBytes) {
    throw new Error(
      `Arguments to ${fn} are too large (${size} bytes > ${CONVEX_LIMITS.argumentBytes})`,
    );
  }
  return size;
}

const WRITE_OPS = new Set(["1.0/insert", "1.0/shallowMerge", "1.0/replace"]);

/**
 * Writes whose syscall JSON is shorter than this cannot break either limit, so they are not
 * parsed again. Why 16,000: an array of more than 8,192 elements takes at least 2 JSON
 * characters per element, and no value's Convex size is more than 9× its JSON text (a
 * one-digit number is 9 bytes), so 16,000 characters are far below 1 MiB. Measured need: the
 * second parse and size walk of every write was ~3% of issue 19's messages import.
 */
const SHORT_WRITE_CHARS = 16_000;

/**
 * Checks the value of a write syscall (`1.0/insert`, `1.0/shallowMerge`,
 * `1.0/replace`; others pass). A `shallowMerge` carries only the patched
 * fields, so for patches this sees those fields, not the merged document.
 */
export function checkWriteSyscall(op: string, json: string): void {
  if (json.length < SHORT_WRITE_CHARS || !WRITE_OPS.has(op)) return;
  const args = JSON.parse(json) as { table?: string; id?: string; value: unknown };
  let value = args.value;
  if (op === "1.0/shallowMerge" && value !== null && typeof value === "object") {
    // A patch removes a field by sending it as `{$undefined: null}`; that is not a stored value.
    value = Object.fromEntries(
      Object.entries(value).filter(
        ([, v]) => !(v !== null && typeof v === "object" && "$undefined" in v),
      ),
    );
  }
  assertDocumentWithinLimits(args.table ?? args.id ?? "?", jsonToConvex(value as never));
}
