/**
 * Vector search as Convex documents it (`ctx.vectorSearch`, actions only):
 *
 * - the index fixes the dimensions: a query vector of another length is an
 *   error; a document whose vector field is not an array of that many numbers
 *   is simply not in the index;
 * - `limit` defaults to 10 and must be an integer from 1 to 256;
 * - filters are `q.eq(field, value)` on the index's filter fields, combined
 *   with `q.or(...)`;
 * - results are `{_id, _score}` by cosine similarity, best first.
 *
 * Pure: the caller passes the table's documents and the index definition.
 */
import { compareValues, type JSONValue, jsonToConvex, type Value } from "convex/values";
import type { StoredDoc } from "./store-types";
import { fieldOf } from "./store-types";

/** Convex's bounds on `limit`. */
export const VECTOR_LIMIT = { min: 1, max: 256, default: 10 } as const;

/** A vector index as the schema declares it. */
export type VectorIndexDef = {
  indexDescriptor: string;
  vectorField: string;
  dimensions: number;
  filterFields: string[];
};

/** One result. */
export type VectorHit = { _id: string; _score: number };

type Expr = { $eq?: [Expr, Expr]; $or?: Expr[]; $field?: string; $literal?: JSONValue };

/** Compile a serialized filter into a predicate, checking it only uses `q.eq`/`q.or` on filter fields. */
function compileFilter(
  expr: Expr,
  def: VectorIndexDef,
  indexName: string,
): (doc: StoredDoc) => boolean {
  if (expr.$or !== undefined) {
    const parts = expr.$or.map((e) => compileFilter(e, def, indexName));
    return (doc: StoredDoc) => parts.some((p) => p(doc));
  }
  if (expr.$eq !== undefined) {
    const [left, right] = expr.$eq;
    const field = left.$field ?? right.$field;
    const literal = left.$field !== undefined ? right : left;
    if (field === undefined || literal.$literal === undefined) {
      throw new Error("Vector search filters compare a field with a value: q.eq(field, value)");
    }
    if (!def.filterFields.includes(field)) {
      throw new Error(
        `The field "${field}" is not a filter field of vector index "${indexName}" (filter fields: ${def.filterFields.join(", ") || "none"})`,
      );
    }
    const raw = literal.$literal;
    const value =
      typeof raw === "object" && raw !== null && !Array.isArray(raw) && "$undefined" in raw
        ? undefined
        : (jsonToConvex(raw) as Value);
    return (doc: StoredDoc) => compareValues(fieldOf(doc, field) as Value, value as Value) === 0;
  }
  throw new Error("Vector search filters support only q.eq(...) and q.or(...)");
}

function norm(v: number[]): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** Run one vector search over `docs` (the table's documents). */
export function vectorSearch(
  docs: Iterable<StoredDoc>,
  def: VectorIndexDef,
  indexName: string,
  query: { vector: unknown; limit?: unknown; expressions?: unknown },
): VectorHit[] {
  const vector = query.vector;
  if (!Array.isArray(vector) || vector.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
    throw new Error("Vector search: `vector` must be an array of finite numbers");
  }
  if (vector.length !== def.dimensions) {
    throw new Error(
      `Vector search: the query vector has ${vector.length} dimensions, but the vector index "${indexName}" has ${def.dimensions}`,
    );
  }
  const limit = query.limit ?? VECTOR_LIMIT.default;
  if (
    typeof limit !== "number" ||
    !Number.isInteger(limit) ||
    limit < VECTOR_LIMIT.min ||
    limit > VECTOR_LIMIT.max
  ) {
    throw new Error(
      `Vector search: limit must be an integer between ${VECTOR_LIMIT.min} and ${VECTOR_LIMIT.max} inclusive, got ${String(limit)}`,
    );
  }
  const filter =
    query.expressions === null || query.expressions === undefined
      ? () => true
      : compileFilter(query.expressions as Expr, def, indexName);
  const qNorm = norm(vector as number[]);
  const hits: VectorHit[] = [];
  for (const doc of docs) {
    const v = fieldOf(doc, def.vectorField);
    if (!Array.isArray(v) || v.length !== def.dimensions) continue;
    if (v.some((x) => typeof x !== "number" || !Number.isFinite(x))) continue;
    if (!filter(doc)) continue;
    const dNorm = norm(v as number[]);
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += (v[i] as number) * (vector[i] as number);
    hits.push({ _id: doc._id, _score: qNorm === 0 || dNorm === 0 ? 0 : dot / (qNorm * dNorm) });
  }
  hits.sort((a, b) => b._score - a._score);
  return hits.slice(0, limit);
}
