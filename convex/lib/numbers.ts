/**
 * Numbers from clients, checked in one place. `v.number()` lets NaN,
 * ±Infinity and -0 through; each would otherwise reach `.take()`, an index
 * range or a stored row. Refusals are `VALIDATION_ERROR` (thrown for queries,
 * answered as values by the hot-path mutations through {@link yjsClientId}).
 */
import { appError } from "./errors";

/**
 * A page size from a client: `undefined` → `fallback`; a finite number is
 * floored and clamped to `1…max` (as the API always did); NaN or ±Infinity
 * throw VALIDATION_ERROR.
 */
export function pageSize(limit: number | undefined, max: number, fallback: number = max): number {
  if (limit === undefined) return fallback;
  if (!Number.isFinite(limit))
    throw appError("VALIDATION_ERROR", `limit must be a number in 1–${max}`);
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Throw VALIDATION_ERROR unless `value` is a finite number (NaN and ±Infinity are not). */
export function requireFinite(name: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) {
    throw appError("VALIDATION_ERROR", `${name} must be a finite number`);
  }
}

/**
 * A Yjs client id as Yjs itself reads it from an update: an unsigned 32-bit
 * integer, with `-0` normalised to `0` (both encode as the varuint 0, so they
 * must never be two registrations). Null when it is not one.
 */
export function yjsClientId(id: number): number | null {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) return null;
  return id === 0 ? 0 : id;
}

/** True for a non-negative safe integer (counters and clocks from clients). */
export function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
