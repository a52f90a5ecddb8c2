/**
 * Query return-value validation without exceptions on the success path.
 *
 * Why: convex-test 0.0.60 validates a result by recursion that *throws* out of
 * every union branch that does not match (`v.union(v.number(), v.null())`
 * holding null throws once, a page of segments with nullable fields dozens of
 * times), and each throw captures a stack. Under fifty subscribers that was
 * 17 % of the engine's CPU (issue 20). Here the same rules are checked as a
 * predicate; only a result that fails is walked again by the throwing form, so
 * the message is convex-test's own (`Return value validation failed for query
 * "m:f":\nValidator error: …`).
 *
 * Installed per query export by `modules.ts`: the handler is wrapped to check
 * its result, and `exportReturns()` then answers `null` so convex-test does
 * not check it a second time. Every way convex-test runs a query (a client's
 * call, a subscription, `ctx.runQuery`) reaches the wrapped handler. The check
 * sees the handler's value before its JSON round trip, which differs only for
 * values that round trip would refuse anyway (`undefined` as the whole result
 * is read as `null`, as the round trip makes it).
 */
import { CommitTsPlaceholder } from "convex/values";

/** A validator as `exportReturns()` serializes it (`convex/values` `ValidatorJSON`). */
export type ValidatorJson =
  | { type: "null" | "number" | "bigint" | "boolean" | "string" | "bytes" | "any" | "commitTs" }
  | { type: "literal"; value: unknown }
  | { type: "id"; tableName: string }
  | { type: "array"; value: ValidatorJson }
  | { type: "union"; value: ValidatorJson[] }
  | { type: "object"; value: Record<string, { fieldType: ValidatorJson; optional: boolean }> }
  | { type: "record"; keys: ValidatorJson; values: { fieldType: ValidatorJson } };

function tableNameFromId(id: string): string | null {
  const m = /^[0-9]+/.exec(id);
  if (!m || m[0].length === id.length) return null;
  return id.slice(m[0].length);
}

/** convex-test's `isSimpleObject`. */
function isSimpleObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return proto === null || proto === Object.prototype || proto?.constructor?.name === "Object";
}

/**
 * True when convex-test's `validateValidator(validator, value)` would not
 * throw. Validator types it does not check (it has no case for them) pass.
 */
export function matches(validator: ValidatorJson, value: unknown): boolean {
  switch (validator.type) {
    case "null":
      return value === null;
    case "number":
      return typeof value === "number";
    case "bigint":
      return typeof value === "bigint";
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "bytes":
      return value instanceof ArrayBuffer;
    case "any":
      return true;
    case "commitTs":
      // Placeholders exist only inside mutations (a document being written, `doc-validation.ts`);
      // a query's result never holds one.
      return typeof value === "bigint" || value instanceof CommitTsPlaceholder;
    case "literal":
      return value === validator.value;
    case "id":
      return typeof value === "string" && tableNameFromId(value) === validator.tableName;
    case "array":
      if (!Array.isArray(value)) return false;
      for (const v of value) if (!matches(validator.value, v)) return false;
      return true;
    case "union":
      for (const v of validator.value) if (matches(v, value)) return true;
      return false;
    case "object": {
      if (typeof value !== "object" || value === null || !isSimpleObject(value)) {
        // convex-test reads `typeof null === "object"` and then fails on its prototype.
        return false;
      }
      const record = value as Record<string, unknown>;
      for (const [k, { fieldType, optional }] of Object.entries(validator.value)) {
        const field = record[k];
        if (field === undefined) {
          if (!optional) return false;
        } else if (!matches(fieldType, field)) return false;
      }
      for (const k of Object.keys(record)) if (validator.value[k] === undefined) return false;
      return true;
    }
    default:
      return true;
  }
}

/** The first mismatch, worded as convex-test words it (only called once `matches` failed). */
export function mismatch(validator: ValidatorJson, value: unknown): string | null {
  const got = (v: unknown) => `\`${String(v)}\``;
  if (matches(validator, value)) return null;
  switch (validator.type) {
    case "null":
      return `Validator error: Expected \`null\`, got ${got(value)}`;
    case "number":
    case "bigint":
    case "boolean":
    case "string":
      return `Validator error: Expected \`${validator.type}\`, got ${got(value)}`;
    case "commitTs":
      return `Validator error: Expected \`v.commitTs()\`, got ${got(value)}`;
    case "bytes":
      return `Validator error: Expected \`ArrayBuffer\`, got ${got(value)}`;
    case "literal":
      return `Validator error: Expected \`${String(validator.value)}\`, got ${got(value)}`;
    case "id":
      return typeof value !== "string"
        ? `Validator error: Expected \`string\`, got ${got(value)}`
        : `Validator error: Expected ID for table "${validator.tableName}", got ${got(value)}`;
    case "array":
      if (!Array.isArray(value)) return `Validator error: Expected \`Array\`, got ${got(value)}`;
      for (const v of value) {
        const m = mismatch(validator.value, v);
        if (m) return m;
      }
      return null;
    case "union":
      return `Validator error: Expected one of ${validator.value.map((v) => v.type).join(", ")}, got \`${safeJson(value)}\``;
    case "object": {
      if (typeof value !== "object")
        return `Validator error: Expected \`object\`, got ${got(value)}`;
      if (value === null || !isSimpleObject(value)) {
        return `Validator error: Expected a plain old JavaScript \`object\`, got ${got(value)}`;
      }
      const record = value as Record<string, unknown>;
      for (const [k, { fieldType, optional }] of Object.entries(validator.value)) {
        if (record[k] === undefined) {
          if (!optional) return `Validator error: Missing required field \`${k}\` in object`;
        } else {
          const m = mismatch(fieldType, record[k]);
          if (m) return m;
        }
      }
      for (const k of Object.keys(record)) {
        if (validator.value[k] === undefined)
          return `Validator error: Unexpected field \`${k}\` in object`;
      }
      return null;
    }
    default:
      return null;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return String(value);
  }
}

type QueryExport = {
  isQuery?: boolean;
  exportReturns?: () => string;
  _handler?: (ctx: unknown, args: unknown) => unknown;
};

const wrapped = new WeakSet<object>();

/**
 * Move `fn`'s return-value check (a query export with a `returns` validator)
 * into its handler, as above. `udfPath` names it in the error (`module:export`).
 */
export function checkReturnsInHandler(fn: QueryExport, udfPath: string): void {
  if (!fn.isQuery || wrapped.has(fn) || typeof fn._handler !== "function") return;
  if (typeof fn.exportReturns !== "function") return;
  const validator = JSON.parse(fn.exportReturns()) as ValidatorJson | null;
  if (validator === null) return;
  const handler = fn._handler;
  fn._handler = async (ctx: unknown, args: unknown) => {
    const result = await handler(ctx, args);
    const value = result === undefined ? null : result;
    if (!matches(validator, value)) {
      throw new Error(
        `Return value validation failed for query "${udfPath}":\n${mismatch(validator, value) ?? ""}`,
      );
    }
    return result;
  };
  fn.exportReturns = () => "null";
  wrapped.add(fn);
}
