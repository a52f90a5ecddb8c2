/** Word-level similarity of two task texts (for matching and merging action items). */
import { contentWords } from "../core/keywords";

function stemOf(w: string): string {
  return w.replace(/(?:ing|ed|es|s)$/, "");
}

/** Whether two tasks share a word stem. */
export function sharesStem(a: string, b: string): boolean {
  const wb = new Set(contentWords(b).map(stemOf));
  return contentWords(a).some((w) => wb.has(stemOf(w)));
}

/** Whether half the content words of the shorter task appear in the other. */
export function similar(a: string, b: string): boolean {
  const wa = new Set(contentWords(a));
  const wb = new Set(contentWords(b));
  if (wa.size === 0 || wb.size === 0) return false;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / Math.min(wa.size, wb.size) >= 0.5;
}
