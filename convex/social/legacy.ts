/**
 * Legacy connections and direct messages into matching's tables (issue 19),
 * through the same rows and write path the app uses: one `connections` row
 * per pair (`connectionBetween`), messages appended by `appendDirectMessage`
 * (thread made on the first one, `clientKey` = `legacy:<uuid>`).
 *
 * - The same pair twice (the legacy app allowed it, either way round, and
 *   merged duplicate accounts make more): one row; accepted wins over
 *   pending over declined, the earliest `createdAt` stays (`DUPLICATE_CONNECTION`).
 *   A pair already connected on Convex keeps its row (linked, not changed).
 * - Both people the same person after merging → `SELF_CONNECTION`.
 * - A message's connection unknown → `ORPHAN_CONNECTION`, rejected →
 *   `CONNECTION_REJECTED`; its sender not one of the pair →
 *   `SENDER_NOT_IN_CONNECTION`; messages of a pending or declined connection
 *   are imported (they were written) with a repair note.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import {
  type BatchCounts,
  mappingOf,
  recordIssue,
  recordMapping,
  resolveReference,
  resolveUser,
  unresolvedUserReason,
} from "../lib/legacyImport";
import type { LegacyConnectionRow, LegacyMessageRow } from "../lib/legacyRows";
import { ordered } from "../matching/state";
import { connectionBetween } from "./connectionRows";
import { appendDirectMessage } from "./messageRows";

/** Which of two statuses a merged pair keeps. */
export const CONNECTION_RANK = { declined: 0, pending: 1, accepted: 2 } as const;

/** The `clientKey` of an imported message. */
export function legacyMessageKey(legacyId: string): string {
  return `legacy:${legacyId}`;
}

/** Import one legacy connection (see the module comment). */
export async function importLegacyConnection(
  ctx: MutationCtx,
  runId: string,
  row: LegacyConnectionRow,
  counts: BatchCounts,
): Promise<void> {
  if (await mappingOf(ctx, "connections", row.legacyId)) {
    counts.unchanged++;
    return;
  }
  const issue = async (kind: "reject" | "repair" | "merge", reason: string, detail: string) =>
    await recordIssue(
      ctx,
      runId,
      "connections",
      { legacyId: row.legacyId, kind, reason, detail },
      counts,
    );
  const a = await resolveUser(ctx, runId, "connections", row.legacyId, "user1", row.user1, counts);
  if (!a) return;
  const b = await resolveUser(ctx, runId, "connections", row.legacyId, "user2", row.user2, counts);
  if (!b) return;
  if (a === b) {
    await issue("reject", "SELF_CONNECTION", "user1 and user2 are one person (merged accounts)");
    return;
  }
  const existing = await connectionBetween(ctx, a, b);
  if (existing) {
    const imported = await ctx.db
      .query("legacyIdMap")
      .withIndex("by_table_convex", (q) =>
        q.eq("table", "connections").eq("convexId", existing._id),
      )
      .first();
    if (imported) {
      const upgrade = CONNECTION_RANK[row.status] > CONNECTION_RANK[existing.status];
      const patch: Partial<Doc<"connections">> = {};
      if (upgrade) {
        patch.status = row.status;
        patch.requester = a;
        patch.respondedAt = row.respondedAt;
      }
      if (row.createdAt < existing.createdAt) patch.createdAt = row.createdAt;
      if (Object.keys(patch).length > 0) await ctx.db.patch("connections", existing._id, patch);
      await issue(
        "merge",
        "DUPLICATE_CONNECTION",
        `the pair is already connected by legacy connection ${imported.legacyId} (${existing.status}; this one ${row.status})`,
      );
    } else {
      await issue(
        "merge",
        "EXISTING_CONVEX_CONNECTION",
        `linked to the connection ${existing._id} the two made on Convex (kept as it is)`,
      );
    }
    const outcome = imported ? "merged" : "linked";
    await recordMapping(ctx, {
      table: "connections",
      legacyId: row.legacyId,
      convexId: existing._id,
      outcome,
      runId,
    });
    counts[outcome]++;
    return;
  }
  const [lo, hi] = ordered(a, b);
  const id = await ctx.db.insert("connections", {
    lo,
    hi,
    requester: a,
    status: row.status,
    createdAt: row.createdAt,
    ...(row.respondedAt !== undefined ? { respondedAt: row.respondedAt } : {}),
  });
  await recordMapping(ctx, {
    table: "connections",
    legacyId: row.legacyId,
    convexId: id,
    outcome: "created",
    runId,
  });
  counts.created++;
}

