/**
 * Backfill for a new model key (internal). The key's `vectorIndexMeta` row
 * is `building` while a chain of bounded steps embeds every profile in
 * creation order (its cursor in the row, so a restart resumes); searches keep
 * using the serving key meanwhile, and profile edits write both keys. When
 * the last page is done the new key serves and the old one retires: its rows
 * are deleted in batches.
 */
import { v } from "convex/values";
import {
  EMBEDDING_DIMENSIONS,
  EmbeddingProviderError,
} from "../../projections/matching/embeddings/provider";
import { internal } from "../_generated/api";
import {
  internalAction,
  internalMutation,
  internalQuery,
  type MutationCtx,
} from "../_generated/server";
import { providerFor } from "./config";
import { metaOf, servingMeta } from "./meta";
import { MAX_MODEL_KEYS } from "./pool";
import { textOf, writeVector } from "./store";

/** Why 32: each profile reads ≈ 60 documents (interests and their labels); 32 stays ≈ 2,000 per query and one provider request. */
export const BACKFILL_BATCH = 32;
/** Why 256: deleting ≈ 2 KiB rows, 256 is ≈ 0.5 MiB written per transaction. */
export const RETIRE_BATCH = 256;
/** Why 6: with doubling back-off from 10 s a provider outage of ≈ 10 minutes is ridden out. */
export const MAX_BACKFILL_ATTEMPTS = 6;
/** Why 10 s: the first retry waits out a short rate-limit window. */
export const BACKFILL_RETRY_MS = 10_000;

/**
 * Start (or resume) building `modelKey`; answers what the key is now. When
 * nothing serves yet the key serves at once and the same steps fill it.
 */
export async function startBackfill(ctx: MutationCtx, modelKey: string) {
  const now = Date.now();
  const meta = await metaOf(ctx, modelKey);
  if (meta?.status === "serving") return { modelKey, status: "serving" as const };
  const status = (await servingMeta(ctx)) ? ("building" as const) : ("serving" as const);
  const restart = meta !== null && meta.status !== "building";
  const fields = {
    status,
    lastError: undefined,
    completedAt: undefined,
    updatedAt: now,
    ...(status === "serving" ? { servingSince: now } : {}),
    ...(restart ? { cursor: undefined, backfilled: 0, failed: 0, deleted: 0 } : {}),
  };
  if (meta) await ctx.db.patch("vectorIndexMeta", meta._id, fields);
  else
    await ctx.db.insert("vectorIndexMeta", {
      modelKey,
      dimensions: EMBEDDING_DIMENSIONS,
      createdAt: now,
      backfilled: 0,
      failed: 0,
      deleted: 0,
      ...fields,
    });
  await ctx.scheduler.runAfter(0, internal.embeddings.backfill.step, { modelKey, attempt: 0 });
  return { modelKey, status };
}

/** The next page of profiles to embed for `modelKey` (after its cursor). */
export const page = internalQuery({
  args: { modelKey: v.string() },
  returns: v.union(
    v.null(),
    v.object({
      rows: v.array(
        v.object({ userId: v.id("users"), text: v.string(), hash: v.string(), stale: v.boolean() }),
      ),
      cursor: v.union(v.number(), v.null()),
      full: v.boolean(),
    }),
  ),
  handler: async (ctx, { modelKey }) => {
    const meta = await metaOf(ctx, modelKey);
    if (!meta || (meta.status !== "building" && meta.status !== "serving")) return null;
    const after = meta.cursor ?? -1;
    const profiles = await ctx.db
      .query("profiles")
      .withIndex("by_creation_time", (q) => q.gt("_creationTime", after))
      .take(BACKFILL_BATCH);
    const rows = [];
    for (const p of profiles) {
      const { text, hash } = await textOf(ctx, p.userId);
      const existing = await ctx.db
        .query("embeddings")
        .withIndex("by_user_model", (q) => q.eq("userId", p.userId).eq("modelKey", modelKey))
        .unique();
      rows.push({ userId: p.userId, text, hash, stale: existing?.textHash !== hash });
    }
    return {
      rows,
      cursor: profiles.length > 0 ? profiles[profiles.length - 1]!._creationTime : null,
      full: profiles.length === BACKFILL_BATCH,
    };
  },
});

/** Store one page's vectors and advance the cursor. */
export const writePage = internalMutation({
  args: {
    modelKey: v.string(),
    cursor: v.number(),
    pageSize: v.number(),
    items: v.array(
      v.object({ userId: v.id("users"), hash: v.string(), vector: v.array(v.float64()) }),
    ),
  },
  returns: v.boolean(),
  handler: async (ctx, { modelKey, cursor, pageSize, items }) => {
    const meta = await metaOf(ctx, modelKey);
    if (!meta || (meta.status !== "building" && meta.status !== "serving")) return false;
    for (const i of items) await writeVector(ctx, i.userId, modelKey, i.vector, i.hash);
    await ctx.db.patch("vectorIndexMeta", meta._id, {
      cursor,
      backfilled: meta.backfilled + pageSize,
      lastError: undefined,
      updatedAt: Date.now(),
    });
    return true;
  },
});

