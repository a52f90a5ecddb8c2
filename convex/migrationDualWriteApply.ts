"use node";
/**
 * The dual-write applier: a scheduled action that applies the queued Convex
 * changes (`dualWriteOutbox`) to the legacy PostgreSQL database named by the
 * deployment's `LEGACY_DATABASE_URL`, through `pg`.
 *
 * Per change, one legacy transaction (`lib/dualWriteSql.ts`): lock the row's
 * entry in `convex_dual_write` (created on first use), skip the change when
 * its `seq` is not newer than the one applied (a retry or a replay:
 * idempotent), else write the legacy row(s) and record the `seq`. Changes are taken in the order
 * they were made; when one fails, the later changes of the same row wait
 * (order per row), other rows go on. `migrationDualWrite.settle` marks the
 * outcome and reschedules with backoff while work remains.
 */
import { v } from "convex/values";
import pg from "pg";
import { internal } from "./_generated/api";
import { env, internalAction } from "./_generated/server";
import { applyChange } from "./lib/dualWriteSql";
import { DRAIN_BATCH } from "./migrationDualWrite";

/** The bookkeeping table dual write adds to the legacy database. */
export const DUAL_WRITE_DDL = `CREATE TABLE IF NOT EXISTS "convex_dual_write" (
  "table_name" text NOT NULL,
  "row_id" uuid NOT NULL,
  "seq" bigint NOT NULL,
  "applied_at" timestamp with time zone DEFAULT now() NOT NULL,
  PRIMARY KEY ("table_name", "row_id")
)`;

/** Why: a legacy database that does not answer in 10 s counts as down (retried with backoff). */
const CONNECT_TIMEOUT_MS = 10_000;

/** Apply one batch of queued changes to the legacy database, then settle (and reschedule). */
export const drain = internalAction({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    const entries = await ctx.runQuery(internal.migrationDualWrite.pending, { limit: DRAIN_BATCH });
    const applied: (typeof entries)[number]["id"][] = [];
    const failed: { id: (typeof entries)[number]["id"]; error: string }[] = [];
    const url = env.LEGACY_DATABASE_URL;
    if (entries.length > 0 && !url) {
      failed.push({
        id: entries[0]!.id,
        error: "LEGACY_DATABASE_URL is not set on this deployment",
      });
    } else if (entries.length > 0) {
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      });
      try {
        await client.connect();
        await client.query(DUAL_WRITE_DDL);
        const blocked = new Set<string>();
        for (const e of entries) {
          const row = `${e.table}:${e.convexId}`;
          if (blocked.has(row)) continue; // an earlier change of this row failed: keep the order
          try {
            await applyChange(client, e.table, e.legacyId, e.seq, JSON.parse(e.payload));
            applied.push(e.id);
          } catch (err) {
            blocked.add(row);
            failed.push({ id: e.id, error: err instanceof Error ? err.message : String(err) });
          }
        }
      } catch (err) {
        failed.push({
          id: entries[0]!.id,
          error: err instanceof Error ? err.message : String(err),
        });
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    await ctx.runMutation(internal.migrationDualWrite.settle, { applied, failed, at: Date.now() });
    return null;
  },
});
