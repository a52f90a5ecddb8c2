/**
 * The default insights provider: local, deterministic NLP with `wink-nlp`
 * and its English model (shipped inside npm; no network). Named the local
 * provider everywhere it shows; it is rules over sentences, not a language
 * model. Sentences come from the notes and the final transcript
 * (`sentences.ts`); action items (`actions.ts`) and decisions
 * (`decisions.ts`) by rules that resolve owners to people and due dates to
 * dates; a summary in sentences, key takeaways, follow-ups and typed
 * recommendations (`summarize.ts`).
 */

import { ACTION_MODEL, type ActionModel, keepLikely } from "./actionModel";
import { extractActions } from "./actions";
import { extractDecisions } from "./decisions";
import { peopleOf } from "./people";
import type { InsightsInput, InsightsProvider, MeetingInsights } from "./provider";
import { sentenceCandidates } from "./sentenceCandidates";
import { sentencesOf } from "./sentences";
import { summarize } from "./summarize";

/** The local provider's name (shown with every result it produced). */
export const LOCAL_PROVIDER_NAME = "local-wink-nlp";

/**
 * Analyze a meeting with rules over wink-nlp sentences, the rules' action items filtered by the
 * learned model (`actionModel.ts`; `null` for the rules alone, as the training script needs).
 * Deterministic.
 */
export function analyzeLocally(
  input: InsightsInput,
  model: ActionModel | null = ACTION_MODEL,
): MeetingInsights {
  const sentences = sentencesOf(input);
  const people = peopleOf(input.participants);
  const used = new Set<number>();
  const found = extractActions(sentences, people, input.meetingAt, used);
  const actionItems =
    model?.enabled === true
      ? keepLikely(
          found,
          model.generic ? sentenceCandidates(sentences, people, input.meetingAt, found) : [],
          sentences,
          people,
          model,
        )
      : found;
  const decisions = extractDecisions(sentences, used, (w) => people.named(w) !== null);
  const rest = summarize(input, sentences, people, actionItems, decisions, used);
  return {
    summary: rest.summary,
    actionItems,
    decisions,
    keyTakeaways: rest.keyTakeaways,
    followUps: rest.followUps,
    recommendations: rest.recommendations,
  };
}

/** The local provider (default). */
export const localInsightsProvider: InsightsProvider = {
  name: LOCAL_PROVIDER_NAME,
  analyze: async (input) => analyzeLocally(input),
};
