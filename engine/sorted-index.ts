/**
 * Sorted in-memory indexes for convex-test's `DatabaseFake`, so an index
 * range read costs O(log n + k) instead of a scan and sort of the table
 * (convex-test sorts every matching document on every query: 2.5 ms for a
 * `.take(5)` over a 1,000-row range, which capped subscriptions at a few
 * hundred reruns per second).
 *
 * Each (table, index) gets an array of committed documents ordered by the
 * index fields then `_creationTime`, `_id` — Convex's index order — built on
 * first use and kept up to date at every top-level commit. A mutation that
 * already wrote to the table reads the committed slice overlaid with its
 * own pending versions of that table's documents (replaced or deleted ones
 * leave the slice; new and changed ones inside the range join it, in index
 * order), so reading your own writes costs O(log n + k + pending writes)
 * instead of a scan of the table. Filters, limits, order and range
 * validation still come from convex-test's `_resolveQuerySource`.
 */
import type { Value } from "convex/values";
import { type Bound, compareDocs, lowerBound, position, rangePlan } from "./index-order";
import {
  mergeSorted,
  notePendingCache,
  notePendingWrite,
  pendingSorted,
  pendingTable,
} from "./pending-writes";
import type { FakeDatabase, StoredDoc } from "./store-types";
import { tableOfId } from "./store-types";

type Source =
  | { type: "FullTableScan"; tableName: string; order?: "asc" | "desc" }
  | { type: "IndexRange"; indexName: string; range: Bound[]; order?: "asc" | "desc" }
  | { type: "Search" };
type Resolved = { sortedDocs: StoredDoc[]; [k: string]: unknown };
type SchemaTables = Map<string, { indexes: Array<{ indexDescriptor: string; fields: string[] }> }>;
type Db = FakeDatabase & {
  _schema: { tables: SchemaTables } | null;
  _resolveQuerySource(query: { source: Source }): Resolved;
};

type SortedIndex = { fields: string[]; docs: StoredDoc[] };

const indexes = new WeakMap<FakeDatabase, Map<string, SortedIndex>>();
const openQueries = new Map<number, { _queryResults: Record<number, unknown> }>();
let nextQueryId = 1;

/** The database whose open stream `queryId` is (ids are process-wide), if it is open. */
export function queryDatabase(
  queryId: number,
): { queryNext(id: number): { value: StoredDoc | null; done: boolean } } | null {
  return (openQueries.get(queryId) as unknown as QueryDb | undefined) ?? null;
}

/** Free a query stream (convex-test keeps every stream's results forever otherwise). */
export function cleanupQuery(queryId: number): void {
  const db = openQueries.get(queryId);
  if (!db) return;
  openQueries.delete(queryId);
  delete db._queryResults[queryId];
}
const bypass = new WeakSet<FakeDatabase>();

/** Run `run` (a query-source resolution of `db`) as if `db` held no documents: for its filters and limit. */
export function withoutDocuments<T>(db: FakeDatabase, run: () => T): T {
  bypass.add(db);
  try {
    return run();
  } finally {
    bypass.delete(db);
  }
}

function fieldsOf(db: Db, table: string, index: string): string[] | null {
  if (index === "by_creation_time") return ["_creationTime", "_id"];
  if (index === "by_id") return ["_id"];
  const def = db._schema?.tables.get(table)?.indexes.find((i) => i.indexDescriptor === index);
  return def ? [...def.fields, "_creationTime", "_id"] : null;
}

function sortedIndex(db: Db, table: string, index: string): SortedIndex | null {
  let perDb = indexes.get(db);
  if (!perDb) {
    perDb = new Map();
    indexes.set(db, perDb);
  }
  const key = `${table}.${index}`;
  let idx = perDb.get(key);
  if (!idx) {
    const fields = fieldsOf(db, table, index);
    if (!fields) return null;
    const docs: StoredDoc[] = [];
    for (const [id, doc] of Object.entries(db._documents))
      if (tableOfId(id) === table) docs.push(doc);
    docs.sort((a, b) => compareDocs(fields, a, b));
    idx = { fields, docs };
    perDb.set(key, idx);
  }
  return idx;
}

function boundValue(b: Bound, decode: (v: unknown) => Value): Value | undefined {
  const v = b.value;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "$undefined" in v)
    return undefined;
  return decode(v);
}

/** Why 16: past a few inserts, one pass that copies the index once beats moving its tail per insert. */
const SPLICE_MAX = 16;

/** Where `doc` (an old version) sits in `idx`, or -1. */
function positionOf(idx: SortedIndex, doc: StoredDoc): number {
  const at = lowerBound(idx.docs, (d) => compareDocs(idx.fields, d, doc) >= 0);
  if (idx.docs[at]?._id === doc._id) return at;
  return idx.docs.findIndex((d) => d._id === doc._id);
}

