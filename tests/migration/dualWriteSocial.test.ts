/**
 * Dual write and read cutover of profiles, connections and messages, on the
 * embedded engine with the legacy database served over the Postgres wire
 * protocol: with the three `dual_write_*` flags on, two imported people
 * connect, write to each other concurrently and edit their interests; the
 * scheduled action brings the legacy rows level (one connection row,
 * every message, the interest set) and the lag drains to zero. The
 * `use_convex_connections` / `use_convex_messages` flags flip the read
 * router to Convex and back (rollback), and both sides answer the same.
 * Removing the connection deletes its legacy row.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { internal } from "../../convex/_generated/api";
import type { Engine } from "../../engine/engine";
import { type LegacyDb, openLegacy } from "../../legacy/open";
import { type ServedLegacy, serveLegacy } from "../../legacy/serve";
import type { AdminClient } from "../../migration/admin";
import { runImport } from "../../migration/importer";
import { createReadRouter } from "../../migration/readRouter";
import { eventually, memoryEngine, recordingProgress, seededLegacy } from "./helpers";

let engine: Engine;
let admin: AdminClient;
let served: ServedLegacy;
let legacy: LegacyDb;

beforeAll(async () => {
  const seeded = await seededLegacy(30, 33);
  served = await serveLegacy(seeded.dir);
  legacy = await openLegacy(served.url);
  process.env.LEGACY_DATABASE_URL = served.url;
  ({ engine, admin } = await memoryEngine());
  await runImport({ legacy, admin, progress: recordingProgress() });
});
afterAll(async () => {
  delete process.env.LEGACY_DATABASE_URL;
  await legacy?.close();
  await served?.stop();
  await engine?.close();
});

async function setFlag(key: string, percent: number) {
  await admin.mutation(internal.featureFlags.set, {
    key,
    enabled: percent > 0,
    rolloutPercent: percent,
    operator: "migration",
    reason: `dual write test: ${key} ${percent}`,
  });
}

/** The imported person's own identity before they sign in with WorkOS (the placeholder). */
const asLegacy = (clerkId: string) => ({
  issuer: "legacy:clerk",
  subject: clerkId,
  tokenIdentifier: `legacy:clerk|${clerkId}`,
});

const drained = () =>
  eventually(
    () => admin.query(internal.migrationDualWrite.lag, {}),
    (l) => l.pending === 0 && l.state === "idle",
    60_000,
  );

