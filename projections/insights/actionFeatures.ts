/**
 * General features of one action-item candidate for the learned filter (`actionModel.ts`): what
 * kind of sentence it came from (first or second person, a modal or future form, an imperative,
 * a question, a negation or a condition, an addressee named first, a due date), how the next
 * speaker answered (accepts, refuses), where it sits in the meeting, and how far the item's words
 * stray from what was said (a pronoun resolved, a topic carried over). No feature names a word of
 * any one meeting's subject, so what is learned can carry over to meetings nobody has seen.
 * Shared by the run-time filter and the training script (`bench/insights-train.ts`), so both
 * compute exactly the same thing.
 */
import { contentWords } from "../core/keywords";
import type { People } from "./people";
import type { ActionItem } from "./provider";
import { clean, type Sentence, startsWithVerb } from "./sentences";

/** Sparse named features (value 1 unless said otherwise). */
export type Features = Record<string, number>;

/** The sentence an item came from: the one of its source utterance or line sharing most words. */
export function sourceSentence(item: ActionItem, all: readonly Sentence[]): Sentence | null {
  const src = item.source;
  if (!src) return null;
  const same = all.filter((s) =>
    src.kind === "note"
      ? s.source.kind === "note" && s.source.line === src.line
      : s.source.kind === "transcript" && s.source.at === src.at,
  );
  const words = new Set(contentWords(item.text));
  let best: Sentence | null = null;
  let bestHits = -1;
  for (const s of same) {
    const hits = contentWords(s.text).filter((w) => words.has(w)).length;
    if (hits > bestHits) {
      best = s;
      bestHits = hits;
    }
  }
  return best;
}

const ACCEPT =
  /^(?:sure|yes|yeah|yep|ok|okay|will do|on it|fine|no problem|of course|absolutely|happy to|done|consider it done|got it|can do|i can|i will|i'll)\b/i;
const REFUSE = /^(?:no\b|nope|not\b|i'd rather not|i don't think|i can't|i cannot|sorry)/i;
const FIRST =
  /^(?:i'll|i will|i'm going to|i am going to|i can|i'd|let me|i've got|i should|i need to|i must)\b/i;
const WE = /^(?:we'll|we will|we should|we need to|we could|let's|let us|we're going to)\b/i;
const REQUEST =
  /\b(?:could you|can you|would you|will you|please|would you mind|you'll|you should|you need to)\b/i;
const HEDGE = /\b(?:maybe|perhaps|might|what if|how about|should we|could we|i think|probably)\b/i;
const NEGATION = /\b(?:not|no|never|n't|don't|won't|can't)\b/i;
const PAST = /\b(?:did|was|were|had|already|yesterday|last week|last year|ago)\b/i;
const CONDITION = /^(?:if|when|once|unless)\b|\bif\b/i;
const LIGHT = /^(?:do|have|get|take|sort|handle|make|deal|look|go|enjoy|be)$/;
const THING_PRONOUN = /\b(?:it|them|that|this|those|these)\b/i;

function bucket(name: string, v: number, edges: readonly number[]): string {
  let i = 0;
  while (i < edges.length && v > edges[i]!) i++;
  return `${name}:${i}`;
}

/** Features of `item` among the meeting's sentences (`generic`: from `sentenceCandidates.ts`). */
export function actionFeatures(
  item: ActionItem,
  all: readonly Sentence[],
  people: People,
  generic = false,
): Features {
  const f: Features = { bias: 1 };
  if (generic) f["kind:generic"] = 1;
  const on = (k: string, v = 1) => {
    f[k] = (f[k] ?? 0) + v;
  };
  const s = sourceSentence(item, all);
  const words = item.text.trim().split(/\s+/);
  on(bucket("len", words.length, [3, 6, 10, 16]));
  if (item.dueDate) on("due");
  else if (item.due) on("due-unresolved");
  if (item.owner === null) on("owner:none");
  if (/\(|"|:/.test(item.text)) on("text:quote");
  if (THING_PRONOUN.test(item.text)) on("text:pronoun");
  if (startsWithVerb(lowerFirst(item.text))) on("text:verb-first");
  const verb = words[0]?.toLowerCase() ?? "";
  if (LIGHT.test(verb)) on("text:light-verb");
  if (/\b(?:the|a|an|to|and|or|of|for|with|first|two|three)\s*$/i.test(item.text.trim()))
    on("text:dangling");
  if (contentWords(item.text).length <= 1) on("text:one-content-word");
  const others = people.all.filter((p) => p.userId !== item.owner);
  if (
    others.some((p) =>
      item.text.includes(
        p.name.split(/\s+/).find((w) => /^\p{Lu}/u.test(w) && !/\.$/.test(w)) ?? "\u0000",
      ),
    )
  )
    on("text:names-other");
  if (!s) {
    on("source:none");
    return f;
  }
  if (s.fromNotes) {
    on("source:notes");
    return f;
  }
  if (item.owner === s.speakerId) on("owner:speaker");
  else if (item.owner !== null) on("owner:other");
  const said = clean(s.text);
  const lead = new RegExp(`^(?:${people.pattern})\\s*,`, "u");
  const addressed = lead.test(said);
  const body = said.replace(new RegExp(`^(?:${people.pattern})\\s*,\\s*`, "u"), "");
  if (addressed) on("src:addressee-first");
  if (new RegExp(`,\\s*(?:${people.pattern})\\s*[?.!]?$`, "u").test(said)) on("src:addressee-last");
  if (/\?\s*$/.test(s.text)) on("src:question");
  if (FIRST.test(body)) on("src:first-person");
  else if (/\bI\b/.test(body)) on("src:i-inside");
  if (WE.test(body)) on("src:we");
  if (REQUEST.test(body)) on("src:request");
  if (HEDGE.test(body)) on("src:hedge");
  if (NEGATION.test(body)) on("src:negation");
  if (PAST.test(body)) on("src:past");
  if (CONDITION.test(body)) on("src:condition");
  if (startsWithVerb(lowerFirst(body))) on("src:imperative");
  if (THING_PRONOUN.test(body)) on("src:pronoun");
  // How much of the item is not in the sentence it came from (a pronoun resolved, a topic carried).
  const src = new Set(
    contentWords(
      all
        .filter((x) => x.turn === s.turn)
        .map((x) => x.text)
        .join(" "),
    ),
  );
  const mine = contentWords(item.text);
  const strange = mine.filter((w) => !src.has(w)).length;
  on(bucket("foreign", mine.length === 0 ? 0 : strange / mine.length, [0, 0.34, 0.67]));
  // The answer: the first sentence of the next turn by someone else.
  const next = all.find((x) => x.turn === s.turn + 1 && !x.fromNotes);
  if (next) {
    const reply = next.text.trim();
    if (ACCEPT.test(reply)) on("next:accepts");
    if (REFUSE.test(reply)) on("next:refuses");
    if (/\?\s*$/.test(reply)) on("next:question");
  } else on("next:none");
  const prev = [...all].reverse().find((x) => x.turn === s.turn - 1 && !x.fromNotes);
  if (prev && /\?\s*$/.test(prev.text)) on("prev:question");
  if (prev && item.owner === s.speakerId && new RegExp(people.pattern, "u").test(prev.text))
    on("prev:names-someone");
  const turns = all.length === 0 ? 1 : Math.max(1, all[all.length - 1]!.turn + 1);
  on(bucket("pos", s.turn / turns, [0.1, 0.8, 0.9]));
  return f;
}

function lowerFirst(t: string): string {
  return t.length > 1 && /^[A-Z][a-z]/.test(t) ? t[0]!.toLowerCase() + t.slice(1) : t;
}
