/**
 * The fixed vocabularies of profiles and matching, with their canonical keys:
 * professional roles, experience levels, languages (ISO 639-1 codes) and the
 * canonical form of free labels (interests, skills). Pure; shared by the
 * Convex functions (validation), the matcher and the web forms.
 */

/** Professional roles a person is, and the roles a queue entry may ask to meet. */
export const ROLES = [
  "engineering",
  "design",
  "product",
  "data",
  "research",
  "founder",
  "investor",
  "marketing",
  "sales",
  "operations",
  "people",
  "student",
  "other",
] as const;
/** A role key. */
export type Role = (typeof ROLES)[number];

/** Experience levels, in order of seniority (the index is the level). */
export const EXPERIENCE_LEVELS = [
  "student",
  "junior",
  "mid",
  "senior",
  "lead",
  "executive",
] as const;
/** An experience level key. */
export type ExperienceLevel = (typeof EXPERIENCE_LEVELS)[number];

/** Seniority rank of a level (0 = student). */
export function seniority(level: ExperienceLevel | undefined): number | null {
  if (level === undefined) return null;
  return EXPERIENCE_LEVELS.indexOf(level);
}

/** Limits of a profile's lists and texts; each with its reason. */
export const PROFILE_LIMITS = {
  /** Why: a name or title is one line of UI text. */
  shortText: 120,
  /** Why: a bio is a paragraph or two; longer text belongs in a document. */
  bio: 2_000,
  /** Why: goals are a few sentences. */
  goal: 200,
  /** Why: a handful of goals keeps the profile scannable. */
  goals: 5,
  /** Why: matching uses a handful of interests; dozens are noise (and bound the queue card). */
  interests: 30,
  /** Why: as interests; skills and wishes to learn are each a short list. */
  skills: 30,
  /** Why: nobody speaks more than a dozen languages well enough to meet in them. */
  languages: 12,
  /** Why: a profile links to a few places, not a directory. */
  links: 5,
  /** Why: a URL of 500 characters is a tracking link or an attack. */
  url: 500,
  /** Why: a label or skill is a word or three. */
  label: 60,
} as const;

/**
 * The canonical key of a free label: lower case, ASCII letters and digits
 * separated by single dashes ("Machine Learning" → "machine-learning",
 * "C++" → "c-plus-plus", "C#" → "c-sharp"). Empty when nothing is left.
 */
export function canonicalKey(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/\+/g, " plus ")
    .replace(/#/g, " sharp ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** A language code: ISO 639-1 (two letters) or 639-2/3 (three), lower case. */
export function isLanguageCode(code: string): boolean {
  return /^[a-z]{2,3}$/.test(code);
}

/** Names of common languages for the forms (others show their code). */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: "English",
  de: "German",
  fr: "French",
  es: "Spanish",
  it: "Italian",
  pt: "Portuguese",
  nl: "Dutch",
  pl: "Polish",
  sv: "Swedish",
  tr: "Turkish",
  ar: "Arabic",
  hi: "Hindi",
  zh: "Chinese",
  ja: "Japanese",
  ko: "Korean",
  ru: "Russian",
  uk: "Ukrainian",
};

/** True when `url` is an absolute https URL without credentials. */
export function isSafeHttpsUrl(url: string): boolean {
  if (url.length > PROFILE_LIMITS.url) return false;
  try {
    const u = new URL(url);
    return u.protocol === "https:" && u.username === "" && u.password === "" && u.hostname !== "";
  } catch {
    return false;
  }
}
