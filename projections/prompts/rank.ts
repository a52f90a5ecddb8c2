/**
 * Ranking prompts with feedback. A prompt's score is its provider relevance,
 * moved by what people did with it (upvoted and used push it up, dismissed
 * pushes it down) and by the tag affinity of the people present (tags of
 * prompts they upvoted or used before, in any meeting, rank higher for them;
 * tags they dismissed rank lower). Pure: counts and affinities arrive as data.
 */
import type { FeedbackKind } from "./types";

/** Why: one upvote outweighs a 0.2 relevance gap; a dismissal sinks a prompt below fresh ones. */
export const FEEDBACK_WEIGHTS: Readonly<Record<FeedbackKind, number>> = {
  upvoted: 0.25,
  used: 0.15,
  dismissed: -0.35,
};
/** Why: past taste nudges, never overrides, what fits this meeting. */
export const AFFINITY_WEIGHT = 0.1;
/** Why: affinity saturates, so one enthusiastic person cannot pin a tag on top forever. */
export const AFFINITY_CAP = 3;

/** What ranking reads of a prompt. */
export type Rankable = {
  relevance: number;
  tags: readonly string[];
  used: number;
  dismissed: number;
  upvoted: number;
  createdAt: number;
};

/** A prompt's score given the present people's summed tag affinities. */
export function promptScore(p: Rankable, affinity: ReadonlyMap<string, number>): number {
  const feedback =
    FEEDBACK_WEIGHTS.upvoted * p.upvoted +
    FEEDBACK_WEIGHTS.used * p.used +
    FEEDBACK_WEIGHTS.dismissed * p.dismissed;
  let taste = 0;
  for (const t of new Set(p.tags)) {
    const a = affinity.get(t) ?? 0;
    taste += Math.max(-AFFINITY_CAP, Math.min(AFFINITY_CAP, a));
  }
  return p.relevance + feedback + AFFINITY_WEIGHT * taste;
}

/** `prompts` best first (ties: newer first). */
export function rankPrompts<P extends Rankable>(
  prompts: readonly P[],
  affinity: ReadonlyMap<string, number>,
): P[] {
  return prompts
    .map((p) => ({ p, s: promptScore(p, affinity) }))
    .sort((a, b) => b.s - a.s || b.p.createdAt - a.p.createdAt)
    .map((x) => x.p);
}

/** How one feedback changes the giver's affinity to each of the prompt's tags. */
export function affinityDelta(kind: FeedbackKind): number {
  return kind === "dismissed" ? -1 : kind === "upvoted" ? 1 : 0.5;
}
