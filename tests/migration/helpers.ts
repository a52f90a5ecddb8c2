/**
 * Shared setup of the migration tests: a generated legacy database in a
 * temporary PGlite directory, the embedded engine in memory, and the
 * importer's admin client over `engine.run` (internal functions driven
 * in-process; `admin.test.ts` covers the HTTP transport with the engine's
 * admin key).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { internal } from "../../convex/_generated/api";
import { type Engine, startEngine } from "../../engine/engine";
import { seedLegacy } from "../../legacy/seed";
import { type AdminClient, runnerAdminClient } from "../../migration/admin";
import type { Progress } from "../../migration/progress";

/** A temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A generated legacy database in a fresh PGlite directory. */
export async function seededLegacy(
  users: number,
  seed: number,
): Promise<{ dir: string; counts: Record<string, number> }> {
  const dir = join(tempDir("legacy-"), "pg");
  const counts = await seedLegacy({ out: dir, users, seed, reset: false });
  return { dir, counts };
}

/** The embedded engine over the real `convex/`, in memory, on random ports. */
export async function memoryEngine(): Promise<{ engine: Engine; admin: AdminClient }> {
  const engine = await startEngine({
    port: 0,
    sitePort: null,
    dataDir: null,
    logLevel: "silent",
    crons: false,
  });
  return { engine, admin: runnerAdminClient(engine) };
}

/** A progress sink that records its lines. */
export function recordingProgress(lines: string[] = []): Progress {
  return {
    start: (t, total, done) => lines.push(`${t} start ${done}/${total}`),
    update: () => undefined,
    finish: (t, s) => lines.push(`${t} ${s}`),
    stop: () => undefined,
  };
}

const FINGERPRINTED = [
  "users",
  "legacyAccounts",
  "interests",
  "userInterests",
  "meetings",
  "participants",
  "meetingEvents",
  "legacyIdMap",
  "orgs",
  "orgMemberships",
  "profiles",
  "connections",
  "dmThreads",
  "directMessages",
] as const;

/** Row count and content hash of every table an import writes. */
export async function fingerprint(
  admin: AdminClient,
): Promise<Record<string, { rows: number; hash: number }>> {
  const out: Record<string, { rows: number; hash: number }> = {};
  for (const table of FINGERPRINTED) {
    let cursor: string | null = null;
    const acc = { rows: 0, hash: 0 };
    for (;;) {
      const p: { rows: number; hash: number; continueCursor: string; isDone: boolean } =
        await admin.query(internal.migrationStatus.fingerprintPage, { table, cursor });
      acc.rows += p.rows;
      acc.hash = (acc.hash + p.hash) >>> 0;
      if (p.isDone) break;
      cursor = p.continueCursor;
    }
    out[table] = acc;
  }
  return out;
}

/** Poll `read` until `done(value)`; fails after `ms`. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
