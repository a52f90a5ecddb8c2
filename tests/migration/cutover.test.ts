/**
 * Cutover, rollback, sign-in and dual write on the embedded engine, with
 * the legacy database served over the Postgres wire protocol:
 *
 * - a person whose account was imported signs in (verified email) and gets
 *   the imported row, with its meetings;
 * - with `dual_write_users` on, Convex user writes, concurrent ones too,
 *   reach the legacy `users` row through the scheduled action, in order,
 *   and the lag figure drains to zero;
 * - `use_convex_users` flips the read router to Convex and back (rollback),
 *   and both sides answer the same after dual write.
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
let spare: { id: string; email: string };

beforeAll(async () => {
  const seeded = await seededLegacy(40, 21);
  served = await serveLegacy(seeded.dir);
  legacy = await openLegacy(served.url);
  // The deployment's environment: where dual write finds the legacy database.
  process.env.LEGACY_DATABASE_URL = served.url;
  ({ engine, admin } = await memoryEngine());
  await runImport({
    legacy,
    admin,
    progress: recordingProgress(),
    tables: ["users", "interests", "meetings"],
  });
});
afterAll(async () => {
  delete process.env.LEGACY_DATABASE_URL;
  await legacy?.close();
  await served?.stop();
  await engine?.close();
});

const workos = (subject: string, email: string, name: string) => ({
  issuer: "https://api.workos.com/user_management/client_test",
  subject,
  tokenIdentifier: `https://api.workos.com/user_management/client_test|${subject}`,
  email,
  emailVerified: true,
  name,
});

/** Change a flag as an operator would (flag changes are audited: who and why). */
async function setFlag(key: string, percent: number, reason: string) {
  await admin.mutation(internal.featureFlags.set, {
    key,
    enabled: percent > 0,
    rolloutPercent: percent,
    operator: "migration",
    reason: `cutover test: ${reason}`,
  });
}

async function legacyUser(id: string) {
  const [row] = await legacy.query<{ name: string | null; email: string }>(
    `SELECT name, email FROM users WHERE id = $1`,
    [id],
  );
  return row;
}

it("claims imported accounts at sign-in, dual-writes user changes in order, and flips reads with the flag", async () => {
  // Imported people with distinct, valid emails and at least one meeting (the fourth: next test).
  const found = await legacy.query<{ id: string; email: string }>(
    `SELECT u.id, lower(trim(u.email)) AS email FROM users u
      WHERE lower(trim(u.email)) ~ '^[^ @]+@[^ @]+\\.[^ @]+$'
        AND (SELECT count(*) FROM users v WHERE lower(trim(v.email)) = lower(trim(u.email))) = 1
        AND EXISTS (SELECT 1 FROM meetings m WHERE m.user1_id = u.id)
      ORDER BY u.id LIMIT 4`,
  );
  expect(found).toHaveLength(4);
  spare = found[3]!;
  const people = found.slice(0, 3);

  // Sign-in by verified email claims the imported row (same Convex id, meetings included).
  const [first] = people;
  const mapped = (await engine.run("migrationStatus:lookup", {
    table: "users",
    legacyIds: [first!.id],
  })) as {
    mapping: { convexId: string };
  }[];
  const me = (await engine.run(
    "users:ensure",
    {},
    workos("wos_0", first!.email, "First Person"),
  )) as { _id: string };
  expect(me._id).toBe(mapped[0]!.mapping.convexId);
  const mine = (await engine.run(
    "meetings:listMine",
    {},
    workos("wos_0", first!.email, "First Person"),
  )) as {
    past: unknown[];
    upcoming: unknown[];
  };
  expect(mine.past.length + mine.upcoming.length).toBeGreaterThan(0);
  // An unverified email claims nothing: a new row.
  const stranger = (await engine.run(
    "users:ensure",
    {},
    { ...workos("wos_x", people[1]!.email, "X"), emailVerified: false },
  )) as {
    _id: string;
  };
  expect(stranger._id).not.toBe(
    (
      (await engine.run("migrationStatus:lookup", {
        table: "users",
        legacyIds: [people[1]!.id],
      })) as { mapping: { convexId: string } }[]
    )[0]!.mapping.convexId,
  );

  // Dual write on: concurrent changes of three people, several each, reach legacy in order.
  await setFlag("dual_write_users", 100, "dual write on for three people");
  const writes = people.flatMap((p, i) =>
    [1, 2, 3].map(
      (k) => () => engine.run("users:ensure", {}, workos(`wos_${i}`, p.email, `Person ${i} v${k}`)),
    ),
  );
  // Each person's versions are sent in order; different people interleave.
  await Promise.all(
    people.map(async (_, i) => {
      for (const w of writes.slice(i * 3, i * 3 + 3)) await w();
    }),
  );
  await eventually(
    () => admin.query(internal.migrationDualWrite.lag, {}),
    (l) => l.pending === 0 && l.state === "idle",
  );
  for (const [i, p] of people.entries()) {
    expect(await legacyUser(p.id)).toEqual({ name: `Person ${i} v3`, email: p.email });
  }
  const lag = await admin.query(internal.migrationDualWrite.lag, {});
  expect(lag.lastAppliedAt).not.toBeNull();
  expect(lag.failures).toBe(0);

  // Read cutover: flag on → Convex, off → legacy (rollback); the same answer after dual write.
  const router = createReadRouter({ legacy, convex: admin, flagTtlMs: 0 });
  const target = people[2]!.id;
  expect((await router.user(target)).source).toBe("legacy");
  await setFlag("use_convex_users", 100, "read users from Convex");
  const fromConvex = await router.user(target);
  expect(fromConvex.source).toBe("convex");
  expect(fromConvex.value?.name).toBe("Person 2 v3");
  await setFlag("use_convex_users", 0, "roll users back to legacy");
  const back = await router.user(target);
  expect(back.source).toBe("legacy");
  expect(back.value).toMatchObject({
    id: target,
    name: "Person 2 v3",
    email: people[2]!.email,
    clerkId: fromConvex.value?.clerkId,
  });
  // Meetings flip on their own flag.
  const [m] = await legacy.query<{ id: string }>(
    `SELECT id FROM meetings WHERE user1_id = $1 LIMIT 1`,
    [target],
  );
  if (m) {
    expect((await router.meeting(m.id)).source).toBe("legacy");
    await setFlag("use_convex_meetings", 100, "read meetings from Convex");
    const viaConvex = await router.meeting(m.id);
    expect(viaConvex.source).toBe("convex");
    expect(viaConvex.value?.user1Id).toBe(target);
  }
}, 240_000);

it("keeps changes queued while the legacy database is unreachable, with the error in the lag figure", async () => {
  process.env.LEGACY_DATABASE_URL = "postgres://postgres@127.0.0.1:9/nowhere";
  const p = spare;
  await engine.run("users:ensure", {}, workos("wos_down", p!.email, "While Down"));
  const failing = await eventually(
    () => admin.query(internal.migrationDualWrite.lag, {}),
    (l) => l.failures > 0,
  );
  expect(failing.pending).toBeGreaterThan(0);
  expect(failing.lastError).toBeTruthy();
  process.env.LEGACY_DATABASE_URL = served.url;
  // The backoff reschedules the drain; once the database is back the change lands.
  await eventually(
    () => admin.query(internal.migrationDualWrite.lag, {}),
    (l) => l.pending === 0,
    60_000,
  );
  expect((await legacyUser(p!.id))?.name).toBe("While Down");
}, 120_000);
