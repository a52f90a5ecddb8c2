/**
 * Planning one batch of a matching cycle: for each seeker, the candidates
 * vector search found are checked against every hard constraint, scored,
 * ranked, and the batch is paired greedily (`assignPairs`). The plans list
 * the assigned pairs first (in pick order), each with the seeker's other
 * options as fallbacks, then the seekers left without a pair. Pure: the
 * pair histories, weights and the earliest slot start arrive as data.
 */
import { assignPairs, type Edge, type Plan } from "./assign";
import { hardCheck } from "./constraints";
import { factorsOf, scoreOf } from "./score";
import type { MatchFactors, PairHistory, QueuedPerson, TimeWindow, Weights } from "./types";
import { NEW_PAIR } from "./types";

/** One option of a seeker: a candidate that passes every hard constraint, scored. */
export type PlannedOption = {
  candidate: string;
  score: number;
  /** Factors with the seeker as `a`. */
  factors: MatchFactors;
  slot: TimeWindow;
};

/** A candidate edge from vector search. */
export type CandidateEdge = { seeker: string; candidate: string; similarity: number };

/** Everything one batch is planned from. */
export type PlanInput = {
  /** The batch's seekers, by user id. */
  seekers: readonly string[];
  /** Every person named by the seekers or the edges (user id → person). */
  people: ReadonlyMap<string, QueuedPerson>;
  edges: readonly CandidateEdge[];
  /** History of a pair (unknown pairs: `NEW_PAIR`). */
  history: (a: string, b: string) => PairHistory;
  weights: Weights;
  /** The soonest a meeting may start (after the answer deadline). */
  earliestStart: number;
  /** How many options to keep per seeker. */
  optionsPerSeeker: number;
};

/** Rank each seeker's valid candidates (best first; ties: longest waiting, then id). */
export function rankOptions(input: PlanInput): Map<string, PlannedOption[]> {
  const bySeeker = new Map<string, PlannedOption[]>();
  const seen = new Set<string>();
  const seekers = new Set(input.seekers);
  for (const e of input.edges) {
    const key = `${e.seeker}|${e.candidate}`;
    if (!seekers.has(e.seeker) || seen.has(key)) continue;
    seen.add(key);
    const a = input.people.get(e.seeker);
    const b = input.people.get(e.candidate);
    if (!a || !b) continue;
    const pair = input.history(e.seeker, e.candidate);
    const check = hardCheck(a, b, pair, input.earliestStart);
    if (!check.ok) continue;
    const factors = factorsOf(a.card, b.card, e.similarity, pair);
    const option = {
      candidate: e.candidate,
      score: scoreOf(factors, input.weights),
      factors,
      slot: check.slot,
    };
    const list = bySeeker.get(e.seeker) ?? [];
    list.push(option);
    bySeeker.set(e.seeker, list);
  }
  for (const [seeker, list] of bySeeker) {
    list.sort((x, y) => {
      if (x.score !== y.score) return y.score - x.score;
      const wx = input.people.get(x.candidate)!.waitingSince;
      const wy = input.people.get(y.candidate)!.waitingSince;
      if (wx !== wy) return wx - wy;
      return x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0;
    });
    bySeeker.set(seeker, list.slice(0, input.optionsPerSeeker));
  }
  return bySeeker;
}

/** Plan the batch (see the module comment). */
export function planBatch(input: PlanInput): Plan<PlannedOption>[] {
  const ranked = rankOptions(input);
  type OptionEdge = Edge & { option: PlannedOption };
  const edges: OptionEdge[] = [];
  for (const [seeker, options] of ranked) {
    for (const option of options) {
      edges.push({
        a: seeker,
        b: option.candidate,
        score: option.score,
        waitA: input.people.get(seeker)!.waitingSince,
        waitB: input.people.get(option.candidate)!.waitingSince,
        option,
      });
    }
  }
  const plans: Plan<PlannedOption>[] = [];
  const planned = new Set<string>();
  for (const e of assignPairs(edges)) {
    const rest = (ranked.get(e.a) ?? []).filter((o) => o !== e.option);
    plans.push({ seeker: e.a, options: [e.option, ...rest] });
    planned.add(e.a);
    planned.add(e.b);
  }
  const waiting = input.seekers
    .filter((s) => !planned.has(s) && (ranked.get(s)?.length ?? 0) > 0)
    .sort((x, y) => input.people.get(x)!.waitingSince - input.people.get(y)!.waitingSince);
  for (const s of waiting) plans.push({ seeker: s, options: ranked.get(s)! });
  return plans;
}

/** History lookup over a map keyed `a|b` in either order; absent pairs are new. */
export function historyFrom(map: ReadonlyMap<string, PairHistory>) {
  return (a: string, b: string): PairHistory =>
    map.get(`${a}|${b}`) ?? map.get(`${b}|${a}`) ?? NEW_PAIR;
}
