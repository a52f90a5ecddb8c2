/**
 * The text of a profile that embedding providers see, built the same way
 * everywhere (the debounced re-embed, the backfill, the benchmarks), plus a
 * stable hash of it so an unchanged profile is not embedded again. Pure.
 */

/** The profile fields that shape its embedding. */
export type EmbeddableProfile = {
  headline?: string;
  jobTitle?: string;
  company?: string;
  industry?: string;
  role?: string;
  experience?: string;
  bio?: string;
  goals?: readonly string[];
  skills?: readonly string[];
  learning?: readonly string[];
  interests?: readonly string[];
};

/** Why 8,000: providers cap inputs (~8k tokens); a profile's text is far shorter, this bounds abuse. */
export const MAX_EMBED_TEXT = 8_000;

/** The labelled text of a profile, one field per line, in a fixed order. */
export function profileText(p: EmbeddableProfile): string {
  const lines: string[] = [];
  const one = (name: string, value: string | undefined) => {
    const v = value?.trim();
    if (v) lines.push(`${name}: ${v}`);
  };
  const many = (name: string, values: readonly string[] | undefined) => {
    const v = (values ?? []).map((x) => x.trim()).filter(Boolean);
    if (v.length > 0) lines.push(`${name}: ${v.join(", ")}`);
  };
  one("Headline", p.headline);
  one("Job title", p.jobTitle);
  one("Role", p.role);
  one("Industry", p.industry);
  one("Experience", p.experience);
  many("Interests", p.interests);
  many("Skills", p.skills);
  many("Wants to learn", p.learning);
  many("Goals", p.goals);
  one("Company", p.company);
  one("Bio", p.bio);
  return lines.join("\n").slice(0, MAX_EMBED_TEXT);
}

/** FNV-1a (32-bit) of a string's UTF-16 code units. */
export function fnv1a32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A 64-bit hex digest (two FNV-1a passes with different seeds): change detection, not security. */
export function textHash(s: string): string {
  return (
    fnv1a32(s).toString(16).padStart(8, "0") +
    fnv1a32(s, 0x01000193 ^ 0x9e3779b9)
      .toString(16)
      .padStart(8, "0")
  );
}
