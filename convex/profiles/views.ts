/**
 * Reading profiles: the row, the interests, the public and private views
 * (which fields are which: `tables/profileFields.ts`) and the matcher's card.
 */
import { type Infer, v } from "convex/values";
import { canonicalKey, PROFILE_LIMITS } from "../../projections/matching/catalogue";
import { onboardingMissing } from "../../projections/matching/profileInput";
import type { MatchCard } from "../../projections/matching/types";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { experienceValidator, profileLink, roleValidator } from "../tables/profileFields";

/** An interest with its catalogue label. */
export const interestView = v.object({ key: v.string(), label: v.string() });

/** What anyone signed in may see of a person (unless they blocked the viewer). */
export const publicProfileView = v.object({
  userId: v.id("users"),
  name: v.string(),
  headline: v.optional(v.string()),
  jobTitle: v.optional(v.string()),
  company: v.optional(v.string()),
  industry: v.optional(v.string()),
  role: v.optional(roleValidator),
  experience: v.optional(experienceValidator),
  bio: v.optional(v.string()),
  skills: v.array(v.string()),
  learning: v.array(v.string()),
  languages: v.array(v.string()),
  offersMentoring: v.boolean(),
  seeksMentoring: v.boolean(),
  openToCollaborate: v.boolean(),
  links: v.array(profileLink),
  avatarUrl: v.union(v.string(), v.null()),
  interests: v.array(interestView),
});
/** A public profile. */
export type PublicProfile = Infer<typeof publicProfileView>;

/** The owner's own view: the public part plus the private one. */
export const privateProfileView = v.object({
  public: publicProfileView,
  displayName: v.optional(v.string()),
  email: v.optional(v.string()),
  location: v.optional(v.string()),
  goals: v.array(v.string()),
  yearsOfExperience: v.optional(v.number()),
  hasUploadedAvatar: v.boolean(),
  onboarded: v.boolean(),
  /** Fields onboarding still needs (empty when complete). */
  missing: v.array(v.string()),
});

/** A small card of a person for lists (proposals, connections, messages). */
export const personCard = v.object({
  userId: v.id("users"),
  name: v.string(),
  headline: v.optional(v.string()),
  avatarUrl: v.union(v.string(), v.null()),
});
/** A person card. */
export type PersonCard = Infer<typeof personCard>;

/** The caller's profile row, or null. */
export async function loadProfile(ctx: QueryCtx, userId: Id<"users">) {
  return await ctx.db
    .query("profiles")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
}

/** A person's interest keys (bounded by the profile limit; setting them enforces it). */
export async function loadInterestKeys(ctx: QueryCtx, userId: Id<"users">): Promise<string[]> {
  const rows = await ctx.db
    .query("userInterests")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(PROFILE_LIMITS.interests);
  return rows.map((r) => r.interestKey);
}

async function labelled(ctx: QueryCtx, keys: readonly string[]) {
  const out = [];
  for (const key of keys) {
    const row = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    out.push({ key, label: row?.label ?? key });
  }
  return out;
}

async function avatarUrl(ctx: QueryCtx, p: Doc<"profiles"> | null): Promise<string | null> {
  if (p?.avatarStorageId) return await ctx.storage.getUrl(p.avatarStorageId);
  return p?.avatarUrl ?? null;
}

/** A person's public profile. */
export async function publicProfile(
  ctx: QueryCtx,
  user: Doc<"users">,
  p: Doc<"profiles"> | null,
): Promise<PublicProfile> {
  const interests = await labelled(ctx, await loadInterestKeys(ctx, user._id));
  return {
    userId: user._id,
    name: p?.displayName || user.name,
    headline: p?.headline || undefined,
    jobTitle: p?.jobTitle || undefined,
    company: p?.company || undefined,
    industry: p?.industry || undefined,
    role: p?.role,
    experience: p?.experience,
    bio: p?.bio || undefined,
    skills: p?.skills ?? [],
    learning: p?.learning ?? [],
    languages: p?.languages ?? [],
    offersMentoring: p?.offersMentoring ?? false,
    seeksMentoring: p?.seeksMentoring ?? false,
    openToCollaborate: p?.openToCollaborate ?? false,
    links: p?.links ?? (p?.linkedinUrl ? [{ label: "LinkedIn", url: p.linkedinUrl }] : []),
    avatarUrl: await avatarUrl(ctx, p),
    interests,
  };
}

/** The owner's view of their own profile. */
export async function privateProfile(ctx: QueryCtx, user: Doc<"users">) {
  const p = await loadProfile(ctx, user._id);
  const pub = await publicProfile(ctx, user, p);
  return {
    public: pub,
    displayName: p?.displayName,
    email: user.email,
    location: p?.location || undefined,
    goals: p?.goals ?? [],
    yearsOfExperience: p?.yearsOfExperience,
    hasUploadedAvatar: p?.avatarStorageId !== undefined,
    onboarded: p?.onboardedAt !== undefined,
    missing: onboardingMissing({
      displayName: p?.displayName,
      headline: p?.headline,
      jobTitle: p?.jobTitle,
      role: p?.role,
      languages: p?.languages,
      interests: pub.interests.map((i) => i.key),
    }),
  };
}

/** A person card (name, headline, avatar). */
export async function personCardOf(ctx: QueryCtx, userId: Id<"users">): Promise<PersonCard | null> {
  const user = await ctx.db.get("users", userId);
  if (!user) return null;
  const p = await loadProfile(ctx, userId);
  return {
    userId,
    name: p?.displayName || user.name,
    headline: p?.headline || p?.jobTitle || undefined,
    avatarUrl: await avatarUrl(ctx, p),
  };
}

/** What the matcher knows of a person (copied onto their queue entry). */
export function matchCardOf(
  user: Doc<"users">,
  p: Doc<"profiles"> | null,
  interestKeys: readonly string[],
): MatchCard & { userId: Id<"users"> } {
  const keys = (xs: readonly string[] | undefined) => [...new Set((xs ?? []).map(canonicalKey))];
  return {
    userId: user._id,
    orgId: user.orgId ?? null,
    role: p?.role ?? null,
    industry: p?.industry ? canonicalKey(p.industry) || null : null,
    experience: p?.experience ?? null,
    interests: [...interestKeys].sort(),
    skills: keys(p?.skills),
    learning: keys(p?.learning),
    languages: p?.languages ?? [],
    offersMentoring: p?.offersMentoring ?? false,
    seeksMentoring: p?.seeksMentoring ?? false,
    openToCollaborate: p?.openToCollaborate ?? false,
  };
}

/** The text-shaping fields of a profile, for `profileText` (embeddings). */
export function embeddableOf(p: Doc<"profiles"> | null, interestLabels: readonly string[]) {
  return {
    headline: p?.headline,
    jobTitle: p?.jobTitle,
    company: p?.company,
    industry: p?.industry,
    role: p?.role,
    experience: p?.experience,
    bio: p?.bio,
    goals: p?.goals,
    skills: p?.skills,
    learning: p?.learning,
    interests: interestLabels,
  };
}
