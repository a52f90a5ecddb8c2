/**
 * Read cutover of connections and messages (`use_convex_connections`,
 * `use_convex_messages`; see `migrationCutover.ts`): a legacy connection row
 * and a connection's messages, read from Convex in the legacy shape and ids.
 */
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { internalQuery } from "./_generated/server";
import { mappingOf } from "./lib/legacyImport";
import { openMessageRow } from "./lib/personalData";
import { legacyUserIdOf } from "./migrationCutover";
import { threadBetween } from "./social/messageRows";

/** Why: the legacy app showed a conversation's latest 200 messages; older ones page in there. */
export const MESSAGES_READ = 200;

/** A legacy connection row, read from Convex (null when unmapped or removed). */
export const readConnection = internalQuery({
  args: { legacyId: v.string() },
  returns: v.union(
    v.null(),
    v.object({
      id: v.string(),
      user1Id: v.union(v.string(), v.null()),
      user2Id: v.union(v.string(), v.null()),
      status: v.string(),
      createdAt: v.number(),
    }),
  ),
  handler: async (ctx, { legacyId }) => {
    const m = await mappingOf(ctx, "connections", legacyId);
    const c = m ? await ctx.db.get("connections", m.convexId as Id<"connections">) : null;
    if (!c) return null;
    const other = c.requester === c.lo ? c.hi : c.lo;
    return {
      id: legacyId,
      user1Id: await legacyUserIdOf(ctx, c.requester),
      user2Id: await legacyUserIdOf(ctx, other),
      status: c.status,
      createdAt: c.createdAt,
    };
  },
});

/** A legacy connection's messages (oldest first, the latest {@link MESSAGES_READ}), read from Convex. */
export const readMessages = internalQuery({
  args: { legacyConnectionId: v.string() },
  returns: v.array(
    v.object({
      id: v.union(v.string(), v.null()),
      senderId: v.union(v.string(), v.null()),
      content: v.string(),
      createdAt: v.number(),
    }),
  ),
  handler: async (ctx, { legacyConnectionId }) => {
    const m = await mappingOf(ctx, "connections", legacyConnectionId);
    const c = m ? await ctx.db.get("connections", m.convexId as Id<"connections">) : null;
    if (!c) return [];
    const thread = await threadBetween(ctx, c.lo, c.hi);
    if (!thread) return [];
    const rows = await ctx.db
      .query("directMessages")
      .withIndex("by_thread", (q) => q.eq("threadId", thread._id))
      .order("desc")
      .take(MESSAGES_READ);
    const out = [];
    for (const r of rows.sort((a, b) => a.at - b.at)) {
      const legacy = await ctx.db
        .query("legacyIdMap")
        .withIndex("by_table_convex", (q) => q.eq("table", "messages").eq("convexId", r._id))
        .first();
      out.push({
        id: legacy?.legacyId ?? null,
        senderId: await legacyUserIdOf(ctx, r.from),
        content: (await openMessageRow(ctx, r)).text,
        createdAt: r.at,
      });
    }
    return out;
  },
});
