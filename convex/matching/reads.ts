/**
 * The bounded reads a cycle shard makes (internal queries; the shard is an
 * action, which has no database of its own):
 *
 * - `seekers`: the next batch of waiting people of the shard, longest
 *   waiting first, with their vectors (2 reads each);
 * - `people`: the entries behind vector search results (2 reads each:
 *   the embedding row, then the entry);
 * - `pairs`: blocks both ways and history of the best options (3 reads each).
 */
import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import { internalQuery, type QueryCtx } from "../_generated/server";
import { matchCard, matchConstraints, timeWindow } from "../tables/matching";
import { pairHistory } from "./state";

/**
 * Why 24: each seeker costs one vector search and up to 32 candidates (≈ 2
 * reads each) in the action's next query; 24 seekers keep that query ≈ 1,600
 * documents and the proposing mutation ≈ 600, far inside Convex's 32,000, at
 * any queue size (the batch, not the queue, bounds them).
 */
export const SEEKERS_PER_BATCH = 24;

/** A waiting person as the shard passes it around. */
export const queuedValidator = v.object({
  userId: v.id("users"),
  card: matchCard,
  constraints: matchConstraints,
  window: timeWindow,
  durationMinutes: v.number(),
  waitingSince: v.number(),
});

/** Cursor of a shard: the last seeker's place in line. */
export const shardCursor = v.union(
  v.null(),
  v.object({ waitingSince: v.number(), creationTime: v.number() }),
);

function queued(e: Doc<"matchQueue">) {
  return {
    userId: e.userId,
    card: e.card,
    constraints: e.constraints,
    window: e.window,
    durationMinutes: e.durationMinutes,
    waitingSince: e.waitingSince,
  };
}

async function waitingAfter(
  ctx: QueryCtx,
  shard: number,
  after: { waitingSince: number; creationTime: number } | null,
  n: number,
): Promise<Doc<"matchQueue">[]> {
  if (after === null)
    return await ctx.db
      .query("matchQueue")
      .withIndex("by_status_shard_waiting", (q) => q.eq("status", "waiting").eq("shard", shard))
      .take(n);
  // Same waitingSince, later creation (the index ends with _creationTime) …
  const tied = await ctx.db
    .query("matchQueue")
    .withIndex("by_status_shard_waiting", (q) =>
      q
        .eq("status", "waiting")
        .eq("shard", shard)
        .eq("waitingSince", after.waitingSince)
        .gt("_creationTime", after.creationTime),
    )
    .take(n);
  if (tied.length >= n) return tied;
  // … then everyone who started waiting later.
  const later = await ctx.db
    .query("matchQueue")
    .withIndex("by_status_shard_waiting", (q) =>
      q.eq("status", "waiting").eq("shard", shard).gt("waitingSince", after.waitingSince),
    )
    .take(n - tied.length);
  return [...tied, ...later];
}

/** The shard's next seekers with their vectors of `modelKey` (null: not embedded yet). */
export const seekers = internalQuery({
  args: { shard: v.number(), after: shardCursor, modelKey: v.string(), now: v.number() },
  returns: v.object({
    seekers: v.array(
      v.object({
        person: queuedValidator,
        embeddingId: v.union(v.id("embeddings"), v.null()),
        vector: v.union(v.array(v.float64()), v.null()),
      }),
    ),
    cursor: shardCursor,
    full: v.boolean(),
  }),
  handler: async (ctx, { shard, after, modelKey, now }) => {
    const rows = await waitingAfter(ctx, shard, after, SEEKERS_PER_BATCH);
    const out = [];
    for (const e of rows) {
      if (e.expiresAt <= now) continue;
      const emb = await ctx.db
        .query("embeddings")
        .withIndex("by_user_model", (q) => q.eq("userId", e.userId).eq("modelKey", modelKey))
        .unique();
      out.push({ person: queued(e), embeddingId: emb?._id ?? null, vector: emb?.vector ?? null });
    }
    const last = rows[rows.length - 1];
    return {
      seekers: out,
      cursor: last ? { waitingSince: last.waitingSince, creationTime: last._creationTime } : after,
      full: rows.length === SEEKERS_PER_BATCH,
    };
  },
});

/** The waiting, unexpired people behind embedding rows. */
export const people = internalQuery({
  args: { embeddingIds: v.array(v.id("embeddings")), now: v.number() },
  returns: v.array(v.object({ embeddingId: v.id("embeddings"), person: queuedValidator })),
  handler: async (ctx, { embeddingIds, now }) => {
    const out = [];
    const seen = new Set<Id<"users">>();
    for (const id of new Set(embeddingIds)) {
      const emb = await ctx.db.get("embeddings", id);
      if (!emb || seen.has(emb.userId)) continue;
      seen.add(emb.userId);
      const e = await ctx.db
        .query("matchQueue")
        .withIndex("by_user", (q) => q.eq("userId", emb.userId))
        .unique();
      if (e && e.status === "waiting" && e.expiresAt > now)
        out.push({ embeddingId: id, person: queued(e) });
    }
    return out;
  },
});

/** Blocks and history of each pair. */
export const pairs = internalQuery({
  args: { pairs: v.array(v.object({ a: v.id("users"), b: v.id("users") })) },
  returns: v.array(
    v.object({
      a: v.id("users"),
      b: v.id("users"),
      blocked: v.boolean(),
      proposals: v.number(),
      meanRating: v.union(v.number(), v.null()),
    }),
  ),
  handler: async (ctx, { pairs: list }) => {
    const out = [];
    for (const { a, b } of list) out.push({ a, b, ...(await pairHistory(ctx, a, b)) });
    return out;
  },
});
