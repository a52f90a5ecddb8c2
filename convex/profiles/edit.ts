/**
 * Writing a profile: the validated patch, the interests (catalogue + join
 * rows), onboarding, and what follows every change: the queue entry's copy
 * is refreshed at once and the embedding is re-made after the debounce.
 */
import type { NormalizedProfile } from "../../projections/matching/profileInput";
import { onboardingMissing } from "../../projections/matching/profileInput";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { requestEmbedding } from "../embeddings/request";
import { enqueueProfileWrite } from "../lib/dualWriteSocial";
import { refreshCard } from "../matching/entries";
import { loadInterestKeys, loadProfile } from "./views";

/** Replace a person's interests with `items` (unknown keys join the catalogue). */
export async function setInterestRows(
  ctx: MutationCtx,
  userId: Id<"users">,
  items: readonly { key: string; label: string }[],
  now: number,
): Promise<void> {
  const wanted = new Map(items.map((i) => [i.key, i.label]));
  for (const key of await loadInterestKeys(ctx, userId)) {
    if (wanted.has(key)) {
      wanted.delete(key);
      continue;
    }
    const row = await ctx.db
      .query("userInterests")
      .withIndex("by_user", (q) => q.eq("userId", userId).eq("interestKey", key))
      .unique();
    if (row) await ctx.db.delete("userInterests", row._id);
  }
  for (const [key, label] of wanted) {
    const known = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    if (!known) await ctx.db.insert("interests", { key, label, createdAt: now });
    await ctx.db.insert("userInterests", { userId, interestKey: key, createdAt: now });
  }
}

/** What follows any profile change (queue copy now, embedding after the debounce). */
export async function afterProfileChange(ctx: MutationCtx, user: Doc<"users">): Promise<void> {
  await refreshCard(ctx, user);
  await requestEmbedding(ctx, user._id);
}

/**
 * Apply a validated edit; with `completeOnboarding`, mark onboarding done when
 * nothing required is missing. Returns what is still missing.
 */
export async function applyProfileEdit(
  ctx: MutationCtx,
  user: Doc<"users">,
  edit: Extract<NormalizedProfile, { ok: true }>,
  completeOnboarding: boolean,
): Promise<{ missing: string[]; onboarded: boolean }> {
  const now = Date.now();
  const existing = await loadProfile(ctx, user._id);
  if (existing) await ctx.db.patch("profiles", existing._id, { ...edit.patch, updatedAt: now });
  else await ctx.db.insert("profiles", { ...edit.patch, userId: user._id, updatedAt: now });
  if (edit.interests) await setInterestRows(ctx, user._id, edit.interests, now);
  const p = (await loadProfile(ctx, user._id))!;
  const missing = onboardingMissing({
    displayName: p.displayName,
    headline: p.headline,
    jobTitle: p.jobTitle,
    role: p.role,
    languages: p.languages,
    interests: await loadInterestKeys(ctx, user._id),
  });
  let onboarded = p.onboardedAt !== undefined;
  if (completeOnboarding && !onboarded && missing.length === 0) {
    await ctx.db.patch("profiles", p._id, { onboardedAt: now });
    onboarded = true;
  }
  await afterProfileChange(ctx, user);
  await enqueueProfileWrite(ctx, user, now, () => loadInterestKeys(ctx, user._id));
  return { missing, onboarded };
}
