/**
 * The Convex side of an imported organization, profile, connection or
 * message in the legacy row's terms, for the validator's field-by-field
 * sample (`migrationStatus.lookup`).
 */
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { openMessageRow } from "./personalData";

/** Why: a person belongs to a few orgs; the sample reads at most this many memberships. */
const MEMBERSHIPS_READ = 20;
/** Why: a pair appears a few times in the legacy table at most; two already say "merged". */
const MERGED_READ = 2;

/** The Convex side of a mapped row of a social table; null when the row is gone. */
export async function socialSide(
  ctx: QueryCtx,
  table: "organizations" | "profiles" | "connections" | "messages",
  convexId: string,
): Promise<Record<string, unknown> | null> {
  if (table === "organizations") {
    const org = await ctx.db.get("orgs", convexId as Id<"orgs">);
    if (!org) return null;
    const sub = await ctx.db
      .query("subscriptions")
      .withIndex("by_org", (q) => q.eq("orgId", org._id))
      .first();
    return {
      clerkOrgId: org.externalId,
      name: org.name,
      createdAt: org.createdAt,
      plan: sub ? "subscribed" : "free",
    };
  }
  if (table === "profiles") {
    const p = await ctx.db.get("profiles", convexId as Id<"profiles">);
    if (!p) return null;
    const user = await ctx.db.get("users", p.userId);
    const job = await ctx.db
      .query("embeddingJobs")
      .withIndex("by_user", (q) => q.eq("userId", p.userId))
      .unique();
    const memberships = await ctx.db
      .query("orgMemberships")
      .withIndex("by_user", (q) => q.eq("userId", p.userId))
      .take(MEMBERSHIPS_READ);
    return {
      userId: p.userId,
      displayName: p.displayName ?? null,
      userName: user?.name ?? null,
      embeddingScheduled: job !== null,
      orgs: memberships.filter((m) => m.status === "active").map((m) => m.orgId),
    };
  }
  if (table === "connections") {
    const c = await ctx.db.get("connections", convexId as Id<"connections">);
    if (!c) return null;
    const legacyRows = await ctx.db
      .query("legacyIdMap")
      .withIndex("by_table_convex", (q) => q.eq("table", "connections").eq("convexId", c._id))
      .take(MERGED_READ);
    return {
      /** More than one legacy row (the same pair twice) was merged into this one. */
      merged: legacyRows.length > 1,
      lo: c.lo,
      hi: c.hi,
      requester: c.requester,
      status: c.status,
      createdAt: c.createdAt,
      respondedAt: c.respondedAt ?? null,
    };
  }
  const row = await ctx.db.get("directMessages", convexId as Id<"directMessages">);
  if (!row) return null;
  const m = await openMessageRow(ctx, row);
  const thread = await ctx.db.get("dmThreads", m.threadId);
  return {
    from: m.from,
    text: m.text,
    at: m.at,
    clientKey: m.clientKey ?? null,
    lo: thread?.lo ?? null,
    hi: thread?.hi ?? null,
  };
}
