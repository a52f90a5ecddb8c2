/**
 * Convex's rules for ids and the `_scheduled_functions` system table, applied
 * to convex-test's `DatabaseFake` (installed once by `internals.ts`):
 *
 * - **Ids are unguessable**: convex-test numbers documents 10000, 10001, …;
 *   here the numeric part is 26 random decimal digits (~86 bits from
 *   `crypto.getRandomValues`, drawn from a pool), so an id says nothing about other ids or about
 *   how many documents exist. The `<digits><table>` shape stays (convex-test
 *   reads the table from it).
 * - **`_scheduled_functions` rows** read as on Convex: `name` is
 *   `"<module path>.js:<export>"` (convex-test stores `module:export`), and
 *   `completedTime` is set when a job reaches success, failure or
 *   cancellation (convex-test sets it only on failure).
 */
import type { FakeDatabase } from "./store-types";

/** Random digits in an id: 10^26 ≈ 2^86 possibilities. */
const ID_DIGITS = 26;
const FINAL_STATES = new Set(["success", "failed", "canceled"]);

/**
 * Random bytes drawn 4 KiB at a time. Why: one `getRandomValues` call per id cost ~4% of an
 * import's CPU (the call, not the bytes, is what costs); a pool makes it one call per ~150 ids.
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolAt = POOL_BYTES;

function randomByte(): number {
  if (poolAt === POOL_BYTES) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

function randomDigits(n: number): string {
  let out = "";
  while (out.length < n) {
    const b = randomByte();
    // Reject 250..255 so every digit is uniform.
    if (b < 250) out += String(b % 10);
  }
  return out;
}

/** A fresh unguessable id in `table`. */
export function randomId(table: string): string {
  return `${randomDigits(ID_DIGITS)}${table}`;
}

/** Convex's `_scheduled_functions.name` for a function path (`lib/a:b` → `lib/a.js:b`). */
export function scheduledFunctionName(udfPath: string): string {
  const i = udfPath.lastIndexOf(":");
  let module = i === -1 ? udfPath : udfPath.slice(0, i);
  const exportName = i === -1 ? "default" : udfPath.slice(i + 1);
  if (!module.endsWith(".js")) module = `${module}.js`;
  return `${module}:${exportName}`;
}

type RuleDb = FakeDatabase & { _generateId(table: string): string };

/** Patch id generation, inserts and patches on convex-test's `DatabaseFake` prototype. */
export function installStoreRules(proto: FakeDatabase): void {
  const p = proto as RuleDb;
  const insert = p.insert;
  const patch = p.patch;
  p._generateId = (table: string) => randomId(table);
  p.insert = function (this: RuleDb, table: string, value: Record<string, unknown>) {
    if (table === "_scheduled_functions" && typeof value.name === "string") {
      return insert.call(this, table, { ...value, name: scheduledFunctionName(value.name) });
    }
    return insert.call(this, table, value);
  };
  p.patch = function (this: RuleDb, table: string, id: string, value: Record<string, unknown>) {
    const state = value.state as { kind?: unknown } | undefined;
    if (
      table === "_scheduled_functions" &&
      value.completedTime === undefined &&
      typeof state?.kind === "string" &&
      FINAL_STATES.has(state.kind)
    ) {
      return patch.call(this, table, id, { ...value, completedTime: Date.now() });
    }
    return patch.call(this, table, id, value);
  };
}
