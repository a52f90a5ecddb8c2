/**
 * Index order of stored documents (Convex's: the index fields, then
 * `_creationTime`, `_id`) and binary search over index-ordered arrays.
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
