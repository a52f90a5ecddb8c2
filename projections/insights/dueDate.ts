/**
 * Due dates in what people say ("by Friday", "next Tuesday", "end of the
 * month", "March 20th", "in two weeks") found in a sentence and resolved to a
 * calendar date against the meeting's date (UTC days). Pure: the reference
 * instant arrives as data.
 *
 * Conventions (the labelled set in `bench/data` follows them):
 * - a weekday ("Friday", "by Friday", "this Friday", "on Friday") is its next
 *   occurrence after the meeting day; "next Friday" is the Friday of the
 *   following Monday-to-Sunday week;
 * - "end of the week" / "this week" / "EOW" is this week's Friday, "end of
 *   next week" next week's Friday, "next week" next week's Monday;
 * - "today", "tonight", "this afternoon", "EOD" are the meeting day;
 * - a bare ordinal ("the 20th") is that day of this month, or of the next
 *   month when it has passed; a month and day without a year is the next such date.
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  couple: 2,
};

/** A due date found in a sentence. */
export type DueMatch = { phrase: string; index: number; date: string | null };

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
/** Monday of the week of `ms` (Monday-start weeks). */
function mondayOf(ms: number): number {
  const d = dayStart(ms);
  const dow = new Date(d).getUTCDay();
  return d - ((dow + 6) % 7) * DAY_MS;
}
function monthIndex(word: string): number {
  const w = word.toLowerCase();
  return MONTHS.findIndex((m) => m === w || (w.length >= 3 && m.startsWith(w) && w !== "may"));
}
function endOfMonth(year: number, month: number): number {
  return Date.UTC(year, month + 1, 0);
}
function dateOf(ref: number, year: number | null, month: number, day: number): number {
  const r = new Date(ref);
  let y = year ?? r.getUTCFullYear();
  let t = Date.UTC(y, month, day);
  if (year === null && t < dayStart(ref)) {
    y += 1;
    t = Date.UTC(y, month, day);
  }
  return t;
}

const MONTH_RE =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY_RE = "(?:mon|tues|wednes|thurs|fri|satur|sun)day";
const ORD = "(\\d{1,2})(?:st|nd|rd|th)?";
const NUM =
  "(\\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|couple(?: of)?)";

type Rule = {
  re: RegExp;
  resolve: (m: RegExpExecArray, ref: number) => number | null;
  rank: number;
};

