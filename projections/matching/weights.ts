/**
 * The score's weights and how outcomes feed them. Each recorded outcome is a
 * sample (the features the proposal was scored on, and whether it went well:
 * an accepted proposal or a rating ≥ 3 → 1; a declined or expired proposal
 * or a rating ≤ 2 → 0; see `decisionLabel`, `ratingLabel`). The learner nudges each weight up when its
 * feature was higher than the pair's mean feature in good outcomes and lower
 * in bad ones (an exponentiated-gradient step on the score's error), then
 * clamps and renormalizes. Pure.
 */
import { FEATURES, type Weights } from "./types";

/** The weights before any outcome is known. */
export const DEFAULT_WEIGHTS: Weights = {
  sharedInterests: 0.35,
  complementarySkills: 0.25,
  similarity: 0.3,
  history: 0.1,
};

/** Why 0.5: a sample moves a weight by at most ~e^0.5; many samples are needed to swing it. */
export const LEARNING_RATE = 0.5;
/** Why 0.05: no feature is ever ignored entirely (it can regain weight from later samples). */
export const MIN_WEIGHT = 0.05;

/** One learning sample. */
export type WeightSample = {
  /** Feature vector in the order of `FEATURES`. */
  features: number[];
  /** 1 = went well, 0 = did not. */
  label: 0 | 1;
};

function normalize(raw: number[]): number[] {
  let clamped = raw.map((x) => (Number.isFinite(x) ? Math.max(MIN_WEIGHT, x) : MIN_WEIGHT));
  // Renormalizing can push a clamped weight below the floor again; a few rounds settle it.
  for (let round = 0; round < 4; round++) {
    const total = clamped.reduce((s, x) => s + x, 0);
    clamped = clamped.map((x) => Math.max(MIN_WEIGHT, x / total));
  }
  const total = clamped.reduce((s, x) => s + x, 0);
  return clamped.map((x) => x / total);
}

/** The weights as a vector in `FEATURES` order. */
export function weightVector(w: Weights): number[] {
  return FEATURES.map((f) => w[f]);
}

function fromVector(x: number[]): Weights {
  return {
    sharedInterests: x[0]!,
    complementarySkills: x[1]!,
    similarity: x[2]!,
    history: x[3]!,
  };
}

/** Apply samples in order to `w`; returns new weights (positive, ≥ MIN_WEIGHT, sum 1). */
export function learnWeights(w: Weights, samples: readonly WeightSample[]): Weights {
  let x = normalize(weightVector(w));
  for (const s of samples) {
    if (s.features.length !== FEATURES.length) continue;
    const f = s.features.map((v) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0));
    const predicted = x.reduce((sum, wi, i) => sum + wi * f[i]!, 0);
    const error = s.label - predicted;
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    x = normalize(x.map((wi, i) => wi * Math.exp(LEARNING_RATE * error * (f[i]! - mean))));
  }
  return fromVector(x);
}

/** The label of a decided proposal: accepted 1; declined or expired 0; cancelled (a leave or block) none. */
export function decisionLabel(
  status: "accepted" | "declined" | "expired" | "cancelled",
): 0 | 1 | null {
  if (status === "accepted") return 1;
  return status === "cancelled" ? null : 0;
}

/** The label of a rating (1–5): 3 and above went well. */
export function ratingLabel(rating: number): 0 | 1 {
  return rating >= 3 ? 1 : 0;
}
