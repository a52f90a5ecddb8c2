/**
 * The soft score of a pair: shared interests, complementary skills (and
 * mentoring), profile similarity and history, blended by the learned
 * weights. Pure and symmetric up to swapping the `a`/`b` sides of the
 * factors.
 */
import { seniority } from "./catalogue";
import type { MatchCard, MatchFactors, PairHistory, Weights } from "./types";
import { FEATURES } from "./types";

/** Why 3: three things to teach each other already make a strong complementary pair. */
export const COMPLEMENTARY_SATURATION = 3;
/** Why 0.5: a repeat whose meetings were not rated is neither good nor bad evidence. */
export const UNRATED_REPEAT_HISTORY = 0.5;

function shared(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return [...new Set(a)].filter((x) => set.has(x)).sort();
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 0 : shared(a, b).length / union;
}

/** Does `mentor` mentor `mentee` (offers, is sought, and is not less senior)? */
function mentors(mentor: MatchCard, mentee: MatchCard): boolean {
  if (!mentor.offersMentoring || !mentee.seeksMentoring) return false;
  const m = seniority(mentor.experience ?? undefined);
  const e = seniority(mentee.experience ?? undefined);
  return m === null || e === null || m >= e;
}

/** The history factor: 1 for a new pair; past ratings (1–5 → 0–1) for a repeat. */
export function historyFactor(pair: PairHistory): number {
  if (pair.proposals === 0) return 1;
  if (pair.meanRating === null) return UNRATED_REPEAT_HISTORY;
  return Math.min(1, Math.max(0, (pair.meanRating - 1) / 4));
}

/** Every factor of the pair (`similarity` is the embeddings' cosine, -1..1). */
export function factorsOf(
  a: MatchCard,
  b: MatchCard,
  similarity: number,
  pair: PairHistory,
): MatchFactors {
  const aTeachesB = shared(a.skills, b.learning);
  const bTeachesA = shared(b.skills, a.learning);
  const mentoring = mentors(a, b) ? "aMentorsB" : mentors(b, a) ? "bMentorsA" : null;
  const teach = aTeachesB.length + bTeachesA.length + (mentoring ? 1 : 0);
  return {
    sharedInterests: shared(a.interests, b.interests),
    interestOverlap: jaccard(a.interests, b.interests),
    aTeachesB,
    bTeachesA,
    mentoring,
    complementarity: Math.min(1, teach / COMPLEMENTARY_SATURATION),
    similarity: Number.isFinite(similarity) ? Math.min(1, Math.max(0, similarity)) : 0,
    history: historyFactor(pair),
    repeat: pair.proposals > 0,
    collaborate: a.openToCollaborate && b.openToCollaborate,
  };
}

/** The factors as the learner's feature vector (order of {@link FEATURES}). */
export function featureVector(f: MatchFactors): number[] {
  return [f.interestOverlap, f.complementarity, f.similarity, f.history];
}

/** The score (0–1): the weighted mean of the features. */
export function scoreOf(f: MatchFactors, w: Weights): number {
  const x = featureVector(f);
  let sum = 0;
  let total = 0;
  for (const [i, name] of FEATURES.entries()) {
    sum += w[name] * x[i]!;
    total += w[name];
  }
  return total > 0 ? sum / total : 0;
}

/** The same factors seen from the other side (swap `a` and `b`). */
export function swapSides(f: MatchFactors): MatchFactors {
  return {
    ...f,
    aTeachesB: f.bTeachesA,
    bTeachesA: f.aTeachesB,
    mentoring:
      f.mentoring === "aMentorsB" ? "bMentorsA" : f.mentoring === "bMentorsA" ? "aMentorsB" : null,
  };
}
