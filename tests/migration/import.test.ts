/**
 * A generated legacy database (dirty, 150 people) imported through a real
 * Postgres wire server (PGlite served by `@electric-sql/pglite-socket`, read
 * with `pg` from a `postgres://` URL): every row is mapped or rejected, the
 * validation finds zero discrepancies (counts and a 20% field-by-field
 * sample), a second run changes nothing (same row counts and content
 * hashes), and the imported meetings work like any other: their projections
 * fold and the timeline replays them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { type LegacyDb, openLegacy } from "../../legacy/open";
import { type ServedLegacy, serveLegacy } from "../../legacy/serve";
import type { AdminClient } from "../../migration/admin";
import { IMPORT_TABLES, type ImportSummary, runImport } from "../../migration/importer";
import { runValidate, validationJson, validationMarkdown } from "../../migration/validate";
import { eventually, fingerprint, memoryEngine, recordingProgress, seededLegacy } from "./helpers";

let engine: Engine;
let admin: AdminClient;
let served: ServedLegacy;
let legacy: LegacyDb;
let counts: Record<string, number>;

beforeAll(async () => {
  const seeded = await seededLegacy(150, 11);
  counts = seeded.counts;
  served = await serveLegacy(seeded.dir);
  legacy = await openLegacy(served.url);
  ({ engine, admin } = await memoryEngine());
});
afterAll(async () => {
  await legacy?.close();
  await served?.stop();
  await engine?.close();
});

describe("import from a postgres:// URL", () => {
  let first: ImportSummary;

  it("maps or rejects every legacy row, and validates with zero discrepancies", async () => {
    expect(legacy.kind).toBe("postgres");
    const lines: string[] = [];
    first = await runImport({ legacy, admin, progress: recordingProgress(lines) });
    for (const table of IMPORT_TABLES) {
      const t = first.tables[table]!;
      const legacyTable = table === "profiles" ? "users" : table;
      expect(t.legacy, table).toBe(counts[legacyTable]);
      expect(t.rows, table).toBe(counts[legacyTable]);
      expect(t.created, table).toBeGreaterThan(0);
    }
    // The generator's dirt shows up as rejects and merges, not as lost rows.
    expect(first.tables.interests!.rejected + first.tables.meetings!.rejected).toBeGreaterThan(0);
    expect(first.tables.users!.merged + first.tables.interests!.merged).toBeGreaterThan(0);
    expect(first.deferred).toEqual({});
    // Dirty connections and messages land in the reject report, not lost.
    expect(first.tables.connections!.rejected + first.tables.messages!.rejected).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith("meetings ") && l.includes("created"))).toBe(true);
    // Imported meetings are handed to their projectors in one pass after the last table.
    expect(first.kick?.meetings).toBe(first.tables.meetings!.created);

    const report = await runValidate({
      legacy,
      admin,
      sampleFraction: 0.2,
      sampleSeed: "import-test",
    });
    expect(report.discrepancies).toEqual([]);
    expect(report.sampled).toBeGreaterThanOrEqual(Math.ceil(counts.users! * 0.2));
    expect(Object.keys(report.tables)).toEqual([...IMPORT_TABLES]);
    for (const [table, c] of Object.entries(report.tables)) {
      expect(c.legacy, table).toBe(counts[table === "profiles" ? "users" : table]);
      expect(c.convex + c.rejected, table).toBe(c.legacy);
    }
    expect(validationMarkdown(report)).toContain("No discrepancies.");
    expect(JSON.parse(validationJson(report))).toMatchObject({
      discrepancies: 0,
      sampled: report.sampled,
    });
  }, 300_000);

  it("re-imports with no change", async () => {
    const before = await fingerprint(admin);
    const second = await runImport({ legacy, admin, progress: recordingProgress() });
    expect(second.runId).not.toBe(first.runId);
    for (const table of IMPORT_TABLES) {
      const a = first.tables[table]!;
      const b = second.tables[table]!;
      expect({ created: b.created, merged: b.merged, linked: b.linked }).toEqual({
        created: 0,
        merged: 0,
        linked: 0,
      });
      expect(b.unchanged).toBe(a.created + a.merged + a.linked);
      expect(b.rejected).toBe(a.rejected);
    }
    expect(await fingerprint(admin)).toEqual(before);
    const report = await runValidate({ legacy, admin, sampleFraction: 0.05, sampleSeed: "again" });
    expect(report.discrepancies).toEqual([]);
  }, 120_000);

  it("gives imported meetings working projections and timeline replay", async () => {
    const [row] = await legacy.query<{
      id: string;
      user1_id: string;
      clerk_id: string;
      start_ms: string;
      duration_minutes: number;
    }>(
      `SELECT m.id, m.user1_id, u.clerk_id, floor(extract(epoch from m.scheduled_at) * 1000)::text AS start_ms, m.duration_minutes
         FROM meetings m JOIN users u ON u.id = m.user1_id
        WHERE m.status = 'completed' AND m.user2_id IS NOT NULL AND m.duration_minutes BETWEEN 15 AND 60
        ORDER BY m.id LIMIT 1`,
    );
    expect(row).toBeDefined();
    const [mapped] = (await engine.run("migrationStatus:lookup", {
      table: "meetings",
      legacyIds: [row!.id],
    })) as {
      mapping: { convexId: string } | null;
    }[];
    const meetingId = mapped!.mapping!.convexId;
    const host = {
      issuer: "legacy:clerk",
      subject: row!.clerk_id,
      tokenIdentifier: `legacy:clerk|${row!.clerk_id}`,
    };
    // An imported meeting has no room key until the room asks for one (`rooms.issue`, idempotent).
    const issued = (await engine.run("rooms:issue", { meetingId }, host)) as {
      ok: boolean;
      key?: string;
    };
    expect(issued.ok).toBe(true);
    const state = (await eventually(
      () => engine.run("meetingState:get", { meetingId, roomKey: issued.key }, host),
      (s) => (s as { status?: string } | null)?.status === "ended",
    )) as { status: string; presence: unknown[] };
    expect(state.status).toBe("ended");
    const mid = Number(row!.start_ms) + (row!.duration_minutes * 60_000) / 2;
    const at = (await engine.run("timeline:stateAt", { meetingId, t: mid }, host)) as {
      meeting: { status: string };
    };
    expect(at.meeting.status).toBe("active");
  });
});
