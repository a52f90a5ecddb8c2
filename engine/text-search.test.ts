/**
 * `rankSearch` against a model: an independent, literal BM25 (Tantivy's
 * formula, k1 = 1.2, b = 0.75) over the tokenizer's output, with the last
 * term also matching as a prefix. Invariants: the same documents match, in
 * the model's order (score descending, newest first on ties), with the
 * model's scores.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rankSearch, type SearchDoc, tokenize } from "./text-search";

function model(docs: SearchDoc[], query: string) {
  const terms = [...new Set(tokenize(query))].slice(0, 16);
  if (terms.length === 0) return [];
  const last = terms[terms.length - 1]!;
  const toks = docs.map((d) => tokenize(d.text));
  const n = Math.max(1, docs.length);
  const avg = toks.reduce((s, t) => s + t.length, 0) / n || 1;
  const matches = (t: string) => terms.includes(t) || t.startsWith(last);
  const vocabulary = [...new Set(toks.flat().filter(matches))].sort();
  const out: Array<{ id: string; score: number; creationTime: number }> = [];
  docs.forEach((d, i) => {
    const tk = toks[i]!;
    let score = 0;
    let hit = false;
    for (const t of vocabulary) {
      const tf = tk.filter((x) => x === t).length;
      if (tf === 0) continue;
      hit = true;
      const df = toks.filter((x) => x.includes(t)).length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += (idf * (tf * 2.2)) / (tf + 1.2 * (0.25 + (0.75 * tk.length) / avg));
    }
    if (hit) out.push({ id: d.id, score, creationTime: d.creationTime });
  });
  return out.sort((a, b) => b.score - a.score || b.creationTime - a.creationTime);
}

const WORDS = ["apple", "apply", "ape", "banana", "band", "cat", "Cát", "dog", "x", "a-b", "ÉTÉ"];

describe("rankSearch", () => {
  it("matches a literal BM25 model", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }), { maxLength: 12 }),
        fc.array(fc.constantFrom(...WORDS, "ap", "ba", "c"), { minLength: 1, maxLength: 4 }),
        (texts, queryWords) => {
          const docs = texts.map((t, i) => ({ id: `d${i}`, creationTime: i, text: t.join(" ") }));
          const query = queryWords.join(" ");
          const got = rankSearch(docs, query);
          const want = model(docs, query);
          expect(got.length).toBe(want.length);
          for (const [i, h] of got.entries()) expect(h.score).toBeCloseTo(want[i]!.score, 9);
          // The model's order, except among scores equal to within 1e-9: two documents with
          // different term counts and lengths can tie in exact arithmetic, and the two ways of
          // writing BM25 then round them apart (either order is right). Equal bags of terms tie
          // exactly in both (newest first; pinned below).
          for (let start = 0; start < want.length; ) {
            let end = start + 1;
            while (end < want.length && Math.abs(want[end]!.score - want[start]!.score) < 1e-9)
              end++;
            const ids = (hs: typeof got) =>
              hs
                .slice(start, end)
                .map((h) => h.id)
                .sort();
            expect(ids(got)).toEqual(ids(want));
            start = end;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("pinned (found by the model test): equal bags of terms tie exactly, newest first", () => {
    const texts = [
      "apple apple apple",
      "a-b band apple apple ÉTÉ apple",
      "apple apple apple",
      "apple",
      "apple",
      "apple apple band ÉTÉ a-b apple",
    ];
    const docs = texts.map((text, i) => ({ id: `d${i}`, creationTime: i, text }));
    expect(rankSearch(docs, "apple a-b").map((h) => h.id)).toEqual([
      "d5",
      "d1",
      "d2",
      "d0",
      "d4",
      "d3",
    ]);
  });

  it("tokenizes on non-alphanumerics, lower-cases, drops terms of 32 bytes or more", () => {
    expect(tokenize("Foo-BAR_baz.qux 42x ÉTÉ")).toEqual(["foo", "bar", "baz", "qux", "42x", "été"]);
    expect(tokenize(`${"a".repeat(31)} ${"b".repeat(32)} ${"é".repeat(16)}`)).toEqual([
      "a".repeat(31),
    ]);
  });
});
