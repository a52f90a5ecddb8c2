/**
 * Dual write (issue 19, part 3): while flag `dual_write_<table>` is on, every
 * change to a Convex row of that table is queued in `dualWriteOutbox` in the
 * same transaction as the change, and a scheduled action
 * (`migrationDualWriteApply.drain`) applies the queue to the legacy
 * database. Ordered per row by `seq`; idempotent on the legacy side (a row's
 * last applied `seq` is kept in `convex_dual_write` and an older or equal
 * change is skipped); retried with backoff; single-flight through the
 * `dualWriteControl` row. Users here; profiles (the person's interests),
 * connections and messages in `dualWriteSocial.ts`.
 */
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { legacyUserView } from "./legacyAccounts";

/** The flag that turns dual write of a table on. */
export const DUAL_WRITE_FLAGS = {
  users: "dual_write_users",
  profiles: "dual_write_profiles",
  connections: "dual_write_connections",
  messages: "dual_write_messages",
} as const;
/** A table dual write covers. */
export type DualWriteTable = keyof typeof DUAL_WRITE_FLAGS;

/** The control row's key. */
export const DUAL_WRITE_CONTROL_KEY = "dualWrite";
/** The `runId` of mapping rows dual write creates for Convex rows that had no legacy row. */
export const DUAL_WRITE_RUN = "dual-write";
/** Why: a person has one legacy row, plus merged duplicates; this bounds the look-up. */
const MAPPINGS_PER_ROW = 10;

/** The legacy `users` columns a change writes (timestamps in ms; the action formats them). */
export type LegacyUserPayload = {
  id: string;
  clerk_id: string;
  email: string;
  name: string | null;
  created_at: number;
  updated_at: number;
};

/** True when flag `dual_write_<table>` is on (enabled; the rollout share does not apply to writes). */
export async function dualWriteEnabled(ctx: QueryCtx, table: DualWriteTable): Promise<boolean> {
  const flag = await ctx.db
    .query("featureFlags")
    .withIndex("by_key", (q) => q.eq("key", DUAL_WRITE_FLAGS[table]))
    .unique();
  return flag?.enabled === true;
}

/** The legacy id a Convex row maps to (the imported or linked row first), if any. */
export async function legacyIdOf(
  ctx: QueryCtx,
  table: string,
  convexId: string,
): Promise<string | null> {
  const rows = await ctx.db
    .query("legacyIdMap")
    .withIndex("by_table_convex", (q) => q.eq("table", table).eq("convexId", convexId))
    .take(MAPPINGS_PER_ROW);
  const primary = rows.find((r) => r.outcome !== "merged") ?? rows[0];
  return primary?.legacyId ?? null;
}

/** Queue `payload` as the next change of (table, convexId) and make sure a drain is scheduled. */
export async function enqueue(
  ctx: MutationCtx,
  table: DualWriteTable,
  convexId: string,
  legacyId: string,
  payload: unknown,
  now: number,
): Promise<void> {
  const last = await ctx.db
    .query("dualWriteOutbox")
    .withIndex("by_row", (q) => q.eq("table", table).eq("convexId", convexId))
    .order("desc")
    .first();
  await ctx.db.insert("dualWriteOutbox", {
    table,
    convexId,
    legacyId,
    seq: (last?.seq ?? 0) + 1,
    payload: JSON.stringify(payload),
    status: "pending",
    attempts: 0,
    enqueuedAt: now,
  });
  await kickDrain(ctx, 0);
}

/** Schedule the drain unless one is scheduled (single-flight). */
export async function kickDrain(ctx: MutationCtx, delayMs: number): Promise<void> {
  const control = await ctx.db
    .query("dualWriteControl")
    .withIndex("by_key", (q) => q.eq("key", DUAL_WRITE_CONTROL_KEY))
    .unique();
  if (control?.state === "scheduled") return;
  if (control) await ctx.db.patch("dualWriteControl", control._id, { state: "scheduled" });
  else
    await ctx.db.insert("dualWriteControl", {
      key: DUAL_WRITE_CONTROL_KEY,
      state: "scheduled",
      failures: 0,
    });
  await ctx.scheduler.runAfter(delayMs, internal.migrationDualWriteApply.drain, {});
}

/** Queue a user's new state for the legacy `users` table when dual write of users is on. */
export async function enqueueUserWrite(
  ctx: MutationCtx,
  user: Doc<"users">,
  now: number,
): Promise<void> {
  if (!(await dualWriteEnabled(ctx, "users"))) return;
  await writeLegacyUser(ctx, user, now);
}

/**
 * Queue the person's legacy `users` row (whatever the users flag says) and
 * answer its legacy id: a connection or message written to the legacy side
 * needs its people there first (the queue applies in order).
 */
export async function writeLegacyUser(
  ctx: MutationCtx,
  user: Doc<"users">,
  now: number,
): Promise<string> {
  let legacyId = await legacyIdOf(ctx, "users", user._id);
  if (legacyId === null) {
    // A person who started on Convex: give them a legacy row id once, kept in the mapping.
    legacyId = crypto.randomUUID();
    await ctx.db.insert("legacyIdMap", {
      table: "users",
      legacyId,
      convexId: user._id,
      outcome: "dualWrite",
      runId: DUAL_WRITE_RUN,
    });
  }
  const row = await legacyUserView(ctx, user, legacyId);
  const payload: LegacyUserPayload = {
    id: row.id,
    clerk_id: row.clerkId,
    email: row.email,
    name: row.name,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
  await enqueue(ctx, "users", user._id, legacyId, payload, now);
  return legacyId;
}
