/**
 * What a function read, learned from its syscalls: whole tables (full scans,
 * search), index ranges (`withIndex`, `paginate`) and single documents
 * (`db.get`). A write intersects a read set when the written document (before
 * or after the write) falls inside anything read — the rule Convex uses both
 * to invalidate query subscriptions and to detect OCC conflicts.
 *
 * Over-approximations, on the safe side: a range read with `.take(n)` covers
 * the whole range, not only the first n rows; tables are keyed by name, not by
 * component.
 */
import { compareValues, type JSONValue, jsonToConvex, type Value } from "convex/values";
import type { ReadRecorder } from "./internals";
import type { StreamExtent } from "./sorted-index";
import type { DocChange, StoredDoc } from "./store-types";
import { fieldOf as docField, tableOfId } from "./store-types";

type RangeBound = {
  type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte";
  fieldPath: string;
  value: JSONValue;
};

/** One index range read: the table, the bounds on the index fields, and where the read stopped. */
export type RangeRead = {
  table: string;
  index: string;
  bounds: RangeBound[];
  /** Set when the stream stopped before the end of its range (`.take(n)`, `.first()`). */
  extent?: StreamExtent;
};

type QuerySource =
  | { type: "FullTableScan"; tableName: string }
  | { type: "IndexRange"; indexName: string; range: RangeBound[] }
  | { type: "Search"; indexName: string };

const fieldOf = (doc: StoredDoc, path: string): Value | undefined =>
  docField(doc, path) as Value | undefined;

function boundValue(b: RangeBound): Value | undefined {
  const v = b.value;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "$undefined" in v) {
    return undefined;
  }
  return jsonToConvex(v);
}

/** True when `doc` satisfies every bound of `range`. */
export function inRange(doc: StoredDoc, bounds: RangeBound[]): boolean {
  for (const b of bounds) {
    const c = compareValues(fieldOf(doc, b.fieldPath), boundValue(b));
    const ok =
      b.type === "Eq"
        ? c === 0
        : b.type === "Gt"
          ? c > 0
          : b.type === "Gte"
            ? c >= 0
            : b.type === "Lt"
              ? c < 0
              : c <= 0;
    if (!ok) return false;
  }
  return true;
}

/** True when `doc` lies in the part of range `r` that was actually read. */
function inRead(doc: StoredDoc, r: RangeRead): boolean {
  if (!inRange(doc, r.bounds)) return false;
  if (!r.extent) return true;
  const c = r.extent.compare(doc, r.extent.last);
  return r.extent.desc ? c >= 0 : c <= 0;
}

/** The read set of one function execution. */
export class ReadSet implements ReadRecorder {
  /** Tables read without a usable range (full scans, search). */
  readonly tables = new Set<string>();
  /** Index ranges read. */
  readonly ranges: RangeRead[] = [];
  /** Documents read by id. */
  readonly ids = new Set<string>();
  /** Documents written (inserted, patched, replaced, deleted) by id, with their table. */
  readonly writes = new Map<string, string>();
  /** True once the function asked for its caller's identity: its result is that caller's only. */
  readsAuth = false;
  private closed = false;

  authRead(): void {
    if (!this.closed) this.readsAuth = true;
  }

  /** Stop recording (later syscalls, e.g. from scheduled work, are ignored). */
  close(): void {
    this.closed = true;
  }

  private readonly streams = new Map<number, RangeRead>();

  record(op: string, args: Record<string, unknown>, result?: Record<string, unknown>): void {
    if (this.closed) return;
    switch (op) {
      case "1.0/queryStream":
      case "1.0/queryPage": {
        const query = args.query as { source: QuerySource } | undefined;
        const range = query ? this.addSource(query.source) : null;
        const queryId = result?.queryId;
        if (range && typeof queryId === "number") this.streams.set(queryId, range);
        return;
      }
      case "1.0/get": {
        const id = args.id as string;
        if (typeof id === "string") this.ids.add(id);
        return;
      }
      case "1.0/storageGetUrl":
      case "1.0/storageGetMetadata": {
        // A file's URL depends on its `_storage` row (null once deleted).
        const id = args.storageId;
        if (typeof id === "string") this.ids.add(id);
        return;
      }
      case "1.0/insert":
        // The id is only known after the call; inserts are seen at commit.
        return;
      case "1.0/shallowMerge":
      case "1.0/replace":
      case "1.0/remove": {
        const id = args.id as string;
        if (typeof id === "string") {
          this.ids.add(id);
          this.writes.set(id, tableOfId(id) ?? "");
        }
        return;
      }
      default:
        return;
    }
  }

  /** A query stream closed before the end of its range: its read stops at `extent`. */
  endQuery(queryId: number, extent: StreamExtent): void {
    if (this.closed) return;
    const range = this.streams.get(queryId);
    if (range) range.extent = extent;
    this.streams.delete(queryId);
  }

  private addSource(source: QuerySource): RangeRead | null {
    let range: RangeRead | null = null;
    if (source.type === "IndexRange") {
      const [table, index] = source.indexName.split(".");
      if (!table || !index) return null;
      range = { table, index, bounds: source.range };
    } else if (source.type === "FullTableScan") {
      range = { table: source.tableName, index: "by_creation_time", bounds: [] };
    } else {
      const table = source.indexName.split(".")[0];
      if (table) this.tables.add(table);
      return null;
    }
    this.ranges.push(range);
    return range;
  }

  /** True when writing `change` could alter what this execution read. */
  intersectsChange(change: Pick<DocChange, "id" | "table" | "before" | "after">): boolean {
    if (this.tables.has(change.table) || this.ids.has(change.id)) return true;
    for (const r of this.ranges) {
      if (r.table !== change.table) continue;
      if (change.before && inRead(change.before, r)) return true;
      if (change.after && inRead(change.after, r)) return true;
    }
    return false;
  }

  /** True when any of `changes` intersects this read set. */
  intersects(changes: ReadonlyArray<Pick<DocChange, "id" | "table" | "before" | "after">>) {
    for (const c of changes) if (this.intersectsChange(c)) return true;
    return false;
  }
}
