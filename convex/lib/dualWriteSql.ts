/**
 * The legacy side of dual write: one change applied in one legacy
 * transaction, guarded by `convex_dual_write(table_name, row_id, seq)` (a
 * change not newer than the one applied is skipped: retries and replays are
 * idempotent). Used by `migrationDualWriteApply.drain` over `pg`.
 */
import type { LegacyUserPayload } from "./dualWrite";
import type {
  LegacyConnectionPayload,
  LegacyMessagePayload,
  LegacyProfilePayload,
} from "./dualWriteSocial";

/** What the applier needs of a Postgres client (`pg.Client`). */
export type SqlClient = {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
};

/** `ms` as a UTC wall-clock literal (the legacy `users` timestamps have no zone). */
function utc(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}
/** `ms` as an instant (the `timestamptz` columns). */
const instant = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function writeRow(client: SqlClient, table: string, payload: unknown): Promise<void> {
  if (table === "users") {
    const p = payload as LegacyUserPayload;
    await client.query(
      `INSERT INTO "users" (id, clerk_id, email, name, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at`,
      [p.id, p.clerk_id, p.email, p.name, utc(p.created_at), utc(p.updated_at)],
    );
  } else if (table === "profiles") {
    // The person's interests become exactly the set (same name in any case = the same interest).
    const p = payload as LegacyProfilePayload;
    const names = p.interests.map((i) => i.name.trim().toLowerCase());
    await client.query(
      `DELETE FROM "interests" WHERE user_id = $1 AND NOT (lower(trim(name)) = ANY($2::text[]))`,
      [p.user_id, names],
    );
    for (const i of p.interests) {
      await client.query(
        `INSERT INTO "interests" (user_id, name, category)
         SELECT $1, $2, $3 WHERE NOT EXISTS
           (SELECT 1 FROM "interests" WHERE user_id = $1 AND lower(trim(name)) = lower(trim($2)))`,
        [p.user_id, i.name, i.category],
      );
    }
  } else if (table === "connections") {
    const p = payload as LegacyConnectionPayload;
    if (p.deleted) await client.query(`DELETE FROM "connections" WHERE id = $1`, [p.id]);
    else
      await client.query(
        `INSERT INTO "connections" (id, user1_id, user2_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET user1_id = EXCLUDED.user1_id, user2_id = EXCLUDED.user2_id,
           status = EXCLUDED.status, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
        [p.id, p.user1_id, p.user2_id, p.status, instant(p.created_at), instant(p.updated_at)],
      );
  } else if (table === "messages") {
    const p = payload as LegacyMessagePayload;
    await client.query(
      `INSERT INTO "messages" (id, connection_id, sender_id, content, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content`,
      [p.id, p.connection_id, p.sender_id, p.content, instant(p.created_at)],
    );
  } else throw new Error(`dual write of ${table} is not implemented`);
}

/** Apply one queued change; false when a change as new or newer was applied before. */
export async function applyChange(
  client: SqlClient,
  table: string,
  rowId: string,
  seq: number,
  payload: unknown,
): Promise<boolean> {
  await client.query("BEGIN");
  try {
    const guard = await client.query<{ seq: string }>(
      `SELECT seq FROM "convex_dual_write" WHERE table_name = $1 AND row_id = $2 FOR UPDATE`,
      [table, rowId],
    );
    if (guard.rows[0] && Number(guard.rows[0].seq) >= seq) {
      await client.query("ROLLBACK");
      return false;
    }
    await writeRow(client, table, payload);
    await client.query(
      `INSERT INTO "convex_dual_write" (table_name, row_id, seq, applied_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (table_name, row_id) DO UPDATE SET seq = EXCLUDED.seq, applied_at = now()`,
      [table, rowId, seq],
    );
    await client.query("COMMIT");
    return true;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  }
}
