/**
 * Scores one provider's insights against a labelled meeting.
 *
 * Matching: a predicted item matches a gold item when at least half of the
 * gold text's content words (crude stems) appear in the predicted text, or
 * when the predicted text is short and says nothing else: at least two
 * content words, every one of them in the gold text ("Talk to Mateo" for
 * "talk to Mateo about vouching for Sarah's migration work"); each gold item
 * matches at most one prediction (best overlap first).
 * Owner accuracy and due-date accuracy are over matched action items (an
 * unowned prediction for an owned gold item is wrong, and so is a due date
 * where none was said). Summary coverage: a gold summary point is covered
 * when half its content words appear in the summary or key takeaways.
 * Defects: raw ids in any text, fragments (items under three words or
 * ending on a dangling word), questions filed as action items.
 */
import { contentWords } from "../../projections/core/keywords";

/** What the scorer reads of an insights result. */
export type ScoredInsights = {
  summary: string;
  actionItems: { text: string; ownerName: string | null; dueDate: string | null }[];
  decisions: { text: string }[];
  keyTakeaways: { text: string }[];
  allText: string[];
};

/** Gold answers of one meeting. */
export type Gold = {
  actions: { owner: string | null; due: string | null; text: string }[];
  decisions: string[];
  summary: string[];
};

/** Counts for one meeting (summed over meetings before ratios are taken). */
export type Counts = {
  actionTp: number;
  actionPred: number;
  actionGold: number;
  ownerRight: number;
  dueRight: number;
  decisionTp: number;
  decisionPred: number;
  decisionGold: number;
  summaryCovered: number;
  summaryGold: number;
  idsShown: number;
  fragments: number;
  questionsAsItems: number;
};

function stem(w: string): string {
  return w.replace(/(?:ing|ed|es|s)$/, "").slice(0, 6);
}
/**
 * Content words (crude stems) of `t`, and its two-letter capitalized abbreviations ("PR", "HR",
 * "QA", "UX"): `contentWords` drops every word under three letters, so "Review the PR" had one
 * content word and could match nothing however right it was (named in the fourth pass). "OK",
 * "AM", "PM" say nothing about a task.
 */
function bag(t: string): Set<string> {
  const words = contentWords(t).map(stem);
  for (const a of t.match(/\b[A-Z]{2}\b/g) ?? [])
    if (!/^(?:OK|AM|PM)$/.test(a)) words.push(a.toLowerCase());
  return new Set(words);
}
function overlap(gold: string, pred: string): number {
  const g = bag(gold);
  const p = bag(pred);
  if (g.size === 0) return 0;
  let hit = 0;
  for (const w of g) if (p.has(w)) hit++;
  return hit / g.size;
}

/**
 * How well `pred` matches `gold`: the share of gold words it has, or the threshold when every
 * one of its own (two or more) content words is in the gold text. Why the second case: gold
 * items are written with the context a reader needs, so a correct item in the speaker's own
 * short words ("Put Tariq down for the 12th and 13th") names too few of them; a prediction
 * that adds nothing outside the gold text cannot be a different task, while one word alone
 * ("Comment") is too little to tell. Words of its due date ("tomorrow", "by Friday") are left
 * out of that test, and so is "first thing" ("Call the agency first thing tomorrow"): the due date
 * is scored on its own.
 */
export function similarity(gold: string, pred: string): number {
  const s = overlap(gold, pred);
  if (s >= MATCH_THRESHOLD) return s;
  const g = bag(gold);
  const p = [...bag(pred.replace(/\bfirst thing\b/gi, " "))].filter((w) => !WHEN_WORD.test(w));
  return p.length >= 2 && p.every((w) => g.has(w)) ? MATCH_THRESHOLD : s;
}

/** Stems of words that only say when ("tomorrow", "friday", "12th", "week"). */
const WHEN_WORD =
  /^(?:today|tomorr|tonigh|monday|tuesda|wednes|thursd|friday|saturd|sunday|januar|februa|march|april|may|june|july|august|septem|octobe|novemb|decemb|week|weeken|month|mornin|aftern|evenin|night|end|next|\d+(?:st|nd|rd|th)?)$/;

