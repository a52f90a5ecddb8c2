/**
 * Small pure helpers the row mappers share: text normalization, times, and
 * the result shape of a mapper.
 */
import type { RowIssue } from "../convex/lib/legacyRows";

/** What a mapper answers for one legacy row: the cleaned row (and repairs made), or why it is rejected. */
export type Mapped<T> = { ok: true; row: T; repairs: RowIssue[] } | { ok: false; issue: RowIssue };

/** A rejection of `legacyId`. */
export function reject<T>(legacyId: string, reason: string, detail: string): Mapped<T> {
  return { ok: false, issue: { legacyId, kind: "reject", reason, detail } };
}

/** A repair note for `legacyId`. */
export function repair(legacyId: string, reason: string, detail: string): RowIssue {
  return { legacyId, kind: "repair", reason, detail };
}

/**
 * Unicode text as Convex should hold it: NFC (legacy rows hold NFD names
 * from some clients), control characters removed, runs of whitespace made
 * one space, trimmed.
 */
export function cleanText(text: string | null | undefined): string {
  if (text === null || text === undefined) return "";
  return (
    text
      .normalize("NFC")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u001f\u007f]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** `text` cut to `max` UTF-16 units (ending in "…"), never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** Epoch ms from the reader (`extract(epoch …)` text), or null for NULL, infinity and garbage. */
export function toMs(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? Math.round(n) : null;
}

/** A plausible email (one `@`, a dot in the domain, no blanks), lower-cased; null otherwise. */
export function cleanEmail(raw: string | null | undefined): string | null {
  const e = (raw ?? "").normalize("NFC").trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : null;
}
