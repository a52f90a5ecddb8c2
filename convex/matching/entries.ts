/**
 * Queue entries: lookup, status changes (always with the embedding filter
 * keys kept in step, so only waiting people are found by vector search), and
 * refreshing the copy of the profile an entry carries.
 */
import { fnv1a32 } from "../../projections/matching/profileText";
import type { QueuedPerson } from "../../projections/matching/types";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { syncPools } from "../embeddings/pool";
import { loadInterestKeys, loadProfile, matchCardOf } from "../profiles/views";

/**
 * Why 8: a cycle's shards run side by side; 8 chains keep a 10,000-person
 * queue moving in parallel while each chain's batches stay small, and the
 * start mutation schedules far fewer than Convex's 1,000 functions.
 */
export const MATCH_SHARDS = 8;

/** The shard that seeks partners for `userId`. */
export function shardOf(userId: string): number {
  return fnv1a32(userId) % MATCH_SHARDS;
}

/** A person's queue row (one per person), or null. */
export async function entryOf(ctx: QueryCtx, userId: Id<"users">) {
  return await ctx.db
    .query("matchQueue")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .unique();
}

/** An entry as the pure matcher sees it. */
export function queuedPerson(e: Doc<"matchQueue">): QueuedPerson {
  return {
    card: e.card,
    constraints: e.constraints,
    window: e.window,
    durationMinutes: e.durationMinutes,
    waitingSince: e.waitingSince,
  };
}

/** Patch an entry and bring its embedding filter keys in step. */
export async function patchEntry(
  ctx: MutationCtx,
  entry: Doc<"matchQueue">,
  patch: Partial<Omit<Doc<"matchQueue">, "_id" | "_creationTime" | "userId">>,
): Promise<Doc<"matchQueue">> {
  const next = { ...entry, ...patch, updatedAt: Date.now() };
  await ctx.db.patch("matchQueue", entry._id, { ...patch, updatedAt: next.updatedAt });
  if (patch.status !== undefined || patch.card !== undefined)
    await syncPools(ctx, entry.userId, next);
  return next;
}

/** Put a proposed person back in the queue (unless their window has closed meanwhile). */
export async function returnToQueue(ctx: MutationCtx, userId: Id<"users">, now: number) {
  const entry = await entryOf(ctx, userId);
  if (entry?.status !== "proposed") return;
  await patchEntry(ctx, entry, {
    status: entry.expiresAt > now ? "waiting" : "expired",
    proposalId: undefined,
  });
}

/** Refresh the profile copy of a person's live entry after a profile edit. */
export async function refreshCard(ctx: MutationCtx, user: Doc<"users">): Promise<void> {
  const entry = await entryOf(ctx, user._id);
  if (!entry || (entry.status !== "waiting" && entry.status !== "proposed")) return;
  const card = matchCardOf(
    user,
    await loadProfile(ctx, user._id),
    await loadInterestKeys(ctx, user._id),
  );
  await patchEntry(ctx, entry, { card });
}
