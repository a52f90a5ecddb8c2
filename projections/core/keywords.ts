/**
 * Deterministic keyword extraction for transcript segments and meeting topics:
 * lower-cased word tokens minus English stop words, ranked by frequency then
 * alphabetically. Cheap enough to run inside a projector mutation on every
 * batch (the wink-nlp model is reserved for insights, which run in actions).
 */

/** Why: common English function words and filler that carry no topic. */
const STOP_WORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before " +
    "being below between both but by can could did do does doing down during each few for from " +
    "further get got had has have having he her here hers herself him himself his how i if in " +
    "into is it its itself just let like me more most my myself no nor not now of off on once " +
    "only or other our ours ourselves out over own really same she should so some such than " +
    "that the their theirs them themselves then there these they this those through to too " +
    "under until up us very was we were what when where which while who whom why will with " +
    "would yeah yes you your yours yourself yourselves okay ok um uh hmm gonna wanna going " +
    "think know thing things kind sort well right one two also actually maybe sure lot much"
  ).split(" "),
);

/** Word tokens of `text`, lower-cased (letters, digits, inner apostrophes/hyphens). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Content words of `text`: tokens of 3+ characters that are not stop words or numbers. */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}

/**
 * Why: folds recount a segment's keywords at every chunk, over the same utterance texts again and
 * again; tokenizing them was most of a transcript fold's time (`timeline.stateAt`'s tail, the
 * segments projector). A pure function of the text, so a bounded cache changes no answer.
 */
const CONTENT_WORDS_CACHE_MAX = 4_096;
const contentWordsCache = new Map<string, readonly string[]>();

function cachedContentWords(text: string): readonly string[] {
  let words = contentWordsCache.get(text);
  if (words === undefined) {
    if (contentWordsCache.size >= CONTENT_WORDS_CACHE_MAX) contentWordsCache.clear();
    words = contentWords(text);
    contentWordsCache.set(text, words);
  }
  return words;
}

/**
 * The `k` most frequent content words of `texts` (ties alphabetical). Counting is per text, so
 * passing a segment's utterances one by one gives what their space-joined text gives.
 */
export function topKeywords(texts: readonly string[], k: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts)
    for (const w of cachedContentWords(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([w]) => w);
}

/** Number of words in `text` (whitespace-separated runs). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}
