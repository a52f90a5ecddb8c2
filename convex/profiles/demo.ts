/**
 * Demo profiles for local development (`seed.demo`): the three demo people
 * get complete, onboarded profiles that fit each other, so "Meet someone"
 * works right after `bash scripts/start.sh`, and the interest catalogue gets
 * a starting set. Idempotent: existing fields are kept.
 */

import { canonicalKey } from "../../projections/matching/catalogue";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { requestEmbedding } from "../embeddings/request";
import { setInterestRows } from "./edit";
import { loadInterestKeys, loadProfile } from "./views";

/** The catalogue a fresh deployment starts with (people add more as they pick). */
export const STARTER_INTERESTS = [
  "Artificial Intelligence",
  "Climate",
  "Design",
  "Developer Tools",
  "Education",
  "Fintech",
  "Health",
  "Hiring",
  "Open Source",
  "Product Management",
  "Startups",
  "Mathematics",
];

/** The demo people's profiles, by subject. */
export const DEMO_PROFILES: Record<
  string,
  {
    displayName: string;
    jobTitle: string;
    company: string;
    industry: string;
    role: "engineering" | "research" | "founder";
    experience: "senior" | "lead" | "executive";
    bio: string;
    skills: string[];
    learning: string[];
    interests: string[];
    offersMentoring: boolean;
    seeksMentoring: boolean;
  }
> = {
  "demo-ada": {
    displayName: "Ada Lovelace",
    jobTitle: "Founder",
    company: "Analytical Engines",
    industry: "Developer Tools",
    role: "founder",
    experience: "lead",
    bio: "Writing programs for machines that do not exist yet.",
    skills: ["Algorithms", "Mathematics"],
    learning: ["Compilers"],
    interests: ["Mathematics", "Developer Tools", "Startups"],
    offersMentoring: false,
    seeksMentoring: true,
  },
  "demo-grace": {
    displayName: "Grace Hopper",
    jobTitle: "Principal Engineer",
    company: "Navy Computing",
    industry: "Developer Tools",
    role: "engineering",
    experience: "executive",
    bio: "Made computers speak English; still debugging.",
    skills: ["Compilers", "COBOL"],
    learning: ["Algorithms"],
    interests: ["Developer Tools", "Education", "Open Source"],
    offersMentoring: true,
    seeksMentoring: false,
  },
  "demo-alan": {
    displayName: "Alan Turing",
    jobTitle: "Research Scientist",
    company: "Bletchley Labs",
    industry: "Research",
    role: "research",
    experience: "senior",
    bio: "Can machines think? Working on it.",
    skills: ["Cryptography", "Mathematics"],
    learning: ["Open Source"],
    interests: ["Artificial Intelligence", "Mathematics"],
    offersMentoring: false,
    seeksMentoring: false,
  },
};

/** Give a demo person their complete profile (once) and embed it. */
export async function seedDemoProfile(
  ctx: MutationCtx,
  userId: Id<"users">,
  subject: string,
  headline: string,
  now: number,
) {
  const spec = DEMO_PROFILES[subject];
  if (!spec) return;
  for (const label of STARTER_INTERESTS) {
    const key = canonicalKey(label);
    const known = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    if (!known) await ctx.db.insert("interests", { key, label, createdAt: now });
  }
  const p = await loadProfile(ctx, userId);
  if (p?.onboardedAt !== undefined) return;
  const { interests, ...fields } = spec;
  const row = { ...fields, headline, languages: ["en"], onboardedAt: now, updatedAt: now };
  if (p) await ctx.db.patch("profiles", p._id, row);
  else await ctx.db.insert("profiles", { userId, ...row });
  if ((await loadInterestKeys(ctx, userId)).length === 0)
    await setInterestRows(
      ctx,
      userId,
      interests.map((label) => ({ key: canonicalKey(label), label })),
      now,
    );
  await requestEmbedding(ctx, userId, 0);
}