it("dual-writes connections, messages and interests under concurrent writes, and flips reads both ways", async () => {
  // Two imported people (no duplicate accounts) who are not connected in the legacy database.
  const single = `trim(u.clerk_id) <> ''
        AND NOT EXISTS (SELECT 1 FROM users v WHERE lower(trim(v.email)) = lower(trim(u.email)) AND v.id <> u.id)`;
  const [a] = await legacy.query<{ id: string; clerk_id: string }>(
    `SELECT u.id, u.clerk_id FROM users u WHERE ${single} ORDER BY u.id LIMIT 1`,
  );
  const [b] = await legacy.query<{ id: string; clerk_id: string }>(
    `SELECT u.id, u.clerk_id FROM users u WHERE ${single} AND u.id <> $1
        AND NOT EXISTS (SELECT 1 FROM connections c WHERE (c.user1_id = u.id AND c.user2_id = $1)
                                                       OR (c.user2_id = u.id AND c.user1_id = $1))
      ORDER BY u.id LIMIT 1`,
    [a!.id],
  );
  expect(b).toBeDefined();
  const [ma, mb] = (await engine.run("migrationStatus:lookup", {
    table: "users",
    legacyIds: [a!.id, b!.id],
  })) as { mapping: { convexId: string } }[];
  const A = asLegacy(a!.clerk_id);
  const B = asLegacy(b!.clerk_id);
  for (const key of ["dual_write_profiles", "dual_write_connections", "dual_write_messages"])
    await setFlag(key, 100);

  const asked = (await engine.run("connections:request", { userId: mb!.mapping.convexId }, A)) as {
    ok: boolean;
    connectionId: string;
  };
  expect(asked.ok).toBe(true);
  await engine.run("connections:respond", { connectionId: asked.connectionId, accept: true }, B);
  // Concurrent: both write five messages each while A edits their interests twice.
  await Promise.all([
    (async () => {
      for (let k = 1; k <= 5; k++)
        await engine.run("directMessages:send", { to: mb!.mapping.convexId, text: `a${k}` }, A);
    })(),
    (async () => {
      for (let k = 1; k <= 5; k++)
        await engine.run("directMessages:send", { to: ma!.mapping.convexId, text: `b${k}` }, B);
    })(),
    (async () => {
      await engine.run("profiles:update", { interests: ["Rust", "Chess"] }, A);
      await engine.run("profiles:update", { interests: ["Chess", "Go", "Hiking"] }, A);
    })(),
  ]);
  const lag = await drained();
  expect(lag.failures).toBe(0);

  // Legacy side: one accepted connection of the pair (user1 = who asked), every message, the interest set.
  const conns = await legacy.query<{ id: string; user1_id: string; status: string }>(
    `SELECT id, user1_id, status FROM connections
      WHERE (user1_id = $1 AND user2_id = $2) OR (user1_id = $2 AND user2_id = $1)`,
    [a!.id, b!.id],
  );
  expect(conns).toEqual([{ id: conns[0]!.id, user1_id: a!.id, status: "accepted" }]);
  const legacyConnection = conns[0]!.id;
  const msgs = await legacy.query<{ sender_id: string; content: string }>(
    `SELECT sender_id, content FROM messages WHERE connection_id = $1 ORDER BY created_at, content`,
    [legacyConnection],
  );
  expect(msgs.map((m) => m.content).sort()).toEqual(
    ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "b5"].sort(),
  );
  for (const m of msgs) expect(m.sender_id).toBe(m.content.startsWith("a") ? a!.id : b!.id);
  const interests = await legacy.query<{ name: string }>(
    `SELECT name FROM interests WHERE user_id = $1`,
    [a!.id],
  );
  const convexInterests = (await engine.run("migrationCutover:readInterests", {
    legacyUserId: a!.id,
  })) as { name: string }[];
  expect(interests.map((i) => i.name.toLowerCase()).sort()).toEqual(
    convexInterests.map((i) => i.name.toLowerCase()).sort(),
  );
  expect(convexInterests.map((i) => i.name.toLowerCase()).sort()).toEqual([
    "chess",
    "go",
    "hiking",
  ]);

  // Read cutover per table: on → Convex, off → legacy (rollback); the same answer either way.
  const router = createReadRouter({ legacy, convex: admin, flagTtlMs: 0 });
  const fromLegacy = await router.connection(legacyConnection);
  expect(fromLegacy.source).toBe("legacy");
  await setFlag("use_convex_connections", 100);
  const fromConvex = await router.connection(legacyConnection);
  expect(fromConvex.source).toBe("convex");
  expect(fromConvex.value).toEqual({ ...fromLegacy.value, createdAt: fromConvex.value!.createdAt });
  expect(Math.abs(fromConvex.value!.createdAt - fromLegacy.value!.createdAt)).toBeLessThan(1);
  await setFlag("use_convex_connections", 0);
  expect((await router.connection(legacyConnection)).source).toBe("legacy");

  const legacyMessages = await router.messages(legacyConnection);
  await setFlag("use_convex_messages", 100);
  const convexMessages = await router.messages(legacyConnection);
  expect(convexMessages.source).toBe("convex");
  const view = (xs: { id: string | null; senderId: string | null; content: string }[]) =>
    xs.map((m) => `${m.id}|${m.senderId}|${m.content}`).sort();
  expect(view(convexMessages.value)).toEqual(view(legacyMessages.value));
  await setFlag("use_convex_messages", 0);
  expect((await router.messages(legacyConnection)).source).toBe("legacy");

  // Removing the connection deletes its legacy row.
  await engine.run("connections:remove", { userId: mb!.mapping.convexId }, A);
  await drained();
  const gone = await legacy.query(`SELECT id FROM connections WHERE id = $1`, [legacyConnection]);
  expect(gone).toEqual([]);
}, 240_000);
