/** Keyword counting per text equals counting over the texts joined by spaces (the segments fold relies on it). */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { topKeywords } from "./keywords";

const piece = fc.constantFrom(
  "pricing",
  "Pricing",
  "page",
  "roll-out",
  "roll",
  "out",
  "don't",
  "don’t",
  "café",
  "Ünïcode",
  "Q3",
  "2026",
  "-",
  "'",
  "’",
  "re-",
  "-ship",
  "the",
  "budget",
  "BUDGET",
  "  ",
  ".",
  ",",
  "ok",
);
const text = fc
  .tuple(fc.array(piece, { maxLength: 12 }), fc.constantFrom("", " ", "-"))
  .map(([ps, sep]) => ps.join(sep));

describe("topKeywords", () => {
  test("the same keywords from a segment's utterances as from their joined text, cached or not", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), fc.integer({ min: 1, max: 8 }), (texts, k) => {
        const joined = topKeywords([texts.join(" ")], k);
        expect(topKeywords(texts, k)).toEqual(joined);
        expect(topKeywords(texts, k)).toEqual(joined); // second call: from the cache
      }),
      { numRuns: 300 },
    );
  });
  test("ranks by count then alphabetically and drops stop words", () => {
    expect(topKeywords(["the pricing page", "pricing budget", "Budget pricing"], 2)).toEqual([
      "pricing",
      "budget",
    ]);
  });
});
