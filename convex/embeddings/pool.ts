/**
 * The vector filter keys of a person's embedding rows (see
 * `tables/embeddings.ts`) and keeping them in step with their queue entry:
 * only people waiting in the queue are found by a cycle's vector search.
 */
import type { Constraints, MatchCard } from "../../projections/matching/types";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Why 4: one serving key, one being built, and room for a retiring one. */
export const MAX_MODEL_KEYS = 4;
const NONE = "-";

/** The filter keys of a row. */
export function poolKeys(
  modelKey: string,
  waiting: boolean,
  card: Pick<MatchCard, "role" | "orgId"> | null,
) {
  const state = `${modelKey}|${waiting ? "waiting" : "idle"}`;
  return {
    pool: state,
    poolRole: `${state}|${card?.role ?? NONE}`,
    poolOrg: `${state}|${card?.orgId ?? NONE}`,
  };
}

/**
 * The vector search filter for a seeker: one field, OR of equalities. The
 * most selective constraint goes into the filter (same organisation, else
 * the wanted roles); every other constraint is checked on the results.
 */
export function searchFilter(
  modelKey: string,
  seeker: { card: Pick<MatchCard, "orgId">; constraints: Pick<Constraints, "org" | "roles"> },
): { field: "pool" | "poolRole" | "poolOrg"; values: string[] } {
  const state = `${modelKey}|waiting`;
  if (seeker.constraints.org === "sameOrg" && seeker.card.orgId !== null)
    return { field: "poolOrg", values: [`${state}|${seeker.card.orgId}`] };
  if (seeker.constraints.roles.length > 0)
    return { field: "poolRole", values: seeker.constraints.roles.map((r) => `${state}|${r}`) };
  return { field: "pool", values: [state] };
}

/** Set the filter keys of every embedding row of `userId` from their queue entry. */
export async function syncPools(
  ctx: MutationCtx,
  userId: Id<"users">,
  entry: Doc<"matchQueue"> | null,
): Promise<void> {
  const rows = await ctx.db
    .query("embeddings")
    .withIndex("by_user_model", (q) => q.eq("userId", userId))
    .take(MAX_MODEL_KEYS);
  const waiting = entry?.status === "waiting";
  for (const row of rows) {
    const keys = poolKeys(row.modelKey, waiting, entry?.card ?? null);
    if (row.pool !== keys.pool || row.poolRole !== keys.poolRole || row.poolOrg !== keys.poolOrg)
      await ctx.db.patch("embeddings", row._id, keys);
  }
}
