/** A person the local development sign-in can act as. */
export type DevUser = {
  subject: string;
  name: string;
  email: string;
  /** The token's `email_verified` claim (the development issuer states what it is told). */
  emailVerified?: boolean;
};

/**
 * The demo people the seed creates (`scripts/start.sh` seeds them once). Signing
 * in as one of them in each of two browsers is the quickest way to see the
 * collaborative editor at work.
 */
export const DEMO_USERS: readonly DevUser[] = [
  { subject: "demo-ada", name: "Ada Lovelace", email: "ada@connvo.dev" },
  { subject: "demo-grace", name: "Grace Hopper", email: "grace@connvo.dev" },
  { subject: "demo-alan", name: "Alan Turing", email: "alan@connvo.dev" },
];

/** A stable development subject for a name typed into the sign-in form. */
export function subjectFor(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `dev-${slug || "guest"}`;
}

/** Caret colours: distinct, readable on white, and not red/green-only cues. */
const COLOURS = ["#2563eb", "#c026d3", "#ea580c", "#0d9488", "#7c3aed", "#b45309", "#db2777"];

/** A stable colour for a person, so their caret looks the same in every browser. */
export function colourFor(subject: string): string {
  let h = 0;
  for (const ch of subject) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}
