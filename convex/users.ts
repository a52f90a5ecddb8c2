/**
 * Users, profiles and interests. Identity only from the auth token.
 *
 * - `ensure` (mutation): create/refresh the caller's user from the token
 *   claims; call once after sign-in (queries need the row).
 * - `me` (query): the caller's user and profile.
 * - `updateProfile`, `setInterests` (mutations): the caller's own data only.
 * - `getProfile` (query): another user's public profile (no email).
 */
import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { appError } from "./lib/errors";
import { requireIdentity, userMutation, userQuery } from "./lib/functions";
import { upsertUser } from "./lib/users";

/** Why: profile fields are short UI strings; caps keep profile rows small. */
const MAX_FIELD = 200;
/** Why: a bio is a paragraph. */
const MAX_BIO = 2000;
/** Why: matching uses a handful of interests; dozens are noise. */
export const MAX_INTERESTS = 30;

const userView = v.object({
  _id: v.id("users"),
  name: v.string(),
  email: v.optional(v.string()),
  orgId: v.optional(v.string()),
  orgRole: v.optional(v.string()),
});

const profileFields = {
  headline: v.optional(v.string()),
  bio: v.optional(v.string()),
  company: v.optional(v.string()),
  jobTitle: v.optional(v.string()),
  location: v.optional(v.string()),
  linkedinUrl: v.optional(v.string()),
  avatarUrl: v.optional(v.string()),
};
const profileView = v.object(profileFields);

/** Create or refresh the caller's user from the identity; returns it. */
export const ensure = userMutation({
  args: {},
  returns: userView,
  handler: async (ctx) => ({
    _id: ctx.user._id,
    name: ctx.user.name,
    email: ctx.user.email,
    orgId: ctx.user.orgId,
    orgRole: ctx.user.orgRole,
  }),
});

/** `ensure` for actions (`userAction`): same upsert, full row back. */
export const ensureInternal = internalMutation({
  args: {},
  handler: async (ctx) => await upsertUser(ctx, await requireIdentity(ctx), Date.now()),
});

/** The caller, their profile and interests. */
export const me = userQuery({
  args: {},
  returns: v.object({
    user: userView,
    profile: v.union(profileView, v.null()),
    interests: v.array(v.string()),
  }),
  handler: async (ctx) => {
    const profile = await ctx.db
      .query("profiles")
      .withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
      .unique();
    const interests = await ctx.db
      .query("userInterests")
      .withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
      .take(MAX_INTERESTS);
    const { _id, name, email, orgId, orgRole } = ctx.user;
    return {
      user: { _id, name, email, orgId, orgRole },
      profile: profile ? pickProfile(profile) : null,
      interests: interests.map((i) => i.interestKey),
    };
  },
});

function pickProfile(p: Record<string, unknown>) {
  const out: Record<string, string> = {};
  for (const k of Object.keys(profileFields)) {
    const value = p[k];
    if (typeof value === "string") out[k] = value;
  }
  return out;
}

/** Another user's public profile (name and profile; never email). */
export const getProfile = userQuery({
  args: { userId: v.id("users") },
  returns: v.union(
    v.object({ name: v.string(), profile: v.union(profileView, v.null()) }),
    v.null(),
  ),
  handler: async (ctx, { userId }) => {
    const user = await ctx.db.get("users", userId);
    if (!user) return null;
    const profile = await ctx.db
      .query("profiles")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique();
    return { name: user.name, profile: profile ? pickProfile(profile) : null };
  },
});

/** Update the caller's profile (fields given replace; others stay). */
export const updateProfile = userMutation({
  args: profileFields,
  returns: v.null(),
  handler: async (ctx, args) => {
    for (const [k, value] of Object.entries(args)) {
      const cap = k === "bio" ? MAX_BIO : MAX_FIELD;
      if (typeof value === "string" && value.length > cap) {
        throw appError("VALIDATION_ERROR", `${k} must be at most ${cap} characters`);
      }
      if ((k === "linkedinUrl" || k === "avatarUrl") && typeof value === "string" && value !== "") {
        if (!/^https:\/\//.test(value))
          throw appError("VALIDATION_ERROR", `${k} must be an https URL`);
      }
    }
    const existing = await ctx.db
      .query("profiles")
      .withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
      .unique();
    const now = Date.now();
    if (existing) await ctx.db.patch("profiles", existing._id, { ...args, updatedAt: now });
    else await ctx.db.insert("profiles", { ...args, userId: ctx.user._id, updatedAt: now });
    return null;
  },
});

/** Normalize an interest label to its key ("Machine Learning" → "machine-learning"). */
export function interestKey(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Replace the caller's interests (labels; unknown ones join the catalogue). */
export const setInterests = userMutation({
  args: { labels: v.array(v.string()) },
  returns: v.array(v.string()),
  handler: async (ctx, { labels }) => {
    if (labels.length > MAX_INTERESTS) {
      throw appError("VALIDATION_ERROR", `at most ${MAX_INTERESTS} interests`);
    }
    const now = Date.now();
    const wanted = new Map<string, string>();
    for (const label of labels) {
      const key = interestKey(label);
      if (key.length === 0 || label.length > MAX_FIELD) {
        throw appError("VALIDATION_ERROR", `invalid interest "${label.slice(0, 50)}"`);
      }
      wanted.set(key, label.trim());
    }
    const current = await ctx.db
      .query("userInterests")
      .withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
      .take(MAX_INTERESTS * 2);
    for (const row of current) {
      if (!wanted.has(row.interestKey)) await ctx.db.delete("userInterests", row._id);
      else wanted.delete(row.interestKey);
    }
    for (const [key, label] of wanted) {
      const known = await ctx.db
        .query("interests")
        .withIndex("by_key", (q) => q.eq("key", key))
        .unique();
      if (!known) await ctx.db.insert("interests", { key, label, createdAt: now });
      await ctx.db.insert("userInterests", {
        userId: ctx.user._id,
        interestKey: key,
        createdAt: now,
      });
    }
    return [...new Set(labels.map(interestKey))].sort();
  },
});
