/**
 * Open the legacy database: a PGlite data directory (the embedded default:
 * real Postgres in WASM, on disk) or any `postgres://` URL through `pg`.
 * Both give the same Drizzle database over `schema.ts`.
 */
import { existsSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { LEGACY_DDL } from "./ddl";
import { legacySchema } from "./schema";

/** A Drizzle database over the legacy schema, whichever driver runs it. */
export type LegacyDrizzle = PgDatabase<PgQueryResultHKT, typeof legacySchema>;

/** An open legacy database. */
export type LegacyDb = {
  /** Drizzle over `schema.ts`. */
  db: LegacyDrizzle;
  /** `pglite` (a data directory) or `postgres` (a URL through `pg`). */
  kind: "pglite" | "postgres";
  /** Where it is, without credentials (for reports and logs). */
  label: string;
  /** Raw parameterized SQL (`$1`…), rows as objects. */
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Create the legacy tables when missing. */
  ensureSchema(): Promise<void>;
  close(): Promise<void>;
};

/** Options of {@link openLegacy}. */
export type OpenLegacyOptions = {
  /** Allow a PGlite directory that does not exist yet (the seeder); refused otherwise. */
  create?: boolean;
  /** Connections in the `pg` pool. Why 4: reads are keyset pages, one or two at a time. */
  poolSize?: number;
};

/** True when `source` is a Postgres connection URL rather than a PGlite directory. */
export function isPostgresUrl(source: string): boolean {
  return /^postgres(ql)?:\/\//i.test(source);
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db` (never log a password). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return "postgres://<unparseable url>";
  }
}

/** Open a PGlite directory or a Postgres URL. */
export async function openLegacy(
  source: string,
  options: OpenLegacyOptions = {},
): Promise<LegacyDb> {
  if (isPostgresUrl(source)) {
    const pool = new pg.Pool({ connectionString: source, max: options.poolSize ?? 4 });
    // A bad URL or a server that is down fails here, not in the middle of an import.
    const probe = await pool.connect();
    probe.release();
    const db = drizzlePg(pool, { schema: legacySchema }) as unknown as LegacyDrizzle;
    const query = async <T extends Record<string, unknown>>(text: string, params?: unknown[]) =>
      (await pool.query(text, params)).rows as T[];
    return {
      db,
      kind: "postgres",
      label: redactUrl(source),
      query,
      ensureSchema: async () => void (await pool.query(LEGACY_DDL)),
      close: () => pool.end(),
    };
  }
  if (!options.create && !existsSync(source)) {
    throw new Error(
      `no legacy database at ${source}: pass a PGlite data directory made by 'npm run legacy:seed' or a postgres:// URL`,
    );
  }
  const client = await PGlite.create(source);
  const db = drizzlePglite(client, { schema: legacySchema }) as unknown as LegacyDrizzle;
  return {
    db,
    kind: "pglite",
    label: `pglite:${source}`,
    query: async <T extends Record<string, unknown>>(text: string, params?: unknown[]) =>
      (await client.query<T>(text, params)).rows,
    ensureSchema: async () => void (await client.exec(LEGACY_DDL)),
    close: () => client.close(),
  };
}
