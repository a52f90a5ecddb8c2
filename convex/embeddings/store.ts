/**
 * The database side of embedding (internal): what to embed for a person, and
 * writing vectors with their filter keys. Called by the embed and backfill
 * actions; a vector that is not `EMBEDDING_DIMENSIONS` finite numbers is a
 * provider bug and is refused.
 */
import { v } from "convex/values";
import { EMBEDDING_DIMENSIONS } from "../../projections/matching/embeddings/provider";
import { profileText, textHash } from "../../projections/matching/profileText";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import {
  internalMutation,
  internalQuery,
  type MutationCtx,
  type QueryCtx,
} from "../_generated/server";
import { kickCycle } from "../matching/cycle";
import { embeddableOf, loadInterestKeys, loadProfile } from "../profiles/views";
import { configuredModelKey } from "./config";
import { ensureServing, liveKeys } from "./meta";
import { MAX_MODEL_KEYS, poolKeys } from "./pool";

/** Why 5: a provider outage of a few minutes is ridden out; after that the next edit retries. */
export const MAX_EMBED_ATTEMPTS = 5;
/** Why 30 s: doubling from 30 s spans ~15 minutes over the attempts. */
export const EMBED_RETRY_MS = 30_000;

/** A person's profile text and hash (labels of their interests included). */
export async function textOf(ctx: QueryCtx, userId: Id<"users">) {
  const p = await loadProfile(ctx, userId);
  const labels: string[] = [];
  for (const key of await loadInterestKeys(ctx, userId)) {
    const row = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    labels.push(row?.label ?? key);
  }
  const text = profileText(embeddableOf(p, labels));
  return { text, hash: textHash(text), hasProfile: p !== null };
}

/** The existing rows' hashes of a person, by model key. */
async function hashesOf(ctx: QueryCtx, userId: Id<"users">) {
  const rows = await ctx.db
    .query("embeddings")
    .withIndex("by_user_model", (q) => q.eq("userId", userId))
    .take(MAX_MODEL_KEYS);
  return new Map(rows.map((r) => [r.modelKey, r.textHash]));
}

/** What the embed run of `token` should do (nothing when a newer token exists). */
export const inputFor = internalQuery({
  args: { userId: v.id("users"), token: v.number() },
  returns: v.union(
    v.object({ current: v.literal(false) }),
    v.object({
      current: v.literal(true),
      text: v.string(),
      hash: v.string(),
      modelKeys: v.array(v.string()),
    }),
  ),
  handler: async (ctx, { userId, token }) => {
    const job = await ctx.db
      .query("embeddingJobs")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique();
    if (!job || job.token !== token) return { current: false as const };
    const { text, hash, hasProfile } = await textOf(ctx, userId);
    if (!hasProfile) return { current: false as const };
    const keys = await liveKeys(ctx);
    const hashes = await hashesOf(ctx, userId);
    const wanted = keys.length > 0 ? keys : [configuredModelKey()];
    return {
      current: true as const,
      text,
      hash,
      modelKeys: wanted.filter((k) => hashes.get(k) !== hash),
    };
  },
});

/** Write (insert or replace) one person's vector for one model key. */
export async function writeVector(
  ctx: MutationCtx,
  userId: Id<"users">,
  modelKey: string,
  vector: number[],
  hash: string,
): Promise<void> {
  if (vector.length !== EMBEDDING_DIMENSIONS || !vector.every(Number.isFinite))
    throw new Error(`embedding for ${modelKey} must be ${EMBEDDING_DIMENSIONS} finite numbers`);
  await ensureServing(ctx, modelKey, EMBEDDING_DIMENSIONS);
  const entry = await ctx.db
    .query("matchQueue")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
  const fields = {
    vector,
    textHash: hash,
    dimensions: EMBEDDING_DIMENSIONS,
    ...poolKeys(modelKey, entry?.status === "waiting", entry?.card ?? null),
    updatedAt: Date.now(),
  };
  const existing = await ctx.db
    .query("embeddings")
    .withIndex("by_user_model", (q) => q.eq("userId", userId).eq("modelKey", modelKey))
    .unique();
  if (existing) await ctx.db.patch("embeddings", existing._id, fields);
  else await ctx.db.insert("embeddings", { userId, modelKey, ...fields });
  // A waiting person who just got their first vector of this key can be matched now.
  if (!existing && entry?.status === "waiting") await kickCycle(ctx, Date.now(), "embedded");
}

/** Store the vectors of the embed run `token` (ignored when a newer run exists). */
export const write = internalMutation({
  args: {
    userId: v.id("users"),
    token: v.number(),
    hash: v.string(),
    items: v.array(v.object({ modelKey: v.string(), vector: v.array(v.float64()) })),
  },
  returns: v.boolean(),
  handler: async (ctx, { userId, token, hash, items }) => {
    const job = await ctx.db
      .query("embeddingJobs")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique();
    if (!job || job.token !== token) return false;
    for (const item of items) await writeVector(ctx, userId, item.modelKey, item.vector, hash);
    await ctx.db.patch("embeddingJobs", job._id, {
      attempts: 0,
      lastError: undefined,
      updatedAt: Date.now(),
    });
    return true;
  },
});

/** Record a failed embed run; retry later when the failure may pass. */
export const fail = internalMutation({
  args: { userId: v.id("users"), token: v.number(), error: v.string(), retryable: v.boolean() },
  returns: v.null(),
  handler: async (ctx, { userId, token, error, retryable }) => {
    const job = await ctx.db
      .query("embeddingJobs")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique();
    if (!job || job.token !== token) return null;
    const attempts = job.attempts + 1;
    await ctx.db.patch("embeddingJobs", job._id, {
      attempts,
      lastError: error.slice(0, 500),
      updatedAt: Date.now(),
    });
    if (retryable && attempts < MAX_EMBED_ATTEMPTS)
      await ctx.scheduler.runAfter(
        EMBED_RETRY_MS * 2 ** (attempts - 1),
        internal.embeddings.embed.run,
        {
          userId,
          token,
        },
      );
    return null;
  },
});