/** Whether `doc` keeps index order at `at` (its neighbours are still before and after it). */
function fitsAt(idx: SortedIndex, at: number, doc: StoredDoc): boolean {
  const prev = idx.docs[at - 1];
  const next = idx.docs[at + 1];
  return (
    (prev === undefined || compareDocs(idx.fields, prev, doc) <= 0) &&
    (next === undefined || compareDocs(idx.fields, doc, next) <= 0)
  );
}

/** `docs` with the index-ordered `added` inserted, copying `docs` once. */
function insertAll(idx: SortedIndex, added: StoredDoc[]): StoredDoc[] {
  const { docs, fields } = idx;
  const out: StoredDoc[] = new Array(docs.length + added.length);
  let from = 0;
  let o = 0;
  for (const doc of added) {
    let lo = from;
    let hi = docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareDocs(fields, docs[mid]!, doc) > 0) hi = mid;
      else lo = mid + 1;
    }
    while (from < lo) out[o++] = docs[from++]!;
    out[o++] = doc;
  }
  while (from < docs.length) out[o++] = docs[from++]!;
  return out;
}

/**
 * Apply a commit's document changes to `db`'s sorted indexes. A patch that
 * leaves a document where it was in an index replaces it in place; many
 * inserts into one index (an import batch) are merged in one copy of it,
 * not one move of its tail each (quadratic in the batch for a large table).
 */
export function updateSortedIndexes(
  db: FakeDatabase,
  changes: Array<{ id: string; table?: string; before: StoredDoc | null; after: StoredDoc | null }>,
): void {
  const perDb = indexes.get(db);
  if (!perDb || changes.length === 0) return;
  const byTable = new Map<string, typeof changes>();
  for (const c of changes) {
    const table = c.table ?? tableOfId(c.id);
    if (table === null) continue;
    let list = byTable.get(table);
    if (!list) {
      list = [];
      byTable.set(table, list);
    }
    list.push(c);
  }
  for (const [key, idx] of perDb) {
    const list = byTable.get(key.slice(0, key.indexOf(".")));
    if (!list) continue;
    const added: StoredDoc[] = [];
    for (const c of list) {
      if (c.before) {
        const at = positionOf(idx, c.before);
        if (at >= 0 && c.after && fitsAt(idx, at, c.after)) {
          idx.docs[at] = c.after;
          continue;
        }
        if (at >= 0) idx.docs.splice(at, 1);
      }
      if (c.after) added.push(c.after);
    }
    if (added.length <= SPLICE_MAX) {
      for (const doc of added) {
        const at = lowerBound(idx.docs, (d) => compareDocs(idx.fields, d, doc) > 0);
        idx.docs.splice(at, 0, doc);
      }
    } else {
      added.sort((a, b) => compareDocs(idx.fields, a, b));
      idx.docs = insertAll(idx, added);
    }
  }
}

/** Forget `db`'s sorted indexes (after loading documents directly). */
export function resetSortedIndexes(db: FakeDatabase): void {
  indexes.delete(db);
}

type Range = {
  docs: StoredDoc[];
  start: number;
  end: number;
  desc: boolean;
  resolved: Resolved;
  fields: string[];
};

/** The committed documents a query's source covers, as a slice of a sorted index; null = slow path. */
function fastRange(
  db: Db,
  query: { source: Source },
  original: Db["_resolveQuerySource"],
  decode: (v: unknown) => Value,
): Range | null {
  const s = query.source;
  let table: string;
  let index: string;
  let bounds: Bound[];
  if (s.type === "IndexRange") {
    const parts = s.indexName.split(".");
    table = parts[0] ?? "";
    index = parts[1] ?? "";
    bounds = s.range;
  } else if (s.type === "FullTableScan") {
    table = s.tableName;
    index = "by_creation_time";
    bounds = [];
  } else {
    return null;
  }
  const idx = sortedIndex(db, table, index);
  if (!idx) return null;
  const pending = pendingTable(db, table);
  // Let convex-test validate the range and build filters/limit over no documents.
  bypass.add(db);
  let resolved: Resolved;
  try {
    resolved = original.call(db, query);
  } finally {
    bypass.delete(db);
  }
  const values = new Map<Bound, Value | undefined>(bounds.map((b) => [b, boundValue(b, decode)]));
  const plan = rangePlan(idx.fields, bounds, values);
  const inRange = (docs: StoredDoc[]) => [
    lowerBound(docs, (d) => position(d, plan) >= 0),
    lowerBound(docs, (d) => position(d, plan) > 0),
  ];
  const [start, end] = inRange(idx.docs) as [number, number];
  if (pending) {
    // Read-your-own-writes: the committed slice without the documents this transaction
    // replaced or deleted, merged with its own versions inside the range (both index-ordered).
    const own = pendingSorted(pending, index, idx.fields);
    const [ps, pe] = inRange(own) as [number, number];
    const committed = idx.docs.slice(start, end).filter((d) => !pending.docs.has(d._id as string));
    const docs = mergeSorted(idx.fields, committed, own.slice(ps, pe));
    return {
      docs,
      start: 0,
      end: docs.length,
      desc: (s.order ?? "asc") === "desc",
      resolved,
      fields: idx.fields,
    };
  }
  return {
    docs: idx.docs,
    start,
    end,
    desc: (s.order ?? "asc") === "desc",
    resolved,
    fields: idx.fields,
  };
}

