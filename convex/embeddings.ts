/**
 * Operating the embeddings (operator tools for `npm run embeddings:backfill`,
 * guarded by `CONNVO_ADMIN_TOKEN` like the projection tools): the model keys
 * and their progress, starting a backfill for the configured key, and
 * counting profiles page by page (the progress bar's total).
 */
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./_generated/server";
import { startBackfill as start } from "./embeddings/backfill";
import { configuredModelKey } from "./embeddings/config";
import { requireOperator } from "./projections";
import { indexStatus } from "./tables/embeddings";

/** Why 4,000: a page of profile ids stays far below 32,000 documents scanned per query. */
export const COUNT_PAGE = 4_000;
/** Why 50: every key ever configured; a deployment has a handful. */
const META_ROWS = 50;

const startResult = v.object({
  modelKey: v.string(),
  status: v.union(v.literal("building"), v.literal("serving")),
});

/** The model keys, their status and backfill progress, and the configured key. */
export const status = query({
  args: { adminToken: v.string() },
  returns: v.object({
    configured: v.string(),
    keys: v.array(
      v.object({
        modelKey: v.string(),
        status: indexStatus,
        dimensions: v.number(),
        backfilled: v.number(),
        failed: v.number(),
        deleted: v.number(),
        lastError: v.union(v.string(), v.null()),
        servingSince: v.union(v.number(), v.null()),
        /** The last backfill of this key reached the end. */
        complete: v.boolean(),
      }),
    ),
  }),
  handler: async (ctx, { adminToken }) => {
    requireOperator(adminToken);
    const rows = await ctx.db.query("vectorIndexMeta").take(META_ROWS);
    return {
      configured: configuredModelKey(),
      keys: rows.map((m) => ({
        modelKey: m.modelKey,
        status: m.status,
        dimensions: m.dimensions,
        backfilled: m.backfilled,
        failed: m.failed,
        deleted: m.deleted,
        lastError: m.lastError ?? null,
        servingSince: m.servingSince ?? null,
        complete: m.completedAt !== undefined,
      })),
    };
  },
});

/** Start (or resume) the backfill of the configured model key. */
export const startBackfill = mutation({
  args: { adminToken: v.string() },
  returns: startResult,
  handler: async (ctx, { adminToken }) => {
    requireOperator(adminToken);
    return await start(ctx, configuredModelKey());
  },
});

/** `startBackfill` for `npx convex run embeddings:startBackfillInternal` with a deploy key. */
export const startBackfillInternal = internalMutation({
  args: {},
  returns: startResult,
  handler: async (ctx) => await start(ctx, configuredModelKey()),
});

/** Count profiles created after `cursor` (one page); loop until `done`. */
export const countProfiles = query({
  args: { adminToken: v.string(), cursor: v.union(v.number(), v.null()) },
  returns: v.object({
    count: v.number(),
    cursor: v.union(v.number(), v.null()),
    done: v.boolean(),
  }),
  handler: async (ctx, { adminToken, cursor }) => {
    requireOperator(adminToken);
    const rows = await ctx.db
      .query("profiles")
      .withIndex("by_creation_time", (q) => q.gt("_creationTime", cursor ?? -1))
      .take(COUNT_PAGE);
    const last = rows[rows.length - 1];
    return {
      count: rows.length,
      cursor: last ? last._creationTime : cursor,
      done: rows.length < COUNT_PAGE,
    };
  },
});
