/**
 * The import loop (`npm run migrate`): for each table in dependency order,
 * read a keyset page from the legacy database, clean it with the pure
 * mapper, and send one batch (rows + rejects + repairs + the page's cursor)
 * to the table's internal mutation, which applies it in one transaction with
 * its checkpoint. Resumes a running run from its checkpoints; a batch that
 * comes back `stale` (it was committed before a crash, or the checkpoint
 * moved) makes the loop continue from the committed cursor.
 *
 * Tables whose importer is not written yet (organizations onto orgs' tables,
 * connections and messages onto matching's) are counted and reported as
 * deferred, never silently skipped.
 */
import { internal } from "../convex/_generated/api";
import type {
  CheckpointCounts,
  LegacyInterestRow,
  LegacyMeetingRow,
  LegacyUserRow,
  RowIssue,
} from "../convex/lib/legacyRows";
import type { LegacyDb } from "../legacy/open";
import type { LegacyTableName } from "../legacy/schema";
import type { AdminClient } from "./admin";
import type { Mapped } from "./clean";
import { mapInterest } from "./mapInterests";
import { mapMeeting } from "./mapMeetings";
import { mapUser } from "./mapUsers";
import type { Progress } from "./progress";
import { type ImportTable, legacySource, type ReadRow } from "./source";

/** The tables imported today, in dependency order (people before what refers to them). */
export const IMPORT_TABLES: readonly ImportTable[] = ["users", "interests", "meetings"];

/**
 * Legacy tables not imported yet, and what they wait for: since integ3 the
 * Convex tables exist (matching's, orgs'); the importer for each is not written.
 */
export const DEFERRED_TABLES: Readonly<Partial<Record<LegacyTableName, string>>> = {
  organizations:
    "their importer (not written yet): orgs' orgs + orgMemberships, on the free plan (no subscription)",
  connections: "their importer (not written yet): matching's connections table",
  messages: "their importer (not written yet): matching's dmThreads + directMessages",
};

/**
 * Rows per batch. Why: each batch is one Convex transaction; these stay far
 * below its limits (16,000 writes, 1 s of code) with room for slow
 * deployments: a user is ~4 writes, an interest ~3, a meeting ~25 (row,
 * participants, ~8 events through the append path, projector kicks, mapping).
 */
export const BATCH_SIZE: Readonly<Record<ImportTable, number>> = {
  users: 200,
  interests: 300,
  meetings: 60,
};

/** Options of {@link runImport}. */
export type ImportOptions = {
  legacy: LegacyDb;
  admin: AdminClient;
  progress: Progress;
  /** Clerk id → WorkOS user id, from the operator's WorkOS export (optional). */
  workosByClerk?: ReadonlyMap<string, string>;
  /** Override batch sizes (benchmark, tests). */
  batchSize?: Partial<Record<ImportTable, number>>;
  /** Tables to import (default all of {@link IMPORT_TABLES}). */
  tables?: readonly ImportTable[];
};

/** Per table: what happened in this run so far. */
export type TableSummary = CheckpointCounts & {
  legacy: number;
  rows: number;
  ms: number;
  /** Each applied batch's round trip (read from legacy excluded), in order: medians and p95 in the bench. */
  batchMs: number[];
};

/** What {@link runImport} answers. */
export type ImportSummary = {
  runId: string;
  resumed: boolean;
  tables: Partial<Record<ImportTable, TableSummary>>;
  deferred: Partial<Record<LegacyTableName, { legacy: number; waitsOn: string }>>;
};

function mapRow<T extends ImportTable>(
  table: T,
  row: ReadRow[T],
  workos?: ReadonlyMap<string, string>,
) {
  if (table === "users") return mapUser(row as ReadRow["users"], workos);
  if (table === "interests") return mapInterest(row as ReadRow["interests"]);
  return mapMeeting(row as ReadRow["meetings"]);
}

type BatchArgs<R> = {
  runId: string;
  after: string | null;
  cursor: string;
  rows: R[];
  issues: RowIssue[];
};

async function sendBatch(admin: AdminClient, table: ImportTable, args: BatchArgs<unknown>) {
  if (table === "users")
    return await admin.mutation(internal.migrationImport.users, args as BatchArgs<LegacyUserRow>);
  if (table === "interests")
    return await admin.mutation(
      internal.migrationImport.interests,
      args as BatchArgs<LegacyInterestRow>,
    );
  return await admin.mutation(
    internal.migrationImport.meetings,
    args as BatchArgs<LegacyMeetingRow>,
  );
}

/** Import every table (or resume the running run); returns the per-table summary. */
export async function runImport(o: ImportOptions): Promise<ImportSummary> {
  const source = legacySource(o.legacy);
  const tables = o.tables ?? IMPORT_TABLES;
  const begun = await o.admin.mutation(internal.migrationImport.begin, {
    source: o.legacy.label,
    tables: [...tables],
  });
  const summary: ImportSummary = {
    runId: begun.runId,
    resumed: begun.resumed,
    tables: {},
    deferred: {},
  };
  for (const table of tables) {
    const cp = begun.checkpoints.find((c) => c.table === table)!;
    const legacyCount = await source.countRows(table);
    const t: TableSummary = {
      legacy: legacyCount,
      rows: cp.rows,
      created: 0,
      merged: 0,
      linked: 0,
      unchanged: 0,
      rejected: 0,
      repaired: 0,
      ms: 0,
      batchMs: [],
    };
    summary.tables[table] = t;
    const t0 = Date.now();
    o.progress.start(table, legacyCount, cp.rows);
    let cursor = cp.cursor;
    const size = o.batchSize?.[table] ?? BATCH_SIZE[table];
    while (!cp.done) {
      const page = await source.page(table, cursor, size);
      if (page.rows.length === 0 || page.cursor === null) break;
      const rows: unknown[] = [];
      const issues: RowIssue[] = [];
      for (const row of page.rows) {
        const m: Mapped<unknown> = mapRow(table, row, o.workosByClerk);
        if (m.ok) {
          rows.push(m.row);
          issues.push(...m.repairs);
        } else issues.push(m.issue);
      }
      const b0 = Date.now();
      const res = await sendBatch(o.admin, table, {
        runId: begun.runId,
        after: cursor,
        cursor: page.cursor,
        rows,
        issues,
      });
      if (res.status === "stale") {
        // Committed before (a crash after the commit) or moved by another importer: go on from there.
        cursor = res.cursor;
        continue;
      }
      cursor = res.cursor;
      t.batchMs.push(Date.now() - b0);
      t.rows += page.rows.length;
      t.created += res.created;
      t.merged += res.merged;
      t.linked += res.linked;
      t.unchanged += res.unchanged;
      t.rejected += res.rejected;
      t.repaired += res.repaired;
      o.progress.update(table, t.rows);
    }
    await o.admin.mutation(internal.migrationImport.finishTable, { runId: begun.runId, table });
    t.ms = Date.now() - t0;
    o.progress.finish(
      table,
      `${t.created} created, ${t.merged} merged, ${t.linked} linked, ${t.unchanged} unchanged, ${t.rejected} rejected, ${t.repaired} repaired`,
    );
  }
  for (const [table, waitsOn] of Object.entries(DEFERRED_TABLES) as [LegacyTableName, string][]) {
    summary.deferred[table] = { legacy: await source.countRows(table), waitsOn };
  }
  await o.admin.mutation(internal.migrationImport.finish, { runId: begun.runId });
  o.progress.stop();
  return summary;
}
