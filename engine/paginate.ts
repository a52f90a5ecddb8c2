/**
 * `.paginate()` as Convex does it, with query journals.
 *
 * - Cursors carry the query's fingerprint (source, index range, order,
 *   filters); a cursor that does not decode, or belongs to another query,
 *   fails with Convex's `InvalidCursor` error (so `usePaginatedQuery`
 *   resets instead of throwing).
 * - A page without `endCursor` reads `numItems` items and ends at the last
 *   one read (`isDone` only once the range is exhausted; no look-ahead).
 * - A page with an end cursor returns everything up to it (inclusive):
 *   `continueCursor` is that cursor, so the page grows or shrinks but its
 *   end stays put.
 * - Journals: the end cursor a subscription's first run produced is
 *   recorded in its journal (`QueryUpdated.journal`); reruns of that
 *   subscription (and its resubscription after a reconnect, which sends
 *   the journal back) use it as the end cursor. That is what keeps a live
 *   paginated list gapless when rows are inserted above a page boundary.
 */

import { createHash } from "node:crypto";
import { compareValues, convexToJson, jsonToConvex, type Value } from "convex/values";
import type { FakeDatabase, StoredDoc } from "./store-types";
import { fieldOf as docField } from "./store-types";
import { searchRanks } from "./text-search";

/** Convex's text for a cursor from another query (its `invalid_cursor()`). */
export const INVALID_CURSOR_MESSAGE =
  "InvalidCursor: Tried to run a query starting from a cursor, but it looks like this cursor is from a different query.";

/**
 * Half of Convex's per-transaction read limits (32,000 documents, 16 MiB):
 * past these a page reports `SplitRecommended`, as Convex's soft limit does.
 */
const SOFT_ROWS = 16_000;
const SOFT_BYTES = 8 << 20;

/** The journal of one query execution: the end cursor its page was pinned to. */
export type JournalSlot = { in: string | null; out: string | null };

type Key = Array<Value | undefined>;
type Position = { kind: "after"; key: Key } | { kind: "end" };
type PageArgs = {
  query: { source: { type: string; [k: string]: unknown }; operators: unknown[] };
  cursor: string | null;
  endCursor?: string | null;
  pageSize: number;
  maximumRowsRead?: number | null;
  maximumBytesRead?: number | null;
};
type Resolved = {
  sortedDocs: StoredDoc[];
  filterFn: (d: StoredDoc) => boolean;
  fieldPathsToSortBy: string[];
  order: "asc" | "desc";
};
type PageDb = FakeDatabase & { _resolveQuerySource(q: PageArgs["query"]): Resolved };

const fieldOf = (doc: StoredDoc, path: string): Value | undefined =>
  docField(doc, path) as Value | undefined;

function fingerprint(query: PageArgs["query"]): string {
  return createHash("sha256").update(JSON.stringify(query)).digest("base64url").slice(0, 16);
}

function encodeKey(key: Key): unknown[] {
  return key.map((k) => (k === undefined ? { $u: 1 } : convexToJson(k)));
}

/** Encode a cursor for query fingerprint `fp`. */
function encodeCursor(fp: string, pos: Position): string {
  const body = pos.kind === "end" ? { f: fp, e: 1 } : { f: fp, k: encodeKey(pos.key) };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

function invalidCursor(): Error {
  return new Error(INVALID_CURSOR_MESSAGE);
}

/** Decode `cursor` for fingerprint `fp`; throws InvalidCursor when it is not one of its cursors. */
function decodeCursor(fp: string, cursor: string): Position {
  let body: { f?: unknown; e?: unknown; k?: unknown };
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as typeof body;
  } catch {
    throw invalidCursor();
  }
  if (typeof body !== "object" || body === null || body.f !== fp) throw invalidCursor();
  if (body.e === 1) return { kind: "end" };
  if (!Array.isArray(body.k)) throw invalidCursor();
  try {
    return {
      kind: "after",
      key: body.k.map((k) =>
        typeof k === "object" && k !== null && !Array.isArray(k) && "$u" in k
          ? undefined
          : (jsonToConvex(k as Parameters<typeof jsonToConvex>[0]) as Value),
      ),
    };
  } catch {
    throw invalidCursor();
  }
}

