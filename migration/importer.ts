/**
 * The import loop (`npm run migrate`): for each table in dependency order,
 * read a keyset page from the legacy database, clean it with the pure
 * mapper, and send one batch (rows + rejects + repairs + the page's cursor)
 * to the table's internal mutation, which applies it in one transaction with
 * its checkpoint. Resumes a running run from its checkpoints; a batch that
 * comes back `stale` (it was committed before a crash, or the checkpoint
 * moved) makes the loop continue from the committed cursor.
 *
 * Every legacy table has an importer now; `profiles` is a second pass over
 * legacy `users` (profile and org membership, once interests are in).
 */
import { internal } from "../convex/_generated/api";
import type { CheckpointCounts, RowIssue } from "../convex/lib/legacyRows";
import type { LegacyDb } from "../legacy/open";
import type { LegacyTableName } from "../legacy/schema";
import type { AdminClient } from "./admin";
import type { Mapped } from "./clean";
import { mapInterest } from "./mapInterests";
import { mapMeeting } from "./mapMeetings";
import { mapConnection, mapMessage, mapOrg, mapProfile } from "./mapSocial";
import { mapUser } from "./mapUsers";
import type { Progress } from "./progress";
import { type ImportTable, legacySource, legacyTableOf, type ReadRow } from "./source";

/**
 * The tables imported, in dependency order: people, orgs, what refers to
 * people (interests), then each person's profile and membership (so the
 * embedding it schedules sees the interests), meetings, connections, and
 * messages (through their connection).
 */
export const IMPORT_TABLES: readonly ImportTable[] = [
  "users",
  "organizations",
  "interests",
  "profiles",
  "meetings",
  "connections",
  "messages",
];

/** Legacy tables not imported yet (none since every importer is written; kept for the report's shape). */
export const DEFERRED_TABLES: Readonly<Partial<Record<LegacyTableName, string>>> = {};

/**
 * Rows per batch. Why: each batch is one Convex transaction; these stay
 * below the caps of `MAX_BATCH_ROWS` (`convex/migrationImport.ts`), which say
 * what one row costs in reads and writes.
 */
export const BATCH_SIZE: Readonly<Record<ImportTable, number>> = {
  users: 200,
  organizations: 200,
  interests: 300,
  profiles: 200,
  meetings: 60,
  connections: 300,
  messages: 500,
};

/**
 * Batches read from the legacy database per query. Why 10: the messages page order has no
 * index in the legacy schema (each query sorts the table, ~0.1 s at 100,000 messages), and
 * one query per 10 batches makes that sort a small share; each batch keeps its own cursor.
 */
export const READ_PAGES = 10;

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
  /** The catch-up pass that kicks the imported meetings' projectors after the last table. */
  kick?: { meetings: number; ms: number };
};

/**
 * Kick the projectors of every imported meeting, a batch at a time, after the last table (the
 * meetings were appended without kicks so their folds do not slow the import; `migrationKick.ts`).
 */
async function kickImportedMeetings(
  o: ImportOptions,
  total: number,
): Promise<{ meetings: number; ms: number }> {
  const t0 = Date.now();
  const label = "kicks";
  o.progress.start(label, total, 0);
  let after: string | null = null;
  let meetings = 0;
  do {
    const r: { next: string | null; kicked: number } = await o.admin.mutation(
      internal.migrationKick.kickImported,
      { after },
    );
    meetings += r.kicked;
    o.progress.update(label, meetings);
    after = r.next;
  } while (after !== null);
  o.progress.finish(label, `${meetings} imported meetings handed to their projectors`);
  return { meetings, ms: Date.now() - t0 };
}

/** Clean one legacy row with its table's mapper. */
export function mapRow<T extends ImportTable>(
  table: T,
  row: ReadRow[T],
  workos?: ReadonlyMap<string, string>,
): Mapped<unknown> {
  const r = row as never;
  switch (table) {
    case "users":
      return mapUser(r, workos);
    case "organizations":
      return mapOrg(r);
    case "interests":
      return mapInterest(r);
    case "profiles":
      return mapProfile(r);
    case "meetings":
      return mapMeeting(r);
    case "connections":
      return mapConnection(r);
    default:
      return mapMessage(r);
  }
}

type BatchArgs = {
  runId: string;
  after: string | null;
  cursor: string;
  rows: unknown[];
  issues: RowIssue[];
};

/** The batch mutation of each table (rows are validated by it). */
const BATCH_FN = {
  users: internal.migrationImport.users,
  organizations: internal.migrationImportSocial.organizations,
  interests: internal.migrationImport.interests,
  profiles: internal.migrationImportSocial.profiles,
  meetings: internal.migrationImport.meetings,
  connections: internal.migrationImportSocial.connections,
  messages: internal.migrationImportSocial.messages,
} as const;

async function sendBatch(admin: AdminClient, table: ImportTable, args: BatchArgs) {
  return await admin.mutation(BATCH_FN[table], args as never);
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
    const legacyCount = await source.countRows(legacyTableOf(table));
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
    read: while (!cp.done) {
      const pages = await source.pages(table, cursor, size, READ_PAGES);
      if (pages.length === 0) break;
      for (const page of pages) {
        const rows: unknown[] = [];
        const issues: RowIssue[] = [];
        for (const row of page.rows) {
          const m = mapRow(table, row, o.workosByClerk);
          if (m.ok) {
            rows.push(m.row);
            issues.push(...m.repairs);
          } else issues.push(m.issue);
        }
        const b0 = Date.now();
        const res = await sendBatch(o.admin, table, {
          runId: begun.runId,
          after: cursor,
          cursor: page.cursor!,
          rows,
          issues,
        });
        if (res.status === "stale") {
          // Committed before (a crash after the commit) or moved by another importer: go on from there.
          cursor = res.cursor;
          continue read;
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
    }
    await o.admin.mutation(internal.migrationImport.finishTable, { runId: begun.runId, table });
    t.ms = Date.now() - t0;
    o.progress.finish(
      table,
      `${t.created} created, ${t.merged} merged, ${t.linked} linked, ${t.unchanged} unchanged, ${t.rejected} rejected, ${t.repaired} repaired`,
    );
  }
  if (tables.includes("meetings"))
    summary.kick = await kickImportedMeetings(o, summary.tables.meetings?.legacy ?? 0);
  for (const [table, waitsOn] of Object.entries(DEFERRED_TABLES) as [LegacyTableName, string][]) {
    summary.deferred[table] = { legacy: await source.countRows(table), waitsOn };
  }
  await o.admin.mutation(internal.migrationImport.finish, { runId: begun.runId });
  o.progress.stop();
  return summary;
}
