/**
 * Pure text helpers of search: notes split into bounded chunks (each a search
 * source with its own moment), and the snippet shown with a hit. Tokens are
 * Convex's (runs of letters and digits, lower-cased), so the snippet centres
 * on what the index matched; the last query term matches as a prefix, as in
 * Convex.
 */

/** Why: a chunk is a search document; ~1,000 characters is a few paragraphs, enough context for BM25. */
export const NOTE_CHUNK_CHARS = 1000;
/** Why: bounds one notes save's reads and writes of search sources (~200 KB of notes text indexed). */
export const MAX_NOTE_CHUNKS = 200;
/** Why: a snippet is one line in the results list. */
export const SNIPPET_CHARS = 160;

const TOKEN = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu;

/** Split notes text (paragraphs joined by "\n") into chunks of whole paragraphs, at most {@link MAX_NOTE_CHUNKS}. */
export function chunkNotes(text: string): string[] {
  const chunks: string[] = [];
  let current = "";
  const push = () => {
    if (current.trim().length > 0) chunks.push(current);
    current = "";
  };
  for (const para of text.split("\n")) {
    // A paragraph longer than a chunk is cut at the chunk size.
    for (let i = 0; i < Math.max(1, para.length); i += NOTE_CHUNK_CHARS) {
      const piece = para.slice(i, i + NOTE_CHUNK_CHARS);
      if (current.length > 0 && current.length + 1 + piece.length > NOTE_CHUNK_CHARS) push();
      current = current.length > 0 ? `${current}\n${piece}` : piece;
    }
  }
  push();
  return chunks.slice(0, MAX_NOTE_CHUNKS);
}

/** Query terms as Convex reads them: tokens, lower-cased; the last one matches as a prefix. */
export function queryTerms(query: string): { exact: string[]; prefix: string | null } {
  const terms = [...query.matchAll(TOKEN)].map((m) => m[0].toLowerCase());
  const prefix = terms.at(-1) ?? null;
  return { exact: terms.slice(0, -1), prefix };
}

/**
 * A window of `text` around the first token the query matches, with the
 * matched tokens' character ranges inside the window (for highlighting).
 */
export function snippet(
  text: string,
  query: string,
  width = SNIPPET_CHARS,
): { text: string; highlights: Array<[number, number]> } {
  const { exact, prefix } = queryTerms(query);
  const matches: Array<[number, number]> = [];
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0].toLowerCase();
    if (exact.includes(t) || (prefix !== null && t.startsWith(prefix)) || t === prefix) {
      matches.push([m.index, m.index + m[0].length]);
    }
  }
  const first = matches[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  // Start at a word boundary when cutting into the text.
  if (start > 0) {
    const space = text.lastIndexOf(" ", start);
    if (space >= 0 && first - space < width) start = space + 1;
  }
  const end = Math.min(text.length, start + width);
  const body = text.slice(start, end);
  const lead = start > 0 ? "…" : "";
  const tail = end < text.length ? "…" : "";
  const highlights = matches
    .filter(([a, b]) => a >= start && b <= end)
    .map(([a, b]): [number, number] => [a - start + lead.length, b - start + lead.length]);
  return { text: `${lead}${body}${tail}`, highlights };
}
