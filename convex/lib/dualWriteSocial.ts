/**
 * Dual write of profiles, connections and messages (issue 19, part 3): the
 * same outbox, order per row and drain as users (`dualWrite.ts`), one flag
 * per table. What each writes to the legacy database:
 *
 * - `profiles` (`dual_write_profiles`): the legacy schema has no profile
 *   table; a profile's part it holds is the person's interests, so a
 *   profile edit queues the person's whole interest set (row = the legacy
 *   user id) and the applier makes legacy `interests` equal to it.
 * - `connections` (`dual_write_connections`): the pair's row (`user1` = the
 *   requester), or its deletion when removed or blocked.
 * - `messages` (`dual_write_messages`): each message sent.
 *
 * People and connections without a legacy row get one first (a fresh
 * UUID in the mapping, their row queued before the change that needs it).
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import {
  DUAL_WRITE_RUN,
  dualWriteEnabled,
  enqueue,
  legacyIdOf,
  writeLegacyUser,
} from "./dualWrite";

/** Legacy `interests` of one person after a profile change. */
export type LegacyProfilePayload = {
  user_id: string;
  interests: { name: string; category: string | null }[];
};
/** A legacy `connections` row after a change, or its deletion. */
export type LegacyConnectionPayload =
  | {
      id: string;
      deleted?: false;
      user1_id: string;
      user2_id: string;
      status: string;
      created_at: number;
      updated_at: number | null;
    }
  | { id: string; deleted: true };
/** A legacy `messages` row. */
export type LegacyMessagePayload = {
  id: string;
  connection_id: string;
  sender_id: string;
  content: string;
  created_at: number;
};

/** The person's legacy id, queueing their legacy row first when they have none. */
async function legacyPerson(ctx: MutationCtx, userId: Id<"users">, now: number) {
  const known = await legacyIdOf(ctx, "users", userId);
  if (known) return known;
  const user = await ctx.db.get("users", userId);
  if (!user) throw new Error(`user ${userId} is gone`);
  return await writeLegacyUser(ctx, user, now);
}

/** The legacy id of a Convex row of `table`, made (and mapped) on first use. */
async function legacyRowId(ctx: MutationCtx, table: string, convexId: string) {
  const known = await legacyIdOf(ctx, table, convexId);
  if (known) return { legacyId: known, fresh: false };
  const legacyId = crypto.randomUUID();
  await ctx.db.insert("legacyIdMap", {
    table,
    legacyId,
    convexId,
    outcome: "dualWrite",
    runId: DUAL_WRITE_RUN,
  });
  return { legacyId, fresh: true };
}

/**
 * Queue a person's interests for legacy `interests` when dual write of profiles is on.
 * `interestKeys` loads their canonical interest keys (the profiles feature owns them; read
 * only when dual write is on).
 */
export async function enqueueProfileWrite(
  ctx: MutationCtx,
  user: Doc<"users">,
  now: number,
  interestKeys: () => Promise<string[]>,
): Promise<void> {
  if (!(await dualWriteEnabled(ctx, "profiles"))) return;
  const legacyUserId = await legacyPerson(ctx, user._id, now);
  const interests = [];
  for (const key of await interestKeys()) {
    const entry = await ctx.db
      .query("interests")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    interests.push({ name: entry?.label ?? key, category: entry?.category ?? null });
  }
  const payload: LegacyProfilePayload = { user_id: legacyUserId, interests };
  await enqueue(ctx, "profiles", user._id, legacyUserId, payload, now);
}

async function connectionPayload(
  ctx: MutationCtx,
  row: Doc<"connections">,
  legacyId: string,
  now: number,
): Promise<LegacyConnectionPayload> {
  const other = row.requester === row.lo ? row.hi : row.lo;
  return {
    id: legacyId,
    user1_id: await legacyPerson(ctx, row.requester, now),
    user2_id: await legacyPerson(ctx, other, now),
    status: row.status,
    created_at: row.createdAt,
    updated_at: row.respondedAt ?? null,
  };
}

/** Queue a connection's new state (or `removed`: its deletion) when dual write of connections is on. */
export async function enqueueConnectionWrite(
  ctx: MutationCtx,
  row: Doc<"connections">,
  now: number,
  removed = false,
): Promise<void> {
  if (!(await dualWriteEnabled(ctx, "connections"))) return;
  const { legacyId, fresh } = await legacyRowId(ctx, "connections", row._id);
  if (removed && fresh) return; // never on the legacy side: nothing to delete
  const payload: LegacyConnectionPayload = removed
    ? { id: legacyId, deleted: true }
    : await connectionPayload(ctx, row, legacyId, now);
  await enqueue(ctx, "connections", row._id, legacyId, payload, now);
}

/** Queue a sent message when dual write of messages is on. */
export async function enqueueMessageWrite(
  ctx: MutationCtx,
  message: Doc<"directMessages">,
  connection: Doc<"connections">,
  now: number,
): Promise<void> {
  if (!(await dualWriteEnabled(ctx, "messages"))) return;
  let connectionId = await legacyIdOf(ctx, "connections", connection._id);
  if (connectionId === null) {
    // Its connection never reached the legacy side: write it first (the queue keeps the order).
    const made = await legacyRowId(ctx, "connections", connection._id);
    connectionId = made.legacyId;
    await enqueue(
      ctx,
      "connections",
      connection._id,
      connectionId,
      await connectionPayload(ctx, connection, connectionId, now),
      now,
    );
  }
  const { legacyId } = await legacyRowId(ctx, "messages", message._id);
  const payload: LegacyMessagePayload = {
    id: legacyId,
    connection_id: connectionId,
    sender_id: await legacyPerson(ctx, message.from, now),
    content: message.text,
    created_at: message.at,
  };
  await enqueue(ctx, "messages", message._id, legacyId, payload, now);
}