/** A query stream that walks a sorted index lazily (`.take(n)` reads n rows, not the range). */
class LazyResults {
  private i: number;
  private left: number;
  /** The last document the stream visited (returned or filtered out), in index order. */
  last: StoredDoc | null = null;
  /** True once the stream ran to the end of its range. */
  exhausted = false;
  constructor(
    private readonly r: Range,
    readonly fields: string[],
  ) {
    this.i = r.desc ? r.end - 1 : r.start;
    const limit = r.resolved.limit as number | null;
    this.left = limit ?? Number.POSITIVE_INFINITY;
  }
  get desc(): boolean {
    return this.r.desc;
  }
  next(): { value: StoredDoc | null; done: boolean } {
    const filter = this.r.resolved.filterFn as (d: StoredDoc) => boolean;
    while (this.left > 0 && this.i >= this.r.start && this.i < this.r.end) {
      const doc = this.r.docs[this.i]!;
      this.i += this.r.desc ? -1 : 1;
      this.last = doc;
      if (filter(doc)) {
        this.left -= 1;
        return { value: doc, done: false };
      }
    }
    // A `.limit` operator stops the stream before the range ends: not exhausted.
    if (this.left > 0) this.exhausted = true;
    return { value: null, done: true };
  }
}

/**
 * How far a query stream read: Convex's read set for a range read that
 * stopped early (`.take(n)`, `.first()`) ends at the last row read, so
 * writes past it do not invalidate or conflict. Null when unknown (slow
 * path), meaning "the whole range".
 */
export type StreamExtent = {
  last: StoredDoc;
  desc: boolean;
  compare: (a: StoredDoc, b: StoredDoc) => number;
};

/** The extent of open stream `queryId` if it stopped before the end of its range. */
export function streamExtent(queryId: number): StreamExtent | null {
  const db = openQueries.get(queryId);
  const results = db?._queryResults[queryId];
  if (!(results instanceof LazyResults) || results.exhausted || results.last === null) return null;
  const fields = results.fields;
  return { last: results.last, desc: results.desc, compare: (a, b) => compareDocs(fields, a, b) };
}

type QueryDb = Db & {
  _nextQueryId: number;
  _queryResults: Record<number, unknown>;
  startQuery(query: { source: Source }): number;
  queryNext(id: number): { value: StoredDoc | null; done: boolean };
};

/** Patch `_resolveQuerySource`, `startQuery` and `queryNext` on convex-test's DatabaseFake prototype. */
export function installSortedIndexes(proto: FakeDatabase, decode: (v: unknown) => Value): void {
  const p = proto as QueryDb;
  const original = p._resolveQuerySource;
  const originalIterate = p._iterateDocs;
  const originalStart = p.startQuery;
  const originalNext = p.queryNext;
  const originalAddWrite = (p as unknown as { _addWrite: (id: string, v: unknown) => void })
    ._addWrite;
  (p as unknown as { _addWrite: (id: string, v: unknown) => void })._addWrite = function (
    this: FakeDatabase,
    id: string,
    value: unknown,
  ) {
    originalAddWrite.call(this, id, value);
    notePendingWrite(this._writes[this._writes.length - 1], id);
    notePendingCache(this, id, (value ?? null) as StoredDoc | null);
  };
  p._iterateDocs = function (this: FakeDatabase, table: string, cb: (doc: StoredDoc) => void) {
    if (bypass.has(this)) return;
    originalIterate.call(this, table, cb);
  };
  p._resolveQuerySource = function (this: Db, query: { source: Source }) {
    const r = fastRange(this, query, original, decode);
    if (!r) return original.call(this, query);
    const docs = r.docs.slice(r.start, r.end);
    if (r.desc) docs.reverse();
    r.resolved.sortedDocs = docs;
    return r.resolved;
  };
  p.startQuery = function (this: QueryDb, query: { source: Source }) {
    // Ids from one process-wide counter, so `1.0/queryCleanup` (which names
    // only the id) can find the database and free the stream.
    const id = nextQueryId;
    nextQueryId += 1;
    this._nextQueryId = id;
    const r = fastRange(this, query, original, decode);
    if (r) this._queryResults[id] = new LazyResults(r, r.fields);
    else originalStart.call(this, query);
    openQueries.set(id, this);
    return id;
  };
  p.queryNext = function (this: QueryDb, id: number) {
    const results = this._queryResults[id];
    if (results instanceof LazyResults) return results.next();
    return originalNext.call(this, id);
  };
}