/** The end cursor recorded in a journal, or null (throws InvalidCursor on a malformed journal). */
export function journalEndCursor(journal: string | null): string | null {
  if (journal === null) return null;
  try {
    const parsed = JSON.parse(journal) as { endCursor?: unknown };
    if (typeof parsed.endCursor === "string") return parsed.endCursor;
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/** A journal recording `endCursor`. */
export function journalFor(endCursor: string): string {
  return JSON.stringify({ endCursor });
}

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareValues(a[i] as Value, b[i] as Value);
    if (c !== 0) return c;
  }
  return 0;
}

/** Run one page. `journal` is the calling query's journal slot (subscriptions), if any. */
export function paginate(db: PageDb, args: PageArgs, journal: JournalSlot | null) {
  const fp = fingerprint(args.query);
  const start = args.cursor === null ? null : decodeCursor(fp, args.cursor);
  const explicitEnd = args.endCursor ?? null;
  const endCursorText = explicitEnd ?? journalEndCursor(journal?.in ?? null);
  const end = endCursorText === null ? null : decodeCursor(fp, endCursorText);
  const resolved = db._resolveQuerySource(args.query);
  const ranks = searchRanks.get(resolved);
  // Index order as an ascending key: descending ranges negate the comparison.
  const sign = resolved.order === "desc" && !ranks ? -1 : 1;
  const fields = resolved.fieldPathsToSortBy.includes("_id")
    ? resolved.fieldPathsToSortBy
    : [...resolved.fieldPathsToSortBy, "_id"];
  const keyOf = (doc: StoredDoc): Key => {
    if (ranks) {
      const hit = ranks.get(doc._id)!;
      return [-hit.score, -hit.creationTime, doc._id];
    }
    return fields.map((f) => fieldOf(doc, f));
  };
  const cmp = (a: Key, b: Key) => sign * compareKeys(a, b);
  const page: StoredDoc[] = [];
  const readKeys: Key[] = [];
  let rowsRead = 0;
  let bytesRead = 0;
  let stoppedAt: Key | null = null;
  let split: "SplitRequired" | null = null;
  if (start?.kind !== "end") {
    for (const doc of resolved.sortedDocs) {
      const key = keyOf(doc);
      if (start && cmp(key, start.key) <= 0) continue;
      if (end?.kind === "after" && cmp(key, end.key) > 0) break;
      rowsRead += 1;
      bytesRead += JSON.stringify(convexToJson(doc as unknown as Value)).length;
      readKeys.push(key);
      if (resolved.filterFn(doc)) page.push(doc);
      if (
        (args.maximumRowsRead && rowsRead >= args.maximumRowsRead) ||
        (args.maximumBytesRead && bytesRead >= args.maximumBytesRead)
      ) {
        split = "SplitRequired";
        stoppedAt = key;
        break;
      }
      if (end === null && page.length >= args.pageSize) {
        stoppedAt = key;
        break;
      }
    }
  }
  let continueCursor: string;
  let isDone: boolean;
  if (split) {
    continueCursor = encodeCursor(fp, { kind: "after", key: stoppedAt! });
    isDone = false;
  } else if (end !== null) {
    continueCursor = endCursorText!;
    isDone = end.kind === "end";
  } else if (stoppedAt !== null) {
    continueCursor = encodeCursor(fp, { kind: "after", key: stoppedAt });
    isDone = false;
  } else {
    continueCursor = encodeCursor(fp, { kind: "end" });
    isDone = true;
  }
  let pageStatus: "SplitRequired" | "SplitRecommended" | null = split;
  if (!split && (rowsRead > SOFT_ROWS || bytesRead > SOFT_BYTES)) pageStatus = "SplitRecommended";
  const splitCursor =
    pageStatus !== null && readKeys.length >= 2 && !ranks
      ? encodeCursor(fp, { kind: "after", key: readKeys[Math.floor((readKeys.length - 1) / 2)]! })
      : null;
  // Only a page the caller did not pin itself is journaled (split pages pass endCursor).
  if (journal && explicitEnd === null && !split) journal.out = journalFor(continueCursor);
  return { page, isDone, continueCursor, splitCursor, pageStatus };
}

/** Replace convex-test's `DatabaseFake.paginate` with {@link paginate}. */
export function installPaginate(proto: FakeDatabase, journalOf: () => JournalSlot | null): void {
  (proto as unknown as { paginate(args: PageArgs): unknown }).paginate = function (
    this: PageDb,
    args: PageArgs,
  ) {
    return paginate(this, args, journalOf());
  };
}