/** Rules, most specific first (rank breaks ties between overlapping finds). */
const RULES: Rule[] = [
  {
    // 2025-03-20
    re: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    resolve: (m) => Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])),
    rank: 0,
  },
  {
    // March 20th, Mar 20, 2026; Wednesday the 22nd is handled by the bare-ordinal rule
    re: new RegExp(`\\b(${MONTH_RE})\\.? ${ORD}(?:,? (\\d{4}))?\\b`, "gi"),
    resolve: (m, ref) => {
      const month = monthIndex(m[1]!.replace(/\.$/, ""));
      const day = Number(m[2]);
      if (month < 0 || day < 1 || day > 31) return null;
      return dateOf(ref, m[3] ? Number(m[3]) : null, month, day);
    },
    rank: 0,
  },
  {
    // 20th of March, 9 July, the 1st of November
    re: new RegExp(`\\b(?:the )?${ORD} (?:of )?(${MONTH_RE})\\b(?:,? (\\d{4}))?`, "gi"),
    resolve: (m, ref) => {
      const month = monthIndex(m[2]!);
      const day = Number(m[1]);
      if (month < 0 || day < 1 || day > 31) return null;
      return dateOf(ref, m[3] ? Number(m[3]) : null, month, day);
    },
    rank: 0,
  },
  {
    // 3/20 (US month/day)
    re: /\b(\d{1,2})\/(\d{1,2})\b/g,
    resolve: (m, ref) => {
      const month = Number(m[1]) - 1;
      const day = Number(m[2]);
      if (month < 0 || month > 11 || day < 1 || day > 31) return null;
      return dateOf(ref, null, month, day);
    },
    rank: 1,
  },
  {
    // the 20th (needs the ordinal suffix)
    re: /\bthe (\d{1,2})(?:st|nd|rd|th)\b/gi,
    resolve: (m, ref) => {
      const day = Number(m[1]);
      if (day < 1 || day > 31) return null;
      const r = new Date(ref);
      let t = Date.UTC(r.getUTCFullYear(), r.getUTCMonth(), day);
      if (t < dayStart(ref)) t = Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, day);
      return t;
    },
    rank: 1,
  },
  {
    re: /\bend of (?:the |this )?(?:q([1-4])|quarter)\b/gi,
    resolve: (m, ref) => {
      const r = new Date(ref);
      const q = m[1] ? Number(m[1]) - 1 : Math.floor(r.getUTCMonth() / 3);
      return endOfMonth(r.getUTCFullYear(), q * 3 + 2);
    },
    rank: 2,
  },
  {
    re: /\bend of (?:the |this )?month\b|\bEOM\b/gi,
    resolve: (_m, ref) => {
      const r = new Date(ref);
      return endOfMonth(r.getUTCFullYear(), r.getUTCMonth());
    },
    rank: 2,
  },
  {
    re: /\bend of next month\b/gi,
    resolve: (_m, ref) => {
      const r = new Date(ref);
      return endOfMonth(r.getUTCFullYear(), r.getUTCMonth() + 1);
    },
    rank: 2,
  },
  {
    re: /\bend of next week\b/gi,
    resolve: (_m, ref) => mondayOf(ref) + 11 * DAY_MS,
    rank: 2,
  },
  {
    re: /\b(?:(?:the )?end of (?:the |this )?week|EOW|this week)\b/gi,
    resolve: (_m, ref) => mondayOf(ref) + 4 * DAY_MS,
    rank: 3,
  },
  {
    re: /\bnext week\b/gi,
    resolve: (_m, ref) => mondayOf(ref) + 7 * DAY_MS,
    rank: 3,
  },
  {
    re: new RegExp(`\\bnext (${WEEKDAY_RE})\\b`, "gi"),
    resolve: (m, ref) => {
      const dow = WEEKDAYS.indexOf(m[1]!.toLowerCase());
      return mondayOf(ref) + (7 + ((dow + 6) % 7)) * DAY_MS;
    },
    rank: 2,
  },
  {
    re: new RegExp(`\\b(${WEEKDAY_RE})\\b`, "gi"),
    resolve: (m, ref) => {
      const dow = WEEKDAYS.indexOf(m[1]!.toLowerCase());
      const today = new Date(dayStart(ref)).getUTCDay();
      const ahead = (dow - today + 7) % 7 || 7;
      return dayStart(ref) + ahead * DAY_MS;
    },
    rank: 3,
  },
  {
    re: /\b(?:tomorrow|first thing tomorrow)\b/gi,
    resolve: (_m, ref) => dayStart(ref) + DAY_MS,
    rank: 3,
  },
  {
    re: /\b(?:today|tonight|this (?:morning|afternoon|evening)|end of (?:the )?day|EOD|COB|close of business)\b/gi,
    resolve: (_m, ref) => dayStart(ref),
    rank: 3,
  },
  {
    re: new RegExp(`\\b(?:in|within) (?:the next )?${NUM} (day|week|month)s?\\b`, "gi"),
    resolve: (m, ref) => {
      const n = NUMBER_WORDS[m[1]!.toLowerCase().replace(/ of$/, "")] ?? Number(m[1]);
      if (!Number.isFinite(n) || n <= 0) return null;
      const unit = m[2]!.toLowerCase();
      if (unit === "month") {
        const r = new Date(ref);
        return Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + n, r.getUTCDate());
      }
      return dayStart(ref) + n * (unit === "week" ? 7 : 1) * DAY_MS;
    },
    rank: 3,
  },
];

/** Words before a date that make it a due date rather than a mention ("by", "before"…). */
const LEAD = /(?:\b(?:by|before|until|till|no later than|on|for|due|this|at the latest)\s+)$/i;

/**
 * The due date a sentence states, if any: the most specific date expression
 * (explicit dates beat weekdays beat relative words), resolved against `ref`.
 */
export function findDue(text: string, ref: number): DueMatch | null {
  let best: (DueMatch & { rank: number }) | null = null;
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      const t = rule.resolve(m, ref);
      if (t === null || !Number.isFinite(t)) continue;
      const lead = LEAD.exec(text.slice(0, m.index));
      const start = lead ? m.index - lead[0].length : m.index;
      const phrase = text.slice(start, m.index + m[0].length);
      const cand = { phrase, index: start, date: iso(t), rank: rule.rank };
      if (
        best === null ||
        cand.rank < best.rank ||
        (cand.rank === best.rank && cand.index < best.index)
      ) {
        best = cand;
      }
    }
  }
  if (!best) return null;
  return { phrase: best.phrase, index: best.index, date: best.date };
}

/** The date (YYYY-MM-DD) a due phrase resolves to against `ref`, or null. */
export function resolveDue(phrase: string, ref: number): string | null {
  return findDue(phrase, ref)?.date ?? null;
}
