/**
 * A transaction's pending writes as the sorted-index reads need them: per
 * table, the latest pending version of each document, and the live ones in
 * each index's order, kept in step with writes to the top layer.
 */
import { compareDocs, lowerBound } from "./index-order";
import type { FakeDatabase, StoredDoc } from "./store-types";
import { tableOfId } from "./store-types";

/**
 * Per write layer of a transaction, the ids it holds by table (kept by the
 * `_addWrite` hook), so finding a table's pending writes does not walk every
 * write of the transaction. Keyed by the layer object: a committed or
 * rolled-back layer is simply gone, and stashed writes (a snapshot query
 * inside a mutation) are out of sight with their layers.
 */
const idsByLayer = new WeakMap<object, Map<string, Set<string>>>();

/** Note that `id` was written in `layer` (the `_addWrite` hook). */
export function notePendingWrite(layer: object | undefined, id: string): void {
  const table = tableOfId(id);
  if (!layer || table === null) return;
  let perTable = idsByLayer.get(layer);
  if (!perTable) {
    perTable = new Map();
    idsByLayer.set(layer, perTable);
  }
  let ids = perTable.get(table);
  if (!ids) {
    ids = new Set();
    perTable.set(table, ids);
  }
  ids.add(id);
}

/** The transaction's pending versions of `table`'s documents (latest layer wins; null = deleted). */
function pendingWrites(db: FakeDatabase, table: string): Map<string, StoredDoc | null> {
  const out = new Map<string, StoredDoc | null>();
  for (let i = db._writes.length - 1; i >= 0; i--) {
    const layer = db._writes[i] as Record<string, StoredDoc | null>;
    for (const id of idsByLayer.get(layer)?.get(table) ?? []) {
      if (!out.has(id)) out.set(id, layer[id] ?? null);
    }
  }
  return out;
}

/** One table's pending writes, and the live ones sorted per index (built on first read). */
export type PendingTable = {
  docs: Map<string, StoredDoc | null>;
  sorted: Map<string, { fields: string[]; docs: StoredDoc[] }>;
};

/**
 * Per database, the pending writes of the write stack it was built for.
 * Why: a mutation that alternates reads and writes of one table (an import
 * batch: look an event key up, append it, next) would otherwise rebuild and
 * re-sort every pending write per read, quadratic in the batch. Writes to the
 * top layer update it in place (binary insertion); any other change of the
 * stack (a nested layer pushed, committed into its parent or rolled back,
 * writes stashed) drops it.
 */
type PendingCache = {
  writes: unknown[];
  depth: number;
  top: unknown;
  tables: Map<string, PendingTable>;
};
const pendingCaches = new WeakMap<FakeDatabase, PendingCache>();

function cacheValid(db: FakeDatabase, c: PendingCache): boolean {
  return (
    c.writes === db._writes && c.depth === db._writes.length && c.top === db._writes[c.depth - 1]
  );
}

/** `table`'s pending writes in this transaction (null when there are none). */
export function pendingTable(db: FakeDatabase, table: string): PendingTable | null {
  if (db._writes.length === 0) return null;
  let c = pendingCaches.get(db);
  if (!c || !cacheValid(db, c)) {
    c = {
      writes: db._writes,
      depth: db._writes.length,
      top: db._writes[db._writes.length - 1],
      tables: new Map(),
    };
    pendingCaches.set(db, c);
  }
  let t = c.tables.get(table);
  if (!t) {
    t = { docs: pendingWrites(db, table), sorted: new Map() };
    c.tables.set(table, t);
  }
  return t.docs.size > 0 ? t : null;
}

/** The live pending documents of `t` in `index` order. */
export function pendingSorted(t: PendingTable, index: string, fields: string[]): StoredDoc[] {
  let s = t.sorted.get(index);
  if (!s) {
    const docs: StoredDoc[] = [];
    for (const d of t.docs.values()) if (d !== null) docs.push(d);
    docs.sort((a, b) => compareDocs(fields, a, b));
    s = { fields, docs };
    t.sorted.set(index, s);
  }
  return s.docs;
}

function removeSorted(docs: StoredDoc[], fields: string[], doc: StoredDoc): void {
  const at = lowerBound(docs, (d) => compareDocs(fields, d, doc) >= 0);
  if (docs[at]?._id === doc._id) docs.splice(at, 1);
  else {
    const i = docs.findIndex((d) => d._id === doc._id);
    if (i >= 0) docs.splice(i, 1);
  }
}

function insertSorted(docs: StoredDoc[], fields: string[], doc: StoredDoc): void {
  docs.splice(
    lowerBound(docs, (d) => compareDocs(fields, d, doc) > 0),
    0,
    doc,
  );
}

/** Keep the pending cache in step with a write to the top layer (or drop it). */
export function notePendingCache(db: FakeDatabase, id: string, value: StoredDoc | null): void {
  const c = pendingCaches.get(db);
  if (!c) return;
  if (!cacheValid(db, c)) {
    pendingCaches.delete(db);
    return;
  }
  const table = tableOfId(id);
  const t = table === null ? undefined : c.tables.get(table);
  if (!t) return;
  const prev = t.docs.get(id) ?? null;
  t.docs.set(id, value);
  for (const s of t.sorted.values()) {
    if (prev) removeSorted(s.docs, s.fields, prev);
    if (value) insertSorted(s.docs, s.fields, value);
  }
}

/** Merge two index-ordered runs. */
export function mergeSorted(fields: string[], a: StoredDoc[], b: StoredDoc[]): StoredDoc[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: StoredDoc[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (compareDocs(fields, a[i]!, b[j]!) <= 0) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
