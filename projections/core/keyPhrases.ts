/**
 * Key phrases of a conversation: RAKE-style candidates (runs of content
 * words cut at stop words and punctuation), scored by how often their words
 * recur, with filler and conversational words ("great", "next", "everyone",
 * weekdays, numbers) never a topic on their own. Pure and cheap (no model),
 * so it runs in projector mutations and in the browser alike.
 */
import { contentWords } from "./keywords";

/**
 * Why: words that are frequent in meetings but name no topic — courtesy,
 * hedges, generic verbs and time words. They may sit inside a phrase
 * ("next sprint") but never stand alone as one.
 */
const FILLER = new Set(
  (
    "great good nice fine cool awesome perfect lovely wonderful excellent fair sounds sound " +
    "next last first second third everyone anyone someone somebody everybody nobody people " +
    "person guys folks team thanks thank please sorry hello morning afternoon evening night " +
    "today tomorrow tonight yesterday week weeks month months day days year years time times " +
    "minute minutes hour hours monday tuesday wednesday thursday friday saturday sunday " +
    "need needs needed want wants wanted make makes made take takes took get gets getting " +
    "go goes went done said say says tell told talk talking look looking see seen saw come " +
    "came give gave put keep kept start started call called send sent ask asked let lets " +
    "let's new old big small little bit way something anything everything nothing stuff " +
    "still even ever already probably perhaps though anyway honestly basically literally " +
    "quite pretty real whole part point idea ideas question questions problem issue " +
    "meeting call today's agreed agree decided decide yes yep nope sure right " +
    "hey okay alright three four five six seven eight nine ten twenty thirty hundred " +
    "thousand percent half able else other another many few much lot lots without instead " +
    "especially welcome ones action actions todo item items late early soon feel common asking running staying doing trying"
  ).split(" "),
);

/** Why: a topic is a short phrase; longer runs are clauses the stop list failed to cut. */
const MAX_PHRASE_WORDS = 3;

function stem(w: string): string {
  return w.length > 4 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w;
}

/** Why: a contraction ("i'll", "that's") is never a topic; a possessive counts as its noun. */
const CONTRACTED = new Set([
  "that",
  "it",
  "he",
  "she",
  "there",
  "here",
  "what",
  "who",
  "let",
  "where",
]);

function normalizeWord(w: string): string | null {
  const possessive = /^(.+)['’]s$/.exec(w);
  if (possessive && !CONTRACTED.has(possessive[1]!)) return possessive[1]!;
  return /['’]/.test(w) ? null : w;
}

/** Candidate phrases of one text: runs of content words between stop words and punctuation. */
function candidates(text: string): string[][] {
  const out: string[][] = [];
  for (const clause of text.split(/[.,;:!?()"“”\n\u2014\u2013]+|\s-\s/)) {
    let run: string[] = [];
    const words = clause.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
    for (const raw of words) {
      const w = normalizeWord(raw);
      const content = w !== null && contentWords(w).length === 1;
      if (content && w !== null) run.push(w);
      if (!content || run.length === MAX_PHRASE_WORDS) {
        if (run.length > 0) out.push(run);
        run = [];
      }
    }
    if (run.length > 0) out.push(run);
  }
  return out
    .map((r) => trimFiller(r))
    .filter((r) => r.length > 0 && !r.every((w) => FILLER.has(w)));
}

function trimFiller(run: string[]): string[] {
  let a = 0;
  let b = run.length;
  while (a < b && FILLER.has(run[a]!)) a++;
  while (b > a && FILLER.has(run[b - 1]!)) b--;
  return run.slice(a, b);
}

/**
 * The `k` best key phrases of `texts`, best first. Every 1–3-word n-gram
 * inside a candidate run counts once per occurrence; a phrase scores its count
 * times a length bonus (a repeated two-word phrase beats its words alone), and
 * phrases whose words a better phrase already covers are dropped. `exclude`
 * words (e.g. participants' names) never start or end a phrase.
 */
export function keyPhrases(
  texts: readonly string[],
  k: number,
  exclude: readonly string[] = [],
): string[] {
  const skip = new Set(exclude.map((w) => w.toLowerCase()));
  const runs = texts
    .flatMap(candidates)
    .map((r) => trimWith(r, skip))
    .filter((r) => r.length > 0);
  const grams = new Map<string, { words: string[]; count: number; first: number }>();
  let order = 0;
  for (const r of runs) {
    for (let n = 1; n <= Math.min(MAX_PHRASE_WORDS, r.length); n++) {
      for (let i = 0; i + n <= r.length; i++) {
        const words = r.slice(i, i + n);
        if (FILLER.has(words[0]!) || FILLER.has(words[n - 1]!)) continue;
        if (skip.has(words[0]!) || skip.has(words[n - 1]!)) continue;
        const key = words.map(stem).join(" ");
        const g = grams.get(key);
        if (g) g.count++;
        else grams.set(key, { words, count: 1, first: order++ });
      }
    }
  }
  const scored = [...grams.entries()].map(([key, g]) => ({
    key,
    stems: key.split(" "),
    text: g.words.join(" "),
    first: g.first,
    score:
      g.count * (1 + 0.6 * (g.words.length - 1)) * (g.count === 1 && g.words.length > 1 ? 0.5 : 1),
  }));
  scored.sort((a, b) => b.score - a.score || b.stems.length - a.stems.length || a.first - b.first);
  const out: { text: string; stems: string[] }[] = [];
  for (const s of scored) {
    if (out.length >= k) break;
    if (out.some((o) => s.stems.every((w) => o.stems.includes(w)))) continue;
    // A longer phrase that only adds words to a chosen one is shown as the chosen one.
    if (out.some((o) => o.stems.every((w) => s.stems.includes(w)))) continue;
    out.push({ text: s.text, stems: s.stems });
  }
  return out.map((o) => o.text);
}

function trimWith(run: string[], skip: Set<string>): string[] {
  return run.filter((w) => !skip.has(w));
}
