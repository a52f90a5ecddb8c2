/**
 * Full-text search as Convex does it (its `search` crate on Tantivy):
 *
 * - tokens are runs of alphanumeric characters (Unicode letters and digits;
 *   everything else separates), lower-cased; tokens of 32 UTF-8 bytes or more
 *   are dropped (`RemoveLongFilter::limit(32)`);
 * - a query has at most 16 terms; a document matches when it holds any term;
 *   only the last query term also matches as a prefix;
 * - results are ranked by BM25 (Tantivy's: k1 = 1.2, b = 0.75,
 *   idf = ln(1 + (N − n + 0.5) / (n + 0.5))) over the documents of the index,
 *   ties broken newest first; at most 1,024 candidates are read.
 *
 * `rankSearch` is pure. `installTextSearch` plugs it into convex-test's query
 * source resolution, so `.withSearchIndex(...)` queries (`.take(n)`,
 * `.collect()`, `.paginate()`) see documents in relevance order.
 */
import { compareValues, jsonToConvex, type Value } from "convex/values";
import type { FakeDatabase, StoredDoc } from "./store-types";
import { fieldOf } from "./store-types";

/** Tantivy's `RemoveLongFilter` limit used by Convex: tokens this long (bytes) or longer are dropped. */
export const MAX_TERM_BYTES = 32;
/** Convex's `MAX_QUERY_TERMS`: later terms of a query are ignored. */
export const MAX_QUERY_TERMS = 16;
/** Convex's `MAX_CANDIDATE_REVISIONS`: a search query reads at most this many results. */
export const MAX_CANDIDATES = 1024;
const K1 = 1.2;
const B = 0.75;

const TOKEN = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu;
const encoder = new TextEncoder();

/** Split `text` into Convex's search tokens. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0].toLowerCase();
    if (encoder.encode(t).length < MAX_TERM_BYTES) out.push(t);
  }
  return out;
}

/** One indexed document: its id, creation time and search-field text. */
export type SearchDoc = { id: string; creationTime: number; text: string };

/** A ranked result. */
export type SearchHit = { id: string; score: number; creationTime: number };

type Analyzed = { doc: SearchDoc; counts: Map<string, number>; length: number };

/**
 * Rank `docs` (every document of the index: BM25 statistics are over the
 * whole index) for `query`; `eligible` selects the ones that may be returned
 * (filter fields). Best first; only documents matching a term.
 */
export function rankSearch(
  docs: SearchDoc[],
  query: string,
  eligible: (id: string) => boolean = () => true,
): SearchHit[] {
  const all = [...new Set(tokenize(query))];
  const terms = all.slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return [];
  const prefix = terms[terms.length - 1]!;
  const exact = new Set(terms);
  const analyzed: Analyzed[] = docs.map((doc) => {
    const tokens = tokenize(doc.text);
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    return { doc, counts, length: tokens.length };
  });
  const n = Math.max(1, analyzed.length);
  const avgLength = analyzed.reduce((s, a) => s + a.length, 0) / n || 1;
  // The query's terms after prefix expansion, and how many documents hold each.
  const docFreq = new Map<string, number>();
  for (const a of analyzed) {
    for (const t of a.counts.keys()) {
      if (exact.has(t) || t.startsWith(prefix)) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
    }
  }
  const idf = (t: string) => {
    const df = docFreq.get(t) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  const hits: SearchHit[] = [];
  for (const a of analyzed) {
    if (!eligible(a.doc.id)) continue;
    let score = 0;
    let matched = false;
    const norm = K1 * (1 - B + (B * a.length) / avgLength);
    // Summed in term order, so documents with the same terms get bit-identical scores (a tie).
    for (const t of [...a.counts.keys()].filter((x) => docFreq.has(x)).sort()) {
      const tf = a.counts.get(t)!;
      matched = true;
      score += idf(t) * ((tf * (K1 + 1)) / (tf + norm));
    }
    if (matched) hits.push({ id: a.doc.id, score, creationTime: a.doc.creationTime });
  }
  hits.sort((x, y) => y.score - x.score || y.creationTime - x.creationTime);
  return hits;
}

type SearchFilter =
  | { type: "Search"; fieldPath: string; value: string }
  | { type: "Eq"; fieldPath: string; value: unknown };
type SearchSource = { type: "Search"; indexName: string; filters: SearchFilter[] };
type Resolved = {
  sortedDocs: StoredDoc[];
  limit: number | null;
  fieldPathsToSortBy: string[];
  order: "asc" | "desc";
  [k: string]: unknown;
};
type SearchDb = FakeDatabase & {
  _schema: {
    tables: Map<
      string,
      {
        searchIndexes?: Array<{
          indexDescriptor: string;
          searchField: string;
          filterFields: string[];
        }>;
      }
    >;
  } | null;
  _resolveQuerySource(query: { source: { type: string } }): Resolved;
};

/** The rank of each document of the last search resolution (for cursors), keyed by the resolved object. */
export const searchRanks = new WeakMap<object, Map<string, SearchHit>>();

function decodeFilterValue(v: unknown): Value | undefined {
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "$undefined" in v)
    return undefined;
  return jsonToConvex(v as Parameters<typeof jsonToConvex>[0]) as Value;
}

