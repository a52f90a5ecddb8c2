/**
 * Full-text and vector search through the engine with the real clients,
 * against Convex's documented behaviour: BM25 relevance with ties newest
 * first, only the last term a prefix, tokens split on non-alphanumerics and
 * compared case-insensitively, `.take(n)` = the n best, filter fields;
 * vector indexes enforce their dimensions (wrong query length = error,
 * documents of another length not indexed), cosine `_score` descending,
 * `limit` 1..256 (default 10), `q.eq`/`q.or` filters.
 */
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine } from "./helpers";

const add = makeFunctionReference<
  "mutation",
  { text: string; kind: string; embedding?: number[] },
  string
>("notes:add");
const search = makeFunctionReference<"query", { q: string; kind?: string; take: number }, string[]>(
  "notes:search",
);
const searchPage = makeFunctionReference<
  "query",
  { q: string; paginationOpts: { numItems: number; cursor: string | null } },
  { page: string[]; isDone: boolean; continueCursor: string }
>("notes:searchPage");
const similar = makeFunctionReference<
  "action",
  { vector: number[]; limit?: number; kinds?: string[] },
  Array<{ _id: string; _score: number }>
>("notes:similar");

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine({ dataDir: null });
});
afterAll(async () => {
  await engine.close();
});

async function addAll(kind: string, texts: string[]): Promise<string[]> {
  const client = httpClient(engine.url);
  const ids: string[] = [];
  for (const text of texts) ids.push(await client.mutation(add, { text, kind }));
  return ids;
}

describe("full-text search", () => {
  it("ranks by BM25: term frequency and rare terms count, ties go newest first", async () => {
    await addAll("rank", [
      "ranking quokka once among many other filler words here",
      "ranking quokka quokka quokka",
      "ranking common",
      "ranking common zebu",
    ]);
    const client = httpClient(engine.url);
    const byTf = await client.query(search, { q: "quokka", kind: "rank", take: 10 });
    expect(byTf[0]).toBe("ranking quokka quokka quokka");
    expect(byTf).toHaveLength(2);
    // "zebu" is rarer than "common": the document holding both ranks first.
    const rare = await client.query(search, { q: "common zebu", kind: "rank", take: 10 });
    expect(rare).toEqual(["ranking common zebu", "ranking common"]);
    // Same length, same term frequency: equal scores, newest first.
    await addAll("tie", ["tiebreak one", "tiebreak two", "tiebreak six"]);
    expect(await client.query(search, { q: "tiebreak", kind: "tie", take: 10 })).toEqual([
      "tiebreak six",
      "tiebreak two",
      "tiebreak one",
    ]);
  });

  it("treats only the last term as a prefix", async () => {
    await addAll("prefix", ["planetary", "plan", "planning ahead"]);
    const client = httpClient(engine.url);
    const q = (text: string) => client.query(search, { q: text, kind: "prefix", take: 10 });
    expect((await q("plan")).sort()).toEqual(["plan", "planetary", "planning ahead"]);
    expect(await q("plan xyz")).toEqual(["plan"]);
    expect(await q("pla xyz")).toEqual([]);
    expect((await q("xyz ahe")).sort()).toEqual(["planning ahead"]);
  });

  it("splits on non-alphanumerics and ignores case, Unicode included", async () => {
    await addAll("tokens", ["foo-bar_baz.qux/quux", "Ünïcode CAFÉ naïve", "e-mail: ann@x.io"]);
    const client = httpClient(engine.url);
    const q = (text: string) => client.query(search, { q: text, kind: "tokens", take: 10 });
    expect(await q("baz")).toEqual(["foo-bar_baz.qux/quux"]);
    expect(await q("QUUX")).toEqual(["foo-bar_baz.qux/quux"]);
    expect(await q("café")).toEqual(["Ünïcode CAFÉ naïve"]);
    expect(await q("ünïcode")).toEqual(["Ünïcode CAFÉ naïve"]);
    expect(await q("ann x")).toEqual(["e-mail: ann@x.io"]);
    expect(await q("bar_baz")).toEqual(["foo-bar_baz.qux/quux"]);
    expect(await q("...")).toEqual([]);
  });

  it("gives the n best with .take(n), applies filter fields, and pages in the same order", async () => {
    const texts = Array.from({ length: 12 }, (_, i) =>
      `${"omega ".repeat(i + 1)}${"pad ".repeat(12 - i)}`.trim(),
    );
    await addAll("take", texts);
    await addAll("other", [
      "omega omega omega omega omega omega omega omega omega omega omega omega omega",
    ]);
    const client = httpClient(engine.url);
    const all = await client.query(search, { q: "omega", kind: "take", take: 100 });
    expect(all).toEqual([...texts].reverse());
    expect(await client.query(search, { q: "omega", kind: "take", take: 3 })).toEqual(
      all.slice(0, 3),
    );
    const everywhere = await client.query(search, { q: "omega", take: 100 });
    expect(everywhere).toHaveLength(13);
    const pages: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: { page: string[]; isDone: boolean; continueCursor: string } = await client.query(
        searchPage,
        { q: "omega", paginationOpts: { numItems: 5, cursor } },
      );
      pages.push(...r.page);
      if (r.isDone) break;
      cursor = r.continueCursor;
    }
    expect(pages).toEqual(everywhere);
  });
});

