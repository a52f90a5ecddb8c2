/**
 * Profiles and onboarding (issue 17). Identity only from the token; a person
 * edits only their own profile. Others see the public part
 * (`profiles.get`), never the private one, and nothing of someone who
 * blocked them. Edits refresh the person's queue entry at once and their
 * embedding after a debounce. Avatars are uploaded to Convex storage: ask
 * `generateAvatarUploadUrl`, POST the image there, then `setAvatar` with the
 * storage id the upload answered.
 *
 * Mutations answer `{ok: true, …}` or a coded refusal (rate-limit tokens stay
 * spent); queries throw coded errors.
 */
import { v } from "convex/values";
import { canonicalKey } from "../projections/matching/catalogue";
import { normalizeProfileInput } from "../projections/matching/profileInput";
import { userMutation, userQuery } from "./lib/functions";
import { spend } from "./lib/rateLimits";
import { refused, resultValidator } from "./lib/results";
import { blockedEitherWay } from "./matching/blocks";
import { applyProfileEdit } from "./profiles/edit";
import {
  interestView,
  loadProfile,
  privateProfile,
  privateProfileView,
  publicProfile,
  publicProfileView,
} from "./profiles/views";
import { editableProfileFields } from "./tables/profileFields";

/** Why 2 MiB: an avatar shown at 96 px needs far less; this bounds storage per person. */
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;
/** Image types browsers render as avatars (SVG excluded: it can carry script). */
export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
/** Why 200: a type-ahead shows a screenful; the catalogue is browsed by prefix. */
export const CATALOGUE_PAGE = 200;

/** The caller's own profile (public and private parts, onboarding state). */
export const mine = userQuery({
  args: {},
  returns: privateProfileView,
  handler: async (ctx) => await privateProfile(ctx, ctx.user),
});

/** Someone's public profile; null when unknown or when they blocked the caller. */
export const get = userQuery({
  args: { userId: v.id("users") },
  returns: v.union(publicProfileView, v.null()),
  handler: async (ctx, { userId }) => {
    const user = await ctx.db.get("users", userId);
    if (!user) return null;
    if (userId !== ctx.user._id && (await blockedEitherWay(ctx, userId, ctx.user._id, "block")))
      return null;
    return await publicProfile(ctx, user, await loadProfile(ctx, userId));
  },
});

/** Edit the caller's profile (given fields replace; "" or [] clears). */
export const update = userMutation({
  args: {
    headline: v.optional(v.string()),
    jobTitle: v.optional(v.string()),
    company: v.optional(v.string()),
    location: v.optional(v.string()),
    bio: v.optional(v.string()),
    ...editableProfileFields,
    interests: v.optional(v.array(v.string())),
    /** Finish onboarding when nothing required is missing. */
    completeOnboarding: v.optional(v.boolean()),
  },
  returns: resultValidator({ missing: v.array(v.string()), onboarded: v.boolean() }),
  handler: async (ctx, { completeOnboarding, ...input }) => {
    const limited = await spend(ctx, "profileEdits", ctx.user);
    if (!limited.ok) return limited;
    const edit = normalizeProfileInput(input);
    if (!edit.ok) return refused("VALIDATION_ERROR", edit.message);
    const r = await applyProfileEdit(ctx, ctx.user, edit, completeOnboarding ?? false);
    if (completeOnboarding && !r.onboarded)
      return refused("VALIDATION_ERROR", `to finish onboarding, fill in: ${r.missing.join(", ")}`);
    return { ok: true as const, ...r };
  },
});

/** An upload URL for a new avatar (POST the image there; it answers `{storageId}`). */
export const generateAvatarUploadUrl = userMutation({
  args: {},
  returns: resultValidator({ url: v.string() }),
  handler: async (ctx) => {
    const limited = await spend(ctx, "avatarUploads", ctx.user);
    if (!limited.ok) return limited;
    return { ok: true as const, url: await ctx.storage.generateUploadUrl() };
  },
});

/** Use an uploaded image as the caller's avatar (replaces and deletes the previous one). */
export const setAvatar = userMutation({
  args: { storageId: v.id("_storage") },
  returns: resultValidator({ avatarUrl: v.union(v.string(), v.null()) }),
  handler: async (ctx, { storageId }) => {
    const limited = await spend(ctx, "profileEdits", ctx.user);
    if (!limited.ok) return limited;
    const file = await ctx.db.system.get("_storage", storageId);
    if (!file) return refused("NOT_FOUND", "no uploaded file with that id");
    const owner = await ctx.db
      .query("profiles")
      .withIndex("by_avatar", (q) => q.eq("avatarStorageId", storageId))
      .first();
    if (owner && owner.userId !== ctx.user._id)
      return refused("FORBIDDEN", "that file is someone else's avatar");
    const type = file.contentType;
    const badType = type !== undefined && !(AVATAR_TYPES as readonly string[]).includes(type);
    if (badType || file.size > MAX_AVATAR_BYTES) {
      // An upload that cannot be an avatar is garbage: delete it rather than keep it.
      if (!owner) await ctx.storage.delete(storageId);
      return refused(
        "VALIDATION_ERROR",
        badType
          ? `an avatar must be one of ${AVATAR_TYPES.join(", ")}`
          : `an avatar must be at most ${MAX_AVATAR_BYTES / 1024 / 1024} MiB`,
      );
    }
    const now = Date.now();
    const p = await loadProfile(ctx, ctx.user._id);
    if (p?.avatarStorageId && p.avatarStorageId !== storageId)
      await ctx.storage.delete(p.avatarStorageId);
    if (p) await ctx.db.patch("profiles", p._id, { avatarStorageId: storageId, updatedAt: now });
    else
      await ctx.db.insert("profiles", {
        userId: ctx.user._id,
        avatarStorageId: storageId,
        updatedAt: now,
      });
    return { ok: true as const, avatarUrl: await ctx.storage.getUrl(storageId) };
  },
});

/** Remove the caller's uploaded avatar (and delete the file). */
export const removeAvatar = userMutation({
  args: {},
  returns: resultValidator({}),
  handler: async (ctx) => {
    const limited = await spend(ctx, "profileEdits", ctx.user);
    if (!limited.ok) return limited;
    const p = await loadProfile(ctx, ctx.user._id);
    if (p?.avatarStorageId) {
      await ctx.storage.delete(p.avatarStorageId);
      await ctx.db.patch("profiles", p._id, { avatarStorageId: undefined, updatedAt: Date.now() });
    }
    return { ok: true as const };
  },
});

/** The interest catalogue, optionally by key prefix ("mach" → "machine-learning", …). */
export const interestCatalogue = userQuery({
  args: { prefix: v.optional(v.string()) },
  returns: v.array(interestView),
  handler: async (ctx, { prefix }) => {
    const key = canonicalKey(prefix ?? "");
    const rows = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => (key ? q.gte("key", key).lt("key", `${key}\uffff`) : q))
      .take(CATALOGUE_PAGE);
    return rows.map((r) => ({ key: r.key, label: r.label }));
  },
});
