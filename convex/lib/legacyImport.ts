/**
 * The importer's bookkeeping inside Convex: the legacy-id mapping table, the
 * per-table checkpoint written in the same transaction as each batch, and
 * the issue rows (rejects, repairs, merges). Exactly-once per batch: a batch
 * applies only when the checkpoint still sits where the batch starts
 * (`after`); a batch replayed after a crash finds it moved and answers
 * `stale` with the committed cursor.
 */

import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { appError } from "./errors";
import { type CheckpointCounts, type RowIssue, rowIssue } from "./legacyRows";

/** Counts one batch adds to its checkpoint. */
export type BatchCounts = CheckpointCounts;

/** A zeroed {@link BatchCounts}. */
export function zeroCounts(): BatchCounts {
  return { created: 0, merged: 0, linked: 0, unchanged: 0, rejected: 0, repaired: 0 };
}

/** Why: a row collects at most a few issues per run; this bounds the look-back over reruns. */
const ISSUES_PER_ROW_SCAN = 50;

/** Why: an issue's detail is a short human note (the row's bad value), not the row. */
const MAX_DETAIL = 300;

/** The run, which must be running. */
export async function requireRunningRun(
  ctx: QueryCtx,
  runId: string,
): Promise<Doc<"migrationRuns">> {
  const run = await ctx.db
    .query("migrationRuns")
    .withIndex("by_run", (q) => q.eq("runId", runId))
    .unique();
  if (!run) throw appError("NOT_FOUND", `no migration run ${runId}`);
  if (run.status !== "running") throw appError("CONFLICT", `migration run ${runId} is finished`);
  return run;
}

/** The checkpoint of (run, table), if created. */
export async function getCheckpoint(ctx: QueryCtx, runId: string, table: string) {
  return await ctx.db
    .query("migrationCheckpoints")
    .withIndex("by_run_table", (q) => q.eq("runId", runId).eq("table", table))
    .unique();
}

/** Create the checkpoint of (run, table) at the start when missing. */
export async function ensureCheckpoint(
  ctx: MutationCtx,
  runId: string,
  table: string,
  now: number,
) {
  const existing = await getCheckpoint(ctx, runId, table);
  if (existing) return existing;
  const id = await ctx.db.insert("migrationCheckpoints", {
    runId,
    table,
    cursor: null,
    done: false,
    rows: 0,
    ...zeroCounts(),
    updatedAt: now,
  });
  return (await ctx.db.get("migrationCheckpoints", id))!;
}

/**
 * Open a batch: the checkpoint when it sits at `after` (apply), or the
 * cursor it sits at (the batch is stale: skip it and resume there).
 */
export async function openBatch(
  ctx: MutationCtx,
  runId: string,
  table: string,
  after: string | null,
): Promise<
  { ok: true; checkpoint: Doc<"migrationCheckpoints"> } | { ok: false; cursor: string | null }
> {
  await requireRunningRun(ctx, runId);
  const checkpoint = await getCheckpoint(ctx, runId, table);
  if (!checkpoint)
    throw appError("NOT_FOUND", `run ${runId} has no checkpoint for ${table}: call begin first`);
  if (checkpoint.done) return { ok: false, cursor: checkpoint.cursor };
  if (checkpoint.cursor !== after) return { ok: false, cursor: checkpoint.cursor };
  return { ok: true, checkpoint };
}

/** Close a batch: move the checkpoint to `cursor` and add the counts (same transaction as the rows). */
export async function closeBatch(
  ctx: MutationCtx,
  checkpoint: Doc<"migrationCheckpoints">,
  cursor: string,
  rows: number,
  c: BatchCounts,
  now: number,
): Promise<void> {
  await ctx.db.patch("migrationCheckpoints", checkpoint._id, {
    cursor,
    rows: checkpoint.rows + rows,
    created: checkpoint.created + c.created,
    merged: checkpoint.merged + c.merged,
    linked: checkpoint.linked + c.linked,
    unchanged: checkpoint.unchanged + c.unchanged,
    rejected: checkpoint.rejected + c.rejected,
    repaired: checkpoint.repaired + c.repaired,
    updatedAt: now,
  });
}

/** The mapping of one legacy row, if mapped. */
export async function mappingOf(ctx: QueryCtx, table: string, legacyId: string) {
  return await ctx.db
    .query("legacyIdMap")
    .withIndex("by_table_legacy", (q) => q.eq("table", table).eq("legacyId", legacyId))
    .unique();
}

/** Record a mapping. */
export async function recordMapping(
  ctx: MutationCtx,
  row: Omit<Doc<"legacyIdMap">, "_id" | "_creationTime">,
): Promise<void> {
  await ctx.db.insert("legacyIdMap", row);
}

