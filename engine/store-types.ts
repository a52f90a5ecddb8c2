/**
 * The shapes of convex-test's in-memory store that several engine files
 * share (documents, write layers, the `DatabaseFake` members the engine
 * uses), and the id → table rule. A leaf module: `internals.ts` (which
 * patches convex-test) and `sorted-index.ts` (which it installs) both import
 * from here, so neither imports the other both ways.
 */

/** A stored document as `convex-test` holds it. */
export type StoredDoc = Record<string, unknown> & { _id: string; _creationTime: number };

/** The writes of one transaction layer: id → new value, `null` for a delete. */
export type WriteLayer = Record<string, StoredDoc | null>;

/** The members of convex-test's `DatabaseFake` the engine relies on. */
export interface FakeDatabase {
  _componentPath: string;
  _documents: Record<string, StoredDoc>;
  _writes: WriteLayer[];
  _nextDocId: number;
  _lastCreationTime: number;
  commit(commitTs?: bigint | null): void;
  startTransaction(): void;
  _iterateDocs(table: string, cb: (doc: StoredDoc) => void): void;
  get(table: string | undefined, id: string): StoredDoc | null;
  insert(table: string, value: Record<string, unknown>): string;
  patch(table: string, id: string, value: Record<string, unknown>): void;
  delete(table: string, id: string): void;
}

/** One document changed by a commit. */
export type DocChange = {
  id: string;
  table: string;
  before: StoredDoc | null;
  after: StoredDoc | null;
};

/** The table a convex-test id belongs to (ids are `<digits><table>`), or null. */
export function tableOfId(id: string): string | null {
  const m = /^[0-9]+/.exec(id);
  if (!m || m[0].length === id.length) return null;
  return id.slice(m[0].length);
}

/** The value at a dotted field path of a document (`a.b`), or undefined. */
export function fieldOf(doc: StoredDoc, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}
