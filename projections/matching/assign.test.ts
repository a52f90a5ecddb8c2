/**
 * Pairing: `assignPairs` uses nobody twice, prefers higher scores and, on
 * equal scores, the longest waiting; `choosePairsAsync` answers exactly as
 * `choosePairs` for the same checks (the mutation uses the async one).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { assignPairs, choosePairs, choosePairsAsync, type Edge } from "./assign";

const ids = ["a", "b", "c", "d", "e", "f"];
const edgeArb = fc.record({
  a: fc.constantFrom(...ids),
  b: fc.constantFrom(...ids),
  score: fc.constantFrom(0, 0.25, 0.5, 0.75, 1),
  waitA: fc.integer({ min: 0, max: 5 }),
  waitB: fc.integer({ min: 0, max: 5 }),
});

describe("assignPairs", () => {
  test("nobody twice, no self pairs, and maximal over the edges", () => {
    fc.assert(
      fc.property(fc.array(edgeArb, { maxLength: 20 }), (edges) => {
        const picked = assignPairs(edges);
        const used = picked.flatMap((e) => [e.a, e.b]);
        expect(new Set(used).size).toBe(used.length);
        expect(picked.every((e) => e.a !== e.b)).toBe(true);
        for (const e of edges)
          if (e.a !== e.b) expect(used.includes(e.a) || used.includes(e.b)).toBe(true);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  test("higher score first; on a tie the longest-waiting pair first", () => {
    const e = (a: string, b: string, score: number, waitA: number, waitB: number): Edge => ({
      a,
      b,
      score,
      waitA,
      waitB,
    });
    expect(
      assignPairs([e("a", "b", 0.5, 10, 10), e("a", "c", 0.9, 50, 50)]).map((x) => x.b),
    ).toEqual(["c"]);
    // Equal scores: c has waited longest (smallest waitingSince), so a–c wins over a–b.
    expect(
      assignPairs([e("a", "b", 0.5, 10, 20), e("a", "c", 0.5, 10, 5)]).map((x) => x.b),
    ).toEqual(["c"]);
  });
});

describe("choosePairsAsync", () => {
  test("equals choosePairs for the same availability and checks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            seeker: fc.constantFrom(...ids),
            options: fc.array(fc.record({ candidate: fc.constantFrom(...ids) }), { maxLength: 4 }),
          }),
          { maxLength: 6 },
        ),
        fc.subarray(ids),
        fc.func(fc.boolean()),
        async (plans, away, okFn) => {
          const available = (id: string) => !away.includes(id);
          const ok = (s: string, o: { candidate: string }) => okFn(s, o.candidate);
          const sync = choosePairs(plans, available, ok);
          const async_ = await choosePairsAsync(
            plans,
            async (id) => available(id),
            async (s, o) => ok(s, o),
          );
          expect(async_).toEqual(sync);
        },
      ),
      { numRuns: 300, seed: 43 },
    );
  });
});
