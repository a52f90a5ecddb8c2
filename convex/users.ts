/**
 * Users, profiles and interests. Identity only from the auth token.
 *
 * - `ensure` (mutation): create/refresh the caller's user from the token
 *   claims; call once after sign-in (queries need the row).
 * - `me` (query): the caller's user and profile.
 *
 * Profiles (editing, the public view of others, interests, avatars) live in
 * `profiles.ts`.
 */
import { v } from "convex/values";
import { PROFILE_LIMITS } from "../projections/matching/catalogue";
import { internalMutation } from "./_generated/server";
import { claimEmailInvitations } from "./invitations/claim";
import { requireIdentity, userMutation, userQuery } from "./lib/functions";
import { upsertUser } from "./lib/users";

/** Why: the profile limit (`PROFILE_LIMITS.interests`); setting interests enforces it. */
const MAX_INTERESTS = PROFILE_LIMITS.interests;

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

/**
 * Create or refresh the caller's user from the identity; returns it. This is
 * the sign-in step: pending email invitations of a verified email are claimed
 * here (`invitations/claim.ts`).
 */
export const ensure = userMutation({
  args: {},
  returns: userView,
  handler: async (ctx) => {
    await claimEmailInvitations(ctx, ctx.identity, ctx.user, Date.now());
    return {
      _id: ctx.user._id,
      name: ctx.user.name,
      email: ctx.user.email,
      orgId: ctx.user.orgId,
      orgRole: ctx.user.orgRole,
    };
  },
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