/** Record an issue of a row (rejects, repairs from the mapper; merges from here). */
export async function recordIssue(
  ctx: MutationCtx,
  runId: string,
  table: string,
  issue: RowIssue | (Omit<RowIssue, "kind"> & { kind: "merge" }),
  counts: BatchCounts,
): Promise<void> {
  const detail =
    issue.detail.length > MAX_DETAIL ? `${issue.detail.slice(0, MAX_DETAIL - 1)}…` : issue.detail;
  await ctx.db.insert("migrationIssues", { runId, table, ...issue, detail });
  if (issue.kind === "reject") counts.rejected++;
  else if (issue.kind === "repair") counts.repaired++;
}

/**
 * Why a reference to a legacy user cannot be resolved: the user was itself
 * rejected (`USER_REJECTED`), or no such user exists (`ORPHAN_USER`).
 */
export async function unresolvedUserReason(ctx: QueryCtx, legacyUserId: string): Promise<string> {
  // Bounded: a row gets at most a few issues per run, and runs are few.
  const issues = await ctx.db
    .query("migrationIssues")
    .withIndex("by_table_legacy", (q) => q.eq("table", "users").eq("legacyId", legacyUserId))
    .take(ISSUES_PER_ROW_SCAN);
  return issues.some((i) => i.kind === "reject") ? "USER_REJECTED" : "ORPHAN_USER";
}

/** Resolve a legacy user id, or reject `legacyId` of `table` with the reason. */
export async function resolveUser(
  ctx: MutationCtx,
  runId: string,
  table: string,
  legacyId: string,
  field: string,
  legacyUserId: string,
  counts: BatchCounts,
): Promise<Id<"users"> | null> {
  const mapped = await mappingOf(ctx, "users", legacyUserId);
  if (mapped) return mapped.convexId as Id<"users">;
  const reason = await unresolvedUserReason(ctx, legacyUserId);
  await recordIssue(
    ctx,
    runId,
    table,
    {
      legacyId,
      kind: "reject",
      reason,
      detail: `${field} ${legacyUserId} ${reason === "USER_REJECTED" ? "was rejected" : "does not exist"}`,
    },
    counts,
  );
  return null;
}

/** The arguments every import batch mutation takes besides its rows. */
export const batchArgs = {
  runId: v.string(),
  /** The cursor this batch starts after (the checkpoint must sit there). */
  after: v.union(v.string(), v.null()),
  /** The cursor of the batch's last legacy row (rejected ones included). */
  cursor: v.string(),
  issues: v.array(rowIssue),
};

/** Shared shell of a batch: open the checkpoint, record the mapper's issues, import rows, close. */
export async function runBatch<R>(
  ctx: MutationCtx,
  table: string,
  maxRows: number,
  args: { runId: string; after: string | null; cursor: string; issues: RowIssue[]; rows: R[] },
  importRow: (row: R, counts: BatchCounts) => Promise<void>,
) {
  if (args.rows.length + args.issues.length > maxRows) {
    throw appError("VALIDATION_ERROR", `at most ${maxRows} ${table} rows per batch`);
  }
  const opened = await openBatch(ctx, args.runId, table, args.after);
  if (!opened.ok) return { status: "stale" as const, cursor: opened.cursor };
  const counts = zeroCounts();
  for (const issue of args.issues) await recordIssue(ctx, args.runId, table, issue, counts);
  for (const row of args.rows) await importRow(row, counts);
  const legacyRows = args.rows.length + args.issues.filter((i) => i.kind === "reject").length;
  await closeBatch(ctx, opened.checkpoint, args.cursor, legacyRows, counts, Date.now());
  return { status: "applied" as const, cursor: args.cursor, ...counts };
}

/**
 * Resolve a legacy reference to another imported table (a message's
 * connection, a membership's org): the Convex id, or why not — the row it
 * names was rejected (`rejected` reason) or never existed (`orphan` reason).
 */
export async function resolveReference(
  ctx: QueryCtx,
  table: string,
  legacyId: string,
  reasons: { orphan: string; rejected: string },
): Promise<{ ok: true; convexId: string } | { ok: false; reason: string }> {
  const mapped = await mappingOf(ctx, table, legacyId);
  if (mapped) return { ok: true, convexId: mapped.convexId };
  const issues = await ctx.db
    .query("migrationIssues")
    .withIndex("by_table_legacy", (q) => q.eq("table", table).eq("legacyId", legacyId))
    .take(ISSUES_PER_ROW_SCAN);
  return {
    ok: false,
    reason: issues.some((i) => i.kind === "reject") ? reasons.rejected : reasons.orphan,
  };
}
