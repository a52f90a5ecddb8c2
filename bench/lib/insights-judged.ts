/**
 * Matching by a reader's verdicts: the most predicted items that can be paired one-to-one with
 * gold items the reader judged the same task (a maximum bipartite matching, Kuhn's augmenting
 * paths: a greedy pairing would undercount when one prediction is the same as two gold items).
 */

/** Verdicts of a blind reader, keyed by `owner\tgold\tpred`: true for the same task. */
export type Verdicts = Map<string, boolean>;

/** Size of a maximum matching over the pairs judged the same (`same: undefined` is not judged). */
export function judgedMatch(
  pairs: readonly { g: number; p: number; same: boolean | undefined }[],
): number {
  const edges = new Map<number, number[]>();
  for (const x of pairs) if (x.same === true) edges.set(x.p, [...(edges.get(x.p) ?? []), x.g]);
  const goldOf = new Map<number, number>();
  const augment = (p: number, seen: Set<number>): boolean => {
    for (const g of edges.get(p) ?? []) {
      if (seen.has(g)) continue;
      seen.add(g);
      const holder = goldOf.get(g);
      if (holder === undefined || augment(holder, seen)) {
        goldOf.set(g, p);
        return true;
      }
    }
    return false;
  };
  let n = 0;
  for (const p of edges.keys()) if (augment(p, new Set())) n++;
  return n;
}