type Pair =
  | { ok: true; connection: Doc<"connections">; thread?: Doc<"dmThreads"> | null }
  | { ok: false; reason: string; detail: string };

/** What one messages batch remembers between rows (a connection's pair and thread, people). */
export type MessageBatchCache = {
  pairs: Map<string, Pair>;
  people: Map<string, Id<"users"> | null>;
};

/** A fresh {@link MessageBatchCache}. */
export function messageBatchCache(): MessageBatchCache {
  return { pairs: new Map(), people: new Map() };
}

async function pairOf(ctx: MutationCtx, legacyConnectionId: string): Promise<Pair> {
  const ref = await resolveReference(ctx, "connections", legacyConnectionId, {
    orphan: "ORPHAN_CONNECTION",
    rejected: "CONNECTION_REJECTED",
  });
  if (!ref.ok)
    return {
      ok: false,
      reason: ref.reason,
      detail: `connection ${legacyConnectionId} ${ref.reason === "ORPHAN_CONNECTION" ? "does not exist" : "was rejected"}`,
    };
  const connection = await ctx.db.get("connections", ref.convexId as Id<"connections">);
  if (!connection)
    return {
      ok: false,
      reason: "CONNECTION_REMOVED",
      detail: `connection ${legacyConnectionId} was removed on Convex since its import`,
    };
  return { ok: true, connection };
}

/** Import one legacy message (see the module comment); `cache` lives for one batch. */
export async function importLegacyMessage(
  ctx: MutationCtx,
  runId: string,
  row: LegacyMessageRow,
  counts: BatchCounts,
  cache: MessageBatchCache,
): Promise<void> {
  if (await mappingOf(ctx, "messages", row.legacyId)) {
    counts.unchanged++;
    return;
  }
  const issue = async (kind: "reject" | "repair", reason: string, detail: string) =>
    await recordIssue(
      ctx,
      runId,
      "messages",
      { legacyId: row.legacyId, kind, reason, detail },
      counts,
    );
  let pair = cache.pairs.get(row.legacyConnectionId);
  if (!pair) {
    pair = await pairOf(ctx, row.legacyConnectionId);
    cache.pairs.set(row.legacyConnectionId, pair);
  }
  if (!pair.ok) {
    await issue("reject", pair.reason, pair.detail);
    return;
  }
  let from = cache.people.get(row.sender);
  if (from === undefined) {
    from = ((await mappingOf(ctx, "users", row.sender))?.convexId as Id<"users">) ?? null;
    cache.people.set(row.sender, from);
  }
  if (from === null) {
    const reason = await unresolvedUserReason(ctx, row.sender);
    await issue(
      "reject",
      reason,
      `sender ${row.sender} ${reason === "USER_REJECTED" ? "was rejected" : "does not exist"}`,
    );
    return;
  }
  const { connection } = pair;
  if (from !== connection.lo && from !== connection.hi) {
    await issue(
      "reject",
      "SENDER_NOT_IN_CONNECTION",
      `sender ${row.sender} is not one of connection ${row.legacyConnectionId}`,
    );
    return;
  }
  if (connection.status !== "accepted")
    await issue(
      "repair",
      "CONNECTION_NOT_ACCEPTED",
      `imported although its connection is ${connection.status} (the message exists)`,
    );
  const to = from === connection.lo ? connection.hi : connection.lo;
  const written = await appendDirectMessage(
    ctx,
    { from, to, text: row.text, at: row.at, clientKey: legacyMessageKey(row.legacyId) },
    pair.thread,
  );
  let thread = written.thread;
  if (row.readAt !== undefined) {
    // The legacy read mark is the recipient's: they read the thread up to this message.
    const mark = to === thread.lo ? "loReadAt" : "hiReadAt";
    if (row.readAt > thread[mark]) {
      await ctx.db.patch("dmThreads", thread._id, { [mark]: row.readAt });
      thread = { ...thread, [mark]: row.readAt };
    }
  }
  pair.thread = thread;
  await recordMapping(ctx, {
    table: "messages",
    legacyId: row.legacyId,
    convexId: written.messageId,
    outcome: "created",
    runId,
  });
  counts.created++;
}
