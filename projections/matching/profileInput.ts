/**
 * Validation and normalisation of a profile edit (pure): texts trimmed and
 * capped, lists de-duplicated by canonical key and capped, language codes
 * and https links checked, interests turned into catalogue keys. Returns the
 * patch to store or the first problem, in words that name the field.
 */
import {
  canonicalKey,
  type ExperienceLevel,
  isLanguageCode,
  isSafeHttpsUrl,
  PROFILE_LIMITS,
  type Role,
} from "./catalogue";

/** A profile edit as a client sends it (absent = unchanged; "" or [] = cleared). */
export type ProfileInput = {
  displayName?: string;
  headline?: string;
  jobTitle?: string;
  company?: string;
  industry?: string;
  location?: string;
  role?: Role;
  experience?: ExperienceLevel;
  yearsOfExperience?: number;
  bio?: string;
  goals?: string[];
  skills?: string[];
  learning?: string[];
  languages?: string[];
  offersMentoring?: boolean;
  seeksMentoring?: boolean;
  openToCollaborate?: boolean;
  links?: { label: string; url: string }[];
  /** Interest labels (unknown ones join the catalogue). */
  interests?: string[];
};

/** The stored form of an edit. */
export type ProfilePatch = Omit<ProfileInput, "interests">;

/** The outcome of {@link normalizeProfileInput}. */
export type NormalizedProfile =
  | { ok: true; patch: ProfilePatch; interests: { key: string; label: string }[] | null }
  | { ok: false; message: string };

const SHORT_FIELDS = [
  "displayName",
  "headline",
  "jobTitle",
  "company",
  "industry",
  "location",
] as const;

/** Labels de-duplicated by canonical key (first spelling wins), each checked. */
function labelList(
  field: string,
  values: readonly string[],
  max: number,
): { ok: true; items: { key: string; label: string }[] } | { ok: false; message: string } {
  const seen = new Map<string, string>();
  for (const raw of values) {
    const label = raw.trim().replace(/\s+/g, " ");
    const key = canonicalKey(label);
    if (key.length === 0 || label.length > PROFILE_LIMITS.label)
      return {
        ok: false,
        message: `${field}: "${raw.slice(0, 40)}" must be 1–${PROFILE_LIMITS.label} characters with a letter or digit`,
      };
    if (!seen.has(key)) seen.set(key, label);
  }
  if (seen.size > max) return { ok: false, message: `${field}: at most ${max} entries` };
  return { ok: true, items: [...seen].map(([key, label]) => ({ key, label })) };
}

/** Validate and normalise an edit (see the module comment). */
export function normalizeProfileInput(input: ProfileInput): NormalizedProfile {
  const patch: ProfilePatch = {};
  for (const f of SHORT_FIELDS) {
    const value = input[f];
    if (value === undefined) continue;
    const t = value.trim().replace(/\s+/g, " ");
    if (t.length > PROFILE_LIMITS.shortText)
      return { ok: false, message: `${f} must be at most ${PROFILE_LIMITS.shortText} characters` };
    patch[f] = t;
  }
  if (input.displayName !== undefined && patch.displayName === "")
    return { ok: false, message: "displayName cannot be empty" };
  if (input.bio !== undefined) {
    const bio = input.bio.trim();
    if (bio.length > PROFILE_LIMITS.bio)
      return { ok: false, message: `bio must be at most ${PROFILE_LIMITS.bio} characters` };
    patch.bio = bio;
  }
  if (input.yearsOfExperience !== undefined) {
    const y = input.yearsOfExperience;
    if (!Number.isInteger(y) || y < 0 || y > 70)
      return { ok: false, message: "yearsOfExperience must be a whole number from 0 to 70" };
    patch.yearsOfExperience = y;
  }
  if (input.goals !== undefined) {
    const goals = [...new Set(input.goals.map((g) => g.trim()).filter(Boolean))];
    if (goals.length > PROFILE_LIMITS.goals)
      return { ok: false, message: `goals: at most ${PROFILE_LIMITS.goals}` };
    if (goals.some((g) => g.length > PROFILE_LIMITS.goal))
      return { ok: false, message: `goals: each at most ${PROFILE_LIMITS.goal} characters` };
    patch.goals = goals;
  }
  for (const f of ["skills", "learning"] as const) {
    const values = input[f];
    if (values === undefined) continue;
    const r = labelList(f, values, PROFILE_LIMITS.skills);
    if (!r.ok) return r;
    patch[f] = r.items.map((i) => i.label);
  }
  if (input.languages !== undefined) {
    const codes = [...new Set(input.languages.map((l) => l.trim().toLowerCase()))];
    const bad = codes.find((c) => !isLanguageCode(c));
    if (bad !== undefined)
      return {
        ok: false,
        message: `languages: "${bad.slice(0, 20)}" is not an ISO 639 code like "en"`,
      };
    if (codes.length > PROFILE_LIMITS.languages)
      return { ok: false, message: `languages: at most ${PROFILE_LIMITS.languages}` };
    patch.languages = codes;
  }
  if (input.links !== undefined) {
    if (input.links.length > PROFILE_LIMITS.links)
      return { ok: false, message: `links: at most ${PROFILE_LIMITS.links}` };
    const links = [];
    for (const l of input.links) {
      const label = l.label.trim();
      const url = l.url.trim();
      if (label.length === 0 || label.length > PROFILE_LIMITS.label)
        return {
          ok: false,
          message: `links: a label must be 1–${PROFILE_LIMITS.label} characters`,
        };
      if (!isSafeHttpsUrl(url))
        return { ok: false, message: `links: "${url.slice(0, 60)}" must be an https URL` };
      links.push({ label, url });
    }
    patch.links = links;
  }
  for (const f of [
    "role",
    "experience",
    "offersMentoring",
    "seeksMentoring",
    "openToCollaborate",
  ] as const) {
    if (input[f] !== undefined) (patch as Record<string, unknown>)[f] = input[f];
  }
  let interests: { key: string; label: string }[] | null = null;
  if (input.interests !== undefined) {
    const r = labelList("interests", input.interests, PROFILE_LIMITS.interests);
    if (!r.ok) return r;
    interests = r.items;
  }
  return { ok: true, patch, interests };
}

/** What onboarding still needs (empty = complete). */
export function onboardingMissing(p: {
  displayName?: string;
  headline?: string;
  jobTitle?: string;
  role?: string;
  languages?: readonly string[];
  interests: readonly string[];
}): string[] {
  const missing: string[] = [];
  if (!p.displayName) missing.push("displayName");
  if (!p.headline && !p.jobTitle) missing.push("headline");
  if (!p.role) missing.push("role");
  if ((p.languages ?? []).length === 0) missing.push("languages");
  if (p.interests.length === 0) missing.push("interests");
  return missing;
}
