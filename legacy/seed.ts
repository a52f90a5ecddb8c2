/**
 * `npm run legacy:seed -- --out <pglite-dir|postgres-url> [--users N] [--seed S] [--reset]`
 *
 * Creates the legacy tables and fills them with {@link generateLegacyData}'s
 * rows (default 1,000 users, seed 1). Refuses a database that already has
 * users unless `--reset` (which drops the legacy tables first). Prints one
 * JSON line with the row count per table.
 */
import { pathToFileURL } from "node:url";
import { parseArgs as parseCli } from "node:util";
import { generateLegacyData, type LegacyDataset } from "./generate";
import { type LegacyDb, openLegacy } from "./open";
import { LEGACY_TABLES } from "./schema";

/** Why: 1,000 rows × ≤ 9 columns stays far below Postgres's 65,535 parameters per statement. */
const INSERT_BATCH = 1_000;

/** Insert `rows` into `table` in multi-row statements. */
async function insertRows(
  db: LegacyDb,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const chunk = rows.slice(i, i + INSERT_BATCH);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const marks = columns.map((c) => {
        params.push(row[c]);
        return `$${params.length}`;
      });
      return `(${marks.join(", ")})`;
    });
    await db.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}`,
      params,
    );
  }
}

/** Write a generated dataset into an open legacy database (tables created when missing). */
export async function writeLegacyData(db: LegacyDb, data: LegacyDataset): Promise<void> {
  await db.ensureSchema();
  for (const table of LEGACY_TABLES) await insertRows(db, table, data[table]);
}

/** Drop every legacy table (and the dual-write bookkeeping table). */
export async function dropLegacyTables(db: LegacyDb): Promise<void> {
  for (const table of [...LEGACY_TABLES, "convex_dual_write"]) {
    await db.query(`DROP TABLE IF EXISTS "${table}"`);
  }
}

/** Options of {@link seedLegacy}. */
export type SeedOptions = { out: string; users: number; seed: number; reset: boolean };

/** Generate and write a legacy database; returns the row count per table. */
export async function seedLegacy(o: SeedOptions): Promise<Record<string, number>> {
  const db = await openLegacy(o.out, { create: true });
  try {
    if (o.reset) await dropLegacyTables(db);
    await db.ensureSchema();
    const existing = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "users"`);
    if ((existing[0]?.n ?? 0) > 0) {
      throw new Error(
        `${db.label} already has ${existing[0]!.n} users: pass --reset to start over`,
      );
    }
    const data = generateLegacyData({ users: o.users, seed: o.seed });
    await writeLegacyData(db, data);
    return Object.fromEntries(LEGACY_TABLES.map((t) => [t, data[t].length]));
  } finally {
    await db.close();
  }
}

const USAGE =
  "usage: npm run legacy:seed -- --out <pglite-dir|postgres-url> [--users 1000] [--seed 1] [--reset]";

function int(name: string, v: string | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got ${v}`);
  return n;
}

function parseArgs(argv: string[]): SeedOptions {
  const { values: a } = parseCli({
    args: argv,
    strict: true,
    options: {
      out: { type: "string" },
      users: { type: "string" },
      seed: { type: "string" },
      reset: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (a.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const o: SeedOptions = {
    out: a.out ?? "",
    users: int("--users", a.users, 1_000, 1),
    seed: int("--seed", a.seed, 1, 0),
    reset: a.reset === true,
  };
  if (!o.out) throw new Error("where to? pass --out <pglite-dir> or --out postgres://…");
  return o;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const o = parseArgs(process.argv.slice(2));
    const t0 = Date.now();
    const counts = await seedLegacy(o);
    console.error(
      `[legacy:seed] ${o.out}: ${o.users} users, seed ${o.seed}, ${Date.now() - t0} ms`,
    );
    console.log(JSON.stringify(counts));
  } catch (e) {
    console.error(`[legacy:seed] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
