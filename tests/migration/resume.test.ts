/**
 * Crashes mid-table resume without duplicates: the importer is killed (its
 * admin transport throws) once before a batch reaches Convex (interests) and
 * once right after a batch committed but before the importer saw the answer
 * (meetings, and again mid-messages). Each rerun resumes the same run from its checkpoints; the
 * replayed batch comes back `stale` and is skipped. In the end every legacy
 * row is mapped exactly once (one Convex meeting per imported legacy
 * meeting, events per meeting as decided) and validation finds nothing.
 * Reads the legacy database from its PGlite directory (the embedded default).
 */
import { getFunctionName } from "convex/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { type LegacyDb, openLegacy } from "../../legacy/open";
import type { AdminClient } from "../../migration/admin";
import { runImport } from "../../migration/importer";
import { runValidate } from "../../migration/validate";
import { fingerprint, memoryEngine, recordingProgress, seededLegacy } from "./helpers";

let engine: Engine;
let admin: AdminClient;
let legacy: LegacyDb;

beforeAll(async () => {
  const seeded = await seededLegacy(120, 5);
  legacy = await openLegacy(seeded.dir);
  ({ engine, admin } = await memoryEngine());
});
afterAll(async () => {
  await legacy?.close();
  await engine?.close();
});

/** An admin client that dies on the `nth` call of `fn`, before or after the call reached Convex. */
function crashing(fn: string, nth: number, when: "before" | "after"): AdminClient {
  let calls = 0;
  return {
    label: "crashing",
    query: admin.query,
    mutation: async (f, args) => {
      if (getFunctionName(f) === fn && ++calls === nth) {
        if (when === "after") await admin.mutation(f, args);
        throw new Error(`injected crash ${when} ${fn} #${nth}`);
      }
      return await admin.mutation(f, args);
    },
  };
}

it("resumes after crashes mid-table without duplicates", async () => {
  const small = { users: 40, interests: 50, meetings: 20, connections: 50, messages: 100 };
  await expect(
    runImport({
      legacy,
      admin: crashing("migrationImport:interests", 3, "before"),
      progress: recordingProgress(),
      batchSize: small,
    }),
  ).rejects.toThrow(/injected crash before/);
  const mid = (await engine.run("migrationStatus:run", {})) as {
    runId: string;
    status: string;
    checkpoints: { table: string; rows: number; done: boolean }[];
  };
  expect(mid.status).toBe("running");
  expect(mid.checkpoints.find((c) => c.table === "users")!.done).toBe(true);
  expect(mid.checkpoints.find((c) => c.table === "interests")!.rows).toBe(2 * small.interests);

  const second = runImport({
    legacy,
    admin: crashing("migrationImport:meetings", 2, "after"),
    progress: recordingProgress(),
    batchSize: small,
  });
  await expect(second).rejects.toThrow(/injected crash after/);

  await expect(
    runImport({
      legacy,
      admin: crashing("migrationImportSocial:messages", 3, "after"),
      progress: recordingProgress(),
      batchSize: small,
    }),
  ).rejects.toThrow(/injected crash after/);

  const third = await runImport({ legacy, admin, progress: recordingProgress(), batchSize: small });
  expect(third.resumed).toBe(true);
  expect(third.runId).toBe(mid.runId);
  // The batch committed before the crash was not applied twice.
  const meetingsCp = (
    (await engine.run("migrationStatus:run", { runId: third.runId })) as {
      checkpoints: { table: string; rows: number; created: number; rejected: number }[];
    }
  ).checkpoints.find((c) => c.table === "meetings")!;
  const legacyMeetings = third.tables.meetings!.legacy;
  expect(meetingsCp.rows).toBe(legacyMeetings);
  expect(meetingsCp.created + meetingsCp.rejected).toBe(legacyMeetings);

  const messagesCp = (
    (await engine.run("migrationStatus:run", { runId: third.runId })) as {
      checkpoints: { table: string; rows: number; created: number; rejected: number }[];
    }
  ).checkpoints.find((c) => c.table === "messages")!;
  expect(messagesCp.rows).toBe(third.tables.messages!.legacy);
  expect(messagesCp.created + messagesCp.rejected).toBe(third.tables.messages!.legacy);

  const fp = await fingerprint(admin);
  expect(fp.meetings!.rows).toBe(meetingsCp.created);
  // One Convex message per imported legacy message: the batch committed before the crash was not replayed.
  expect(fp.directMessages!.rows).toBe(messagesCp.created);
  const report = await runValidate({ legacy, admin, sampleFraction: 0.25, sampleSeed: "resume" });
  expect(report.discrepancies).toEqual([]);
}, 300_000);
