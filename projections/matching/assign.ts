/**
 * Pairing people without using anyone twice. `assignPairs` is the greedy
 * maximum-score matching of a batch: the best-scoring edge first; on equal
 * scores the pair whose longer-waiting member has waited longest first (then
 * the other member's wait, then the ids, so the result is deterministic).
 * `choosePairs` replays plans against fresh availability (what the proposing
 * mutation sees), falling back to each seeker's next options. Pure.
 */

/** An edge between two waiting people. */
export type Edge = {
  a: string;
  b: string;
  score: number;
  /** When each side started waiting (ms). */
  waitA: number;
  waitB: number;
};

/** Why 1e-9: scores are means of 0–1 features; closer than this is a tie, not a preference. */
export const SCORE_EPSILON = 1e-9;

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Compare edges: higher score first, then longest waiting, then ids. */
export function compareEdges(x: Edge, y: Edge): number {
  if (Math.abs(x.score - y.score) > SCORE_EPSILON) return y.score - x.score;
  const xFirst = Math.min(x.waitA, x.waitB);
  const yFirst = Math.min(y.waitA, y.waitB);
  if (xFirst !== yFirst) return xFirst - yFirst;
  const xSecond = Math.max(x.waitA, x.waitB);
  const ySecond = Math.max(y.waitA, y.waitB);
  if (xSecond !== ySecond) return xSecond - ySecond;
  const kx = pairKey(x.a, x.b);
  const ky = pairKey(y.a, y.b);
  return kx < ky ? -1 : kx > ky ? 1 : 0;
}

/** Greedy matching: edges picked in {@link compareEdges} order, nobody twice. */
export function assignPairs<E extends Edge>(edges: readonly E[]): E[] {
  const best = new Map<string, E>();
  for (const e of edges) {
    if (e.a === e.b) continue;
    const k = pairKey(e.a, e.b);
    const prev = best.get(k);
    if (!prev || compareEdges(e, prev) < 0) best.set(k, e);
  }
  const used = new Set<string>();
  const picked: E[] = [];
  for (const e of [...best.values()].sort(compareEdges)) {
    if (used.has(e.a) || used.has(e.b)) continue;
    used.add(e.a);
    used.add(e.b);
    picked.push(e);
  }
  return picked;
}

/** A seeker's ranked options (first = the one the batch assigned, when any). */
export type Plan<O extends { candidate: string }> = { seeker: string; options: O[] };

/**
 * Replay plans in order: a seeker takes its first option whose candidate is
 * still available, not taken in this replay, and passes `ok` (the fresh
 * re-check). Nobody appears in two chosen pairs.
 */
export function choosePairs<O extends { candidate: string }>(
  plans: readonly Plan<O>[],
  available: (userId: string) => boolean,
  ok: (seeker: string, option: O) => boolean,
): { seeker: string; option: O }[] {
  const used = new Set<string>();
  const chosen: { seeker: string; option: O }[] = [];
  for (const plan of plans) {
    if (used.has(plan.seeker) || !available(plan.seeker)) continue;
    for (const option of plan.options) {
      const c = option.candidate;
      if (c === plan.seeker || used.has(c) || !available(c)) continue;
      if (!ok(plan.seeker, option)) continue;
      used.add(plan.seeker);
      used.add(c);
      chosen.push({ seeker: plan.seeker, option });
      break;
    }
  }
  return chosen;
}

/**
 * {@link choosePairs} with asynchronous checks, asked only for the seekers and
 * options the replay actually reaches (the proposing mutation reads entries,
 * blocks and history lazily this way). Same result for the same answers.
 */
export async function choosePairsAsync<O extends { candidate: string }>(
  plans: readonly Plan<O>[],
  available: (userId: string) => Promise<boolean>,
  ok: (seeker: string, option: O) => Promise<boolean>,
): Promise<{ seeker: string; option: O }[]> {
  const used = new Set<string>();
  const chosen: { seeker: string; option: O }[] = [];
  for (const plan of plans) {
    if (used.has(plan.seeker) || !(await available(plan.seeker))) continue;
    for (const option of plan.options) {
      const c = option.candidate;
      if (c === plan.seeker || used.has(c) || !(await available(c))) continue;
      if (!(await ok(plan.seeker, option))) continue;
      used.add(plan.seeker);
      used.add(c);
      chosen.push({ seeker: plan.seeker, option });
      break;
    }
  }
  return chosen;
}
