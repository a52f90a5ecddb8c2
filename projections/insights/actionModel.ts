/**
 * The learned filter over the rules' action items: a logistic regression over the general
 * features of `actionFeatures.ts`, trained on the tuning split's gold labels by
 * `bench/insights-train.ts` (deterministic; leave-meetings-out cross-validation chose the
 * features, the L2 strength and the threshold) and stored as data in `actionModel.json`. At run
 * time it is a dot product and a sigmoid: no library, no network, the same answer every time.
 * An item the model finds unlikely (below the threshold) is dropped; the rules still decide the
 * wording, the owner and the due date.
 */

import { actionFeatures, type Features } from "./actionFeatures";
import stored from "./actionModel.json";
import type { People } from "./people";
import type { ActionItem } from "./provider";
import type { Sentence } from "./sentences";

/** Weights and threshold as the training script writes them. */
export type ActionModel = {
  weights: Record<string, number>;
  threshold: number;
  /** Whether the provider applies the filter (false when CV found no gain over the rules). */
  enabled: boolean;
  /** Whether sentences the rules did not read are offered too (`sentenceCandidates.ts`). */
  generic: boolean;
};

/** The committed model. */
export const ACTION_MODEL: ActionModel = stored as ActionModel;

/** Probability that an item with features `f` is a real action item under `model`. */
export function probability(model: ActionModel, f: Features): number {
  let z = 0;
  for (const [k, v] of Object.entries(f)) z += (model.weights[k] ?? 0) * v;
  return 1 / (1 + Math.exp(-z));
}

/**
 * The items `model` keeps: the rules' `items` it finds likely, then the `generic` candidates of
 * `sentenceCandidates.ts` it finds likely (with `generic` off, the rules' items alone). All the
 * rules' items when it is disabled.
 */
export function keepLikely(
  items: readonly ActionItem[],
  generic: readonly ActionItem[],
  all: readonly Sentence[],
  people: People,
  model: ActionModel = ACTION_MODEL,
): ActionItem[] {
  if (!model.enabled) return [...items];
  const likely = (a: ActionItem, g: boolean) =>
    probability(model, actionFeatures(a, all, people, g)) >= model.threshold;
  return [
    ...items.filter((a) => likely(a, false)),
    ...(model.generic ? generic.filter((a) => likely(a, true)) : []),
  ];
}