function cosine(a: number[], b: number[]): number {
  const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
  const n = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return dot / (n(a) * n(b));
}

describe("vector search", () => {
  it("enforces the index's dimensions, ranks by cosine, bounds limit and filters", async () => {
    const client = httpClient(engine.url);
    const vectors: Record<string, number[]> = {
      a: [1, 0, 0],
      b: [0.9, 0.1, 0],
      c: [0, 1, 0],
      d: [0.5, 0.5, 0.5],
    };
    const ids: Record<string, string> = {};
    for (const [name, embedding] of Object.entries(vectors)) {
      ids[name] = await client.mutation(add, {
        text: `vec ${name}`,
        kind: name === "c" ? "blue" : name === "d" ? "green" : "red",
        embedding,
      });
    }
    // A document with a vector of another length is simply not indexed.
    const short = await client.mutation(add, { text: "vec short", kind: "red", embedding: [1, 0] });

    const query = [1, 0.05, 0];
    const hits = await client.action(similar, { vector: query, limit: 256 });
    expect(hits.map((h) => h._id)).not.toContain(short);
    expect(hits.map((h) => h._id)).toEqual([ids.a, ids.b, ids.d, ids.c]);
    for (const h of hits) {
      const name = Object.keys(ids).find((k) => ids[k] === h._id)!;
      expect(h._score).toBeCloseTo(cosine(query, vectors[name]!), 6);
    }
    expect(await client.action(similar, { vector: query, limit: 2 })).toHaveLength(2);

    await expect(client.action(similar, { vector: [1, 0] })).rejects.toThrow(/dimensions/);
    await expect(client.action(similar, { vector: [1, 0, 0, 0] })).rejects.toThrow(/dimensions/);
    await expect(client.action(similar, { vector: query, limit: 257 })).rejects.toThrow(/256/);
    await expect(client.action(similar, { vector: query, limit: 0 })).rejects.toThrow(/limit/);

    const blue = await client.action(similar, { vector: query, kinds: ["blue"] });
    expect(blue.map((h) => h._id)).toEqual([ids.c]);
    const blueOrGreen = await client.action(similar, { vector: query, kinds: ["blue", "green"] });
    expect(blueOrGreen.map((h) => h._id)).toEqual([ids.d, ids.c]);
  });

  it("returns 10 results by default", async () => {
    const client = httpClient(engine.url);
    for (let i = 0; i < 12; i++) {
      await client.mutation(add, { text: `many ${i}`, kind: "many", embedding: [1, i, 0] });
    }
    expect(await client.action(similar, { vector: [1, 1, 1] })).toHaveLength(10);
  });
});
