/**
 * Index order of stored documents (Convex's: the index fields, then
 * `_creationTime`, `_id`), where a document falls against a range's bounds,
 * and binary search over index-ordered arrays.
 */
import { compareValues, type Value } from "convex/values";
import type { StoredDoc } from "./store-types";

/** The value at a (dotted) field path of `doc`. */
export function fieldOf(doc: StoredDoc, path: string): Value | undefined {
  if (!path.includes(".")) return doc[path] as Value | undefined;
  let cur: unknown = doc;
  for (const p of path.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur as Value | undefined;
}

/** One bound of an index range, as convex-test passes it (`value` still JSON). */
export type Bound = { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: unknown };

/**
 * A range's bounds per index field, in index order, up to the first field without one
 * (computed once per query: `position` runs ~2·log₂(n) times per range read).
 */
export type RangePlan = Array<{ field: string; own: Bound[]; values: Array<Value | undefined> }>;

export function rangePlan(
  fields: string[],
  bounds: Bound[],
  values: Map<Bound, Value | undefined>,
): RangePlan {
  const plan: RangePlan = [];
  for (const field of fields) {
    const own = bounds.filter((b) => b.fieldPath === field);
    if (own.length === 0) break;
    plan.push({ field, own, values: own.map((b) => values.get(b)) });
  }
  return plan;
}

/** -1 before the range, 0 inside, 1 after (in index order). */
export function position(doc: StoredDoc, plan: RangePlan) {
  for (const { field, own, values } of plan) {
    const v = fieldOf(doc, field);
    let eq = false;
    for (let i = 0; i < own.length; i++) {
      const b = own[i]!;
      const c = compareValues(v, values[i]);
      if (b.type === "Eq") {
        if (c !== 0) return c < 0 ? -1 : 1;
        eq = true;
      } else if ((b.type === "Gt" && c <= 0) || (b.type === "Gte" && c < 0)) return -1;
      else if ((b.type === "Lt" && c >= 0) || (b.type === "Lte" && c > 0)) return 1;
    }
    if (!eq) return 0;
  }
  return 0;
}

/** Compare two documents by `fields` in order. */
export function compareDocs(fields: string[], a: StoredDoc, b: StoredDoc): number {
  for (const f of fields) {
    const c = compareValues(fieldOf(a, f), fieldOf(b, f));
    if (c !== 0) return c;
  }
  return 0;
}

/** First position in `docs` where `pred` turns true (pred monotone false→true). */
export function lowerBound(docs: StoredDoc[], pred: (d: StoredDoc) => boolean): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(docs[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