/**
 * Resolve a Search source: the index's documents ranked for the query, with
 * convex-test's filters and limit (`resolveEmpty` builds them over no
 * documents).
 */
function resolveSearch(
  db: SearchDb,
  query: { source: SearchSource },
  resolveEmpty: () => Resolved,
) {
  const { indexName, filters } = query.source;
  const [table = "", index = ""] = indexName.split(".");
  const def = db._schema?.tables
    .get(table)
    ?.searchIndexes?.find((i) => i.indexDescriptor === index);
  if (!def) {
    throw new Error(
      `Cannot use search index "${index}" for table "${table}" because it is not declared in the schema.`,
    );
  }
  const search = filters.find((f) => f.type === "Search");
  const eqs = filters.filter((f) => f.type === "Eq");
  if (!search || search.fieldPath !== def.searchField) {
    throw new Error(`A search query on "${indexName}" needs a .search("${def.searchField}", ...)`);
  }
  for (const f of eqs) {
    if (!def.filterFields.includes(f.fieldPath)) {
      throw new Error(
        `The filter field "${f.fieldPath}" is not a filter field of search index "${indexName}" (${def.filterFields.join(", ") || "none"})`,
      );
    }
  }
  const byId = new Map<string, StoredDoc>();
  const docs: SearchDoc[] = [];
  db._iterateDocs(table, (doc) => {
    const text = fieldOf(doc, def.searchField);
    if (typeof text !== "string") return;
    byId.set(doc._id, doc);
    docs.push({ id: doc._id, creationTime: doc._creationTime, text });
  });
  const wanted = eqs.map((f) => [f.fieldPath, decodeFilterValue(f.value)] as const);
  const eligible = (id: string) => {
    const doc = byId.get(id)!;
    return wanted.every(([p, v]) => compareValues(fieldOf(doc, p) as Value, v as Value) === 0);
  };
  const hits = rankSearch(docs, search.value, eligible);
  const resolved = resolveEmpty();
  if (
    hits.length > MAX_CANDIDATES &&
    (resolved.limit === null || resolved.limit > MAX_CANDIDATES)
  ) {
    throw new Error(
      `Search query scanned too many documents (fetched ${MAX_CANDIDATES}). Consider using a smaller limit, paginating the query, or using a filter field to limit the number of documents pulled from the search index.`,
    );
  }
  const kept = hits.slice(0, MAX_CANDIDATES);
  resolved.sortedDocs = kept.map((h) => byId.get(h.id)!);
  resolved.fieldPathsToSortBy = [];
  resolved.order = "asc";
  searchRanks.set(resolved, new Map(kept.map((h) => [h.id, h])));
  return resolved;
}

/**
 * Patch `_resolveQuerySource` on convex-test's `DatabaseFake` prototype so
 * Search sources are ranked here; `withoutDocs` runs the previous resolver
 * over no documents (for its filters and limit).
 */
export function installTextSearch(
  proto: FakeDatabase,
  withoutDocs: (db: FakeDatabase, run: () => Resolved) => Resolved,
): void {
  const p = proto as SearchDb;
  const previous = p._resolveQuerySource;
  p._resolveQuerySource = function (this: SearchDb, query: { source: { type: string } }) {
    if (query.source.type !== "Search") return previous.call(this, query);
    return resolveSearch(this, query as { source: SearchSource }, () =>
      withoutDocs(this, () => previous.call(this, query)),
    );
  };
}