/** Record a failed step and schedule its retry (or stop after the last attempt). */
export const stepFailed = internalMutation({
  args: { modelKey: v.string(), attempt: v.number(), error: v.string(), retryable: v.boolean() },
  returns: v.null(),
  handler: async (ctx, { modelKey, attempt, error, retryable }) => {
    const meta = await metaOf(ctx, modelKey);
    if (!meta) return null;
    const giveUp = !retryable || attempt + 1 >= MAX_BACKFILL_ATTEMPTS;
    await ctx.db.patch("vectorIndexMeta", meta._id, {
      lastError: `${giveUp ? "stopped" : `attempt ${attempt + 1} failed`}: ${error}`.slice(0, 500),
      failed: meta.failed + 1,
      updatedAt: Date.now(),
    });
    if (!giveUp)
      await ctx.scheduler.runAfter(
        BACKFILL_RETRY_MS * 2 ** attempt,
        internal.embeddings.backfill.step,
        {
          modelKey,
          attempt: attempt + 1,
        },
      );
    return null;
  },
});

/** Mark the backfill of `modelKey` complete; a building key then serves and the old one retires. */
export const finish = internalMutation({
  args: { modelKey: v.string() },
  returns: v.null(),
  handler: async (ctx, { modelKey }) => {
    const meta = await metaOf(ctx, modelKey);
    const now = Date.now();
    if (meta?.status === "serving") {
      await ctx.db.patch("vectorIndexMeta", meta._id, { completedAt: now, updatedAt: now });
      return null;
    }
    if (meta?.status !== "building") return null;
    const old = await ctx.db
      .query("vectorIndexMeta")
      .withIndex("by_status", (q) => q.eq("status", "serving"))
      .take(MAX_MODEL_KEYS);
    for (const o of old) {
      await ctx.db.patch("vectorIndexMeta", o._id, { status: "retiring", updatedAt: now });
      await ctx.scheduler.runAfter(0, internal.embeddings.backfill.retire, {
        modelKey: o.modelKey,
      });
    }
    await ctx.db.patch("vectorIndexMeta", meta._id, {
      status: "serving",
      servingSince: now,
      completedAt: now,
      updatedAt: now,
    });
    return null;
  },
});

/** Delete a retiring key's rows in batches, then mark it retired. */
export const retire = internalMutation({
  args: { modelKey: v.string() },
  returns: v.null(),
  handler: async (ctx, { modelKey }) => {
    const meta = await metaOf(ctx, modelKey);
    if (meta?.status !== "retiring") return null;
    const rows = await ctx.db
      .query("embeddings")
      .withIndex("by_model", (q) => q.eq("modelKey", modelKey))
      .take(RETIRE_BATCH);
    for (const r of rows) await ctx.db.delete("embeddings", r._id);
    const done = rows.length < RETIRE_BATCH;
    await ctx.db.patch("vectorIndexMeta", meta._id, {
      deleted: meta.deleted + rows.length,
      ...(done ? { status: "retired" as const, retiredAt: Date.now() } : {}),
      updatedAt: Date.now(),
    });
    if (!done) await ctx.scheduler.runAfter(0, internal.embeddings.backfill.retire, { modelKey });
    return null;
  },
});

/** One backfill step: embed a page, store it, continue or finish. */
export const step = internalAction({
  args: { modelKey: v.string(), attempt: v.number() },
  returns: v.null(),
  handler: async (ctx, { modelKey, attempt }) => {
    const next = await ctx.runQuery(internal.embeddings.backfill.page, { modelKey });
    if (!next) return null;
    const provider = providerFor(modelKey);
    if (!provider) {
      await ctx.runMutation(internal.embeddings.backfill.stepFailed, {
        modelKey,
        attempt,
        error: `no provider configured for ${modelKey}`,
        retryable: false,
      });
      return null;
    }
    const stale = next.rows.filter((r) => r.stale);
    let vectors: number[][];
    try {
      vectors = stale.length > 0 ? await provider.embed(stale.map((r) => r.text)) : [];
    } catch (e) {
      await ctx.runMutation(internal.embeddings.backfill.stepFailed, {
        modelKey,
        attempt,
        error: e instanceof Error ? e.message : String(e),
        retryable: e instanceof EmbeddingProviderError ? e.retryable : true,
      });
      return null;
    }
    if (next.cursor !== null) {
      const ok = await ctx.runMutation(internal.embeddings.backfill.writePage, {
        modelKey,
        cursor: next.cursor,
        pageSize: next.rows.length,
        items: stale.map((r, i) => ({ userId: r.userId, hash: r.hash, vector: vectors[i]! })),
      });
      if (!ok) return null;
    }
    if (next.full)
      await ctx.scheduler.runAfter(0, internal.embeddings.backfill.step, { modelKey, attempt: 0 });
    else await ctx.runMutation(internal.embeddings.backfill.finish, { modelKey });
    return null;
  },
});
