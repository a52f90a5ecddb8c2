/**
 * Argument validation with Convex's wording. Convex validates a call's
 * arguments against the function's exported validator before running it and
 * answers `ArgumentValidationError: ...` (the backend's `validator.rs`):
 *
 * - `Object is missing the required field \`f\`. Consider wrapping the field
 *   validator in \`v.optional(...)\` if this is expected.` + Object/Validator
 * - `Object contains extra field \`f\` that is not in the validator.` +
 *   Object/Validator
 * - `Value does not match validator.` + Path/Value/Validator
 *
 * convex-test checks the same rules with its own messages; the engine runs
 * this check first so clients see Convex's text. Pure: no clock, no I/O.
 */
import type { Value } from "convex/values";

/** A validator as `exportArgs()` serializes it. */
export type ValidatorJson =
  | { type: "null" | "number" | "bigint" | "boolean" | "string" | "bytes" | "any" }
  | { type: "literal"; value: unknown }
  | { type: "id"; tableName: string }
  | { type: "array"; value: ValidatorJson }
  | { type: "set" | "map"; value: ValidatorJson }
  | { type: "record"; keys: ValidatorJson; values: { fieldType: ValidatorJson } }
  | { type: "object"; value: Record<string, { fieldType: ValidatorJson; optional: boolean }> }
  | { type: "union"; value: ValidatorJson[] };

/** The error Convex raises for arguments that do not match (its message starts with the name). */
export class ArgumentValidationError extends Error {
  constructor(detail: string) {
    super(`ArgumentValidationError: ${detail}`);
    this.name = "ArgumentValidationError";
  }
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? `${n}.0` : String(n);
}

/** A value as Convex prints it in validation errors (`{a: 1.0, b: "x"}`). */
export function formatValue(v: Value | undefined, depth = 0): string {
  if (depth > 16) return "…";
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof ArrayBuffer) return `Bytes(${v.byteLength})`;
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, depth + 1)).join(", ")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${k}: ${formatValue((v as Record<string, Value>)[k], depth + 1)}`).join(", ")}}`;
}

/** A validator as Convex prints it (`v.object({id: v.id("t")})`). */
export function formatValidator(s: ValidatorJson): string {
  switch (s.type) {
    case "null":
      return "v.null()";
    case "number":
      return "v.float64()";
    case "bigint":
      return "v.int64()";
    case "boolean":
      return "v.boolean()";
    case "string":
      return "v.string()";
    case "bytes":
      return "v.bytes()";
    case "any":
      return "v.any()";
    case "literal":
      return `v.literal(${JSON.stringify(s.value)})`;
    case "id":
      return `v.id(${JSON.stringify(s.tableName)})`;
    case "array":
      return `v.array(${formatValidator(s.value)})`;
    case "set":
    case "map":
      return `v.${s.type}(${formatValidator(s.value)})`;
    case "record":
      return `v.record(${formatValidator(s.keys)}, ${formatValidator(s.values.fieldType)})`;
    case "object": {
      const fields = Object.keys(s.value)
        .sort()
        .map((k) => {
          const f = s.value[k]!;
          const inner = formatValidator(f.fieldType);
          return `${k}: ${f.optional ? `v.optional(${inner})` : inner}`;
        });
      return `v.object({${fields.join(", ")}})`;
    }
    case "union":
      return `v.union(${s.value.map(formatValidator).join(", ")})`;
  }
}

function isPlainObject(v: unknown): v is Record<string, Value> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof ArrayBuffer) &&
    (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
  );
}

type Mismatch = { detail: string };

function pathLine(path: string): string {
  return path === "" ? "" : `Path: ${path}\n`;
}

function mismatch(path: string, value: Value | undefined, s: ValidatorJson): Mismatch {
  return {
    detail: `Value does not match validator.\n${pathLine(path)}Value: ${formatValue(value)}\nValidator: ${formatValidator(s)}`,
  };
}

/** The first mismatch of `value` against `s` (null when it matches). */
function check(
  s: ValidatorJson,
  value: Value | undefined,
  path: string,
  tableOf: (id: string) => string | null,
): Mismatch | null {
  switch (s.type) {
    case "any":
      return value === undefined ? mismatch(path, value, s) : null;
    case "null":
      return value === null ? null : mismatch(path, value, s);
    case "number":
      return typeof value === "number" ? null : mismatch(path, value, s);
    case "bigint":
      return typeof value === "bigint" ? null : mismatch(path, value, s);
    case "boolean":
      return typeof value === "boolean" ? null : mismatch(path, value, s);
    case "string":
      return typeof value === "string" ? null : mismatch(path, value, s);
    case "bytes":
      return value instanceof ArrayBuffer ? null : mismatch(path, value, s);
    case "literal":
      return value === s.value ? null : mismatch(path, value, s);
    case "id":
      return typeof value === "string" && tableOf(value) === s.tableName
        ? null
        : mismatch(path, value, s);
    case "array": {
      if (!Array.isArray(value)) return mismatch(path, value, s);
      for (let i = 0; i < value.length; i++) {
        const m = check(s.value, value[i], `${path}[${i}]`, tableOf);
        if (m) return m;
      }
      return null;
    }
    case "set":
    case "map":
      return mismatch(path, value, s);
    case "record": {
      if (!isPlainObject(value)) return mismatch(path, value, s);
      for (const [k, x] of Object.entries(value)) {
        if (check(s.keys, k, `${path}.${k}`, tableOf)) return mismatch(`${path}.${k}`, k, s.keys);
        const m = check(s.values.fieldType, x, `${path}.${k}`, tableOf);
        if (m) return m;
      }
      return null;
    }
    case "object": {
      if (!isPlainObject(value)) return mismatch(path, value, s);
      const tail = `\n\n${pathLine(path)}Object: ${formatValue(value)}\nValidator: ${formatValidator(s)}`;
      for (const [k, f] of Object.entries(s.value)) {
        if (value[k] === undefined && !f.optional) {
          return {
            detail: `Object is missing the required field \`${k}\`. Consider wrapping the field validator in \`v.optional(...)\` if this is expected.${tail}`,
          };
        }
      }
      for (const k of Object.keys(value)) {
        if (!(k in s.value) && value[k] !== undefined) {
          return {
            detail: `Object contains extra field \`${k}\` that is not in the validator.${tail}`,
          };
        }
      }
      for (const [k, f] of Object.entries(s.value)) {
        if (value[k] === undefined) continue;
        const m = check(f.fieldType, value[k], `${path}.${k}`, tableOf);
        if (m) return m;
      }
      return null;
    }
    case "union":
      return s.value.some((member) => check(member, value, path, tableOf) === null)
        ? null
        : mismatch(path, value, s);
  }
}

/**
 * Throw {@link ArgumentValidationError} when `args` do not match `validator`
 * (the parsed `exportArgs()`); `tableOf` maps an id to its table.
 */
export function assertArgumentsMatch(
  validator: ValidatorJson | null,
  args: Value,
  tableOf: (id: string) => string | null,
): void {
  if (validator === null || validator.type === "any") return;
  const m = check(validator, args, "", tableOf);
  if (m) throw new ArgumentValidationError(m.detail);
}
