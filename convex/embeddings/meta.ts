/**
 * `vectorIndexMeta`: which model key serves searches and which are being
 * built. Reads are tiny (one row per key, a handful of keys ever).
 */
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { MAX_MODEL_KEYS } from "./pool";

/** The meta row of `modelKey`, or null. */
export async function metaOf(ctx: QueryCtx, modelKey: string) {
  return await ctx.db
    .query("vectorIndexMeta")
    .withIndex("by_model", (q) => q.eq("modelKey", modelKey))
    .unique();
}

/** The serving key's meta row, or null before anything was embedded. */
export async function servingMeta(ctx: QueryCtx): Promise<Doc<"vectorIndexMeta"> | null> {
  return await ctx.db
    .query("vectorIndexMeta")
    .withIndex("by_status", (q) => q.eq("status", "serving"))
    .first();
}

/** The keys new vectors are written for: the serving key and any being built. */
export async function liveKeys(ctx: QueryCtx): Promise<string[]> {
  const serving = await servingMeta(ctx);
  const building = await ctx.db
    .query("vectorIndexMeta")
    .withIndex("by_status", (q) => q.eq("status", "building"))
    .take(MAX_MODEL_KEYS);
  return [...(serving ? [serving.modelKey] : []), ...building.map((m) => m.modelKey)];
}

/** Make `modelKey` serve when nothing serves yet (first embedding of a deployment). */
export async function ensureServing(ctx: MutationCtx, modelKey: string, dimensions: number) {
  if (await servingMeta(ctx)) return;
  const now = Date.now();
  const existing = await metaOf(ctx, modelKey);
  if (existing) {
    await ctx.db.patch("vectorIndexMeta", existing._id, {
      status: "serving",
      servingSince: now,
      updatedAt: now,
    });
    return;
  }
  await ctx.db.insert("vectorIndexMeta", {
    modelKey,
    dimensions,
    status: "serving",
    createdAt: now,
    servingSince: now,
    backfilled: 0,
    failed: 0,
    deleted: 0,
    updatedAt: now,
  });
}