/** A name without titles, lower-cased ("Dr. Helen Okafor" = "Helen Okafor"). */
export function personKey(name: string | null | undefined): string | null {
  if (!name) return null;
  return name
    .split(/\s+/)
    .filter((w) => !/^(?:dr|prof|mr|mrs|ms|mx)\.?$/i.test(w))
    .join(" ")
    .toLowerCase();
}

/** Why: half the gold words is what a paraphrase keeps while a different item rarely does. */
export const MATCH_THRESHOLD = 0.5;

/** One-to-one matches (gold index, predicted index), best overlap first. */
export function match(gold: readonly string[], pred: readonly string[]): [number, number][] {
  const pairs: { g: number; p: number; s: number }[] = [];
  for (const [gi, g] of gold.entries()) {
    for (const [pi, p] of pred.entries()) {
      const s = similarity(g, p);
      if (s >= MATCH_THRESHOLD) pairs.push({ g: gi, p: pi, s });
    }
  }
  pairs.sort((a, b) => b.s - a.s);
  const gUsed = new Set<number>();
  const pUsed = new Set<number>();
  const out: [number, number][] = [];
  for (const x of pairs) {
    if (gUsed.has(x.g) || pUsed.has(x.p)) continue;
    gUsed.add(x.g);
    pUsed.add(x.p);
    out.push([x.g, x.p]);
  }
  return out;
}

/** Scores one meeting. `ids` are the raw user ids that must never be shown. */
export function scoreMeeting(gold: Gold, got: ScoredInsights, ids: readonly string[]): Counts {
  const am = match(
    gold.actions.map((a) => a.text),
    got.actionItems.map((a) => a.text),
  );
  let ownerRight = 0;
  let dueRight = 0;
  for (const [g, p] of am) {
    const ga = gold.actions[g]!;
    const pa = got.actionItems[p]!;
    if (personKey(ga.owner) === personKey(pa.ownerName)) ownerRight++;
    if ((ga.due ?? null) === (pa.dueDate ?? null)) dueRight++;
  }
  const dm = match(
    gold.decisions,
    got.decisions.map((d) => d.text),
  );
  const coverText = [got.summary, ...got.keyTakeaways.map((t) => t.text)].join(" ");
  const covered = gold.summary.filter((s) => overlap(s, coverText) >= MATCH_THRESHOLD).length;
  const idsShown = got.allText.filter((t) =>
    ids.some((id) => id.length > 0 && t.includes(id)),
  ).length;
  const fragments = got.actionItems.filter(
    (a) =>
      a.text.trim().split(/\s+/).length < 3 ||
      /\b(?:the|a|an|to|and|or|of|for|with|but|so)\s*$/i.test(a.text.trim()),
  ).length;
  const questionsAsItems = got.actionItems.filter((a) => /\?\s*$/.test(a.text.trim())).length;
  return {
    actionTp: am.length,
    actionPred: got.actionItems.length,
    actionGold: gold.actions.length,
    ownerRight,
    dueRight,
    decisionTp: dm.length,
    decisionPred: got.decisions.length,
    decisionGold: gold.decisions.length,
    summaryCovered: covered,
    summaryGold: gold.summary.length,
    idsShown,
    fragments,
    questionsAsItems,
  };
}

/** Sum of per-meeting counts. */
export function sumCounts(all: readonly Counts[]): Counts {
  const z: Counts = {
    actionTp: 0,
    actionPred: 0,
    actionGold: 0,
    ownerRight: 0,
    dueRight: 0,
    decisionTp: 0,
    decisionPred: 0,
    decisionGold: 0,
    summaryCovered: 0,
    summaryGold: 0,
    idsShown: 0,
    fragments: 0,
    questionsAsItems: 0,
  };
  for (const c of all) for (const k of Object.keys(z) as (keyof Counts)[]) z[k] += c[k];
  return z;
}

/** Ratios of summed counts. */
export function ratios(c: Counts) {
  const r = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    actionPrecision: r(c.actionTp, c.actionPred),
    actionRecall: r(c.actionTp, c.actionGold),
    ownerAccuracy: r(c.ownerRight, c.actionTp),
    dueAccuracy: r(c.dueRight, c.actionTp),
    decisionPrecision: r(c.decisionTp, c.decisionPred),
    decisionRecall: r(c.decisionTp, c.decisionGold),
    summaryCoverage: r(c.summaryCovered, c.summaryGold),
  };
}
