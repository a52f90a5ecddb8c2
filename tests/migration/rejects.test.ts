/**
 * Dirty rows land in the reject report with their reason, and nothing else
 * is lost: a hand-written legacy database with one row per kind of dirt the
 * importer knows is imported; `rejects.ndjson` names exactly the rows that
 * cannot be mapped, with the reason, `repairs.ndjson` and `merges.ndjson`
 * the rows imported with a change, and every other row is in Convex
 * (validation: zero discrepancies over a 100% sample). Also checks that the
 * DDL creates exactly the columns of the Drizzle schema.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import type { LegacyDataset } from "../../legacy/generate";
import { type LegacyDb, openLegacy } from "../../legacy/open";
import { legacySchema } from "../../legacy/schema";
import { writeLegacyData } from "../../legacy/seed";
import type { AdminClient } from "../../migration/admin";
import { runImport } from "../../migration/importer";
import { writeImportReport } from "../../migration/report";
import { runValidate } from "../../migration/validate";
import { memoryEngine, recordingProgress, tempDir } from "./helpers";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const GHOST = id(999);
const U = {
  ada: id(1),
  adaAgain: id(2),
  grace: id(3),
  zoe: id(4),
  noAt: id(5),
  blankClerk: id(6),
  skew: id(7),
};
const user = (
  uid: string,
  clerk: string,
  email: string,
  name: string | null,
  created: string,
  updated: string | null = null,
) => ({
  id: uid,
  clerk_id: clerk,
  email,
  name,
  organization_id: null,
  created_at: created,
  updated_at: updated,
});
const interest = (n: number, userId: string, name: string) => ({
  id: id(100 + n),
  user_id: userId,
  name,
  category: "Tech",
  created_at: "2023-01-01 10:00:00+02:00",
});
const meeting = (
  n: number,
  u1: string,
  u2: string | null,
  over: Partial<LegacyDataset["meetings"][number]> = {},
) => ({
  id: id(500 + n),
  user1_id: u1,
  user2_id: u2,
  title: "Coffee chat",
  scheduled_at: "2024-03-10 09:30:00-08:00",
  duration_minutes: 30,
  status: "completed",
  created_at: "2024-03-01 12:00:00+05:30",
  updated_at: null,
  ...over,
});

const connection = (n: number, u1: string, u2: string, status = "accepted") => ({
  id: id(700 + n),
  user1_id: u1,
  user2_id: u2,
  status,
  created_at: `2023-0${n}-01 08:00:00+01:00`,
  updated_at: status === "pending" ? null : `2023-0${n}-02 08:00:00-05:00`,
});
const message = (n: number, conn: string, sender: string, content: string) => ({
  id: id(800 + n),
  connection_id: conn,
  sender_id: sender,
  content,
  created_at: `2024-01-0${n} 10:00:00+09:00`,
  read_at: n % 2 === 0 ? `2024-01-0${n} 12:00:00+09:00` : null,
});

const data: LegacyDataset = {
  organizations: [
    {
      id: id(601),
      clerk_org_id: "org_acme",
      name: " Acme  Ltd ",
      created_at: "2021-06-01 00:00:00",
    },
    { id: id(602), clerk_org_id: "org_blank", name: "  ", created_at: "2021-07-01 00:00:00" },
  ],
  users: [
    user(U.ada, "user_ada", "Ada@Example.com", "Ada Lovelace", "2022-01-01 00:00:00"),
    user(U.adaAgain, "user_ada2", "ADA@example.COM", "A. Lovelace", "2023-01-01 00:00:00"),
    user(U.grace, "user_grace", "grace@navy.mil", null, "2022-02-01 00:00:00"),
    user(U.zoe, "user_zoe", "zoe@example.de", "Zoë Müller".normalize("NFD"), "2022-03-01 00:00:00"),
    user(U.noAt, "user_noat", "no-at-sign.example.com", "Nora At", "2022-04-01 00:00:00"),
    user(U.blankClerk, "   ", "blank@example.com", "Blank Clerk", "2022-05-01 00:00:00"),
    user(
      U.skew,
      "user_skew",
      "skew@example.com",
      "Skew",
      "2022-06-01 00:00:00",
      "2022-05-01 00:00:00",
    ),
  ],
  interests: [
    interest(1, U.ada, "Rust"),
    interest(2, U.ada, "Rust 🦀"),
    interest(3, U.ada, "機械学習"),
    interest(4, GHOST, "Go"),
    interest(5, U.blankClerk, "Go"),
    interest(6, U.ada, "   "),
    interest(7, U.adaAgain, "Go"),
    ...Array.from({ length: 31 }, (_, k) => interest(10 + k, U.skew, `Topic ${k + 1}`)),
  ],
  meetings: [
    meeting(1, U.ada, U.grace),
    meeting(2, U.ada, GHOST),
    meeting(3, U.ada, U.grace, { status: "no_show" }),
    meeting(4, U.ada, U.grace, { scheduled_at: "infinity" }),
    meeting(5, U.ada, U.adaAgain),
    meeting(6, U.ada, U.grace, { duration_minutes: 10_000 }),
    meeting(7, U.blankClerk, U.ada),
    meeting(8, U.grace, null, { title: null, duration_minutes: null, status: " CANCELED " }),
  ],
  connections: [
    connection(1, U.ada, U.grace),
    connection(2, U.grace, U.ada, "pending"),
    connection(3, U.ada, GHOST),
    connection(4, U.ada, U.adaAgain),
    connection(5, U.zoe, U.zoe),
    connection(6, U.zoe, U.noAt, "blocked"),
    connection(7, U.zoe, U.skew, " Pending"),
    connection(8, U.blankClerk, U.zoe),
  ],
  messages: [
    message(1, id(701), U.ada, "Hello\nthere"),
    message(2, id(701), U.grace, "  "),
    message(3, GHOST, U.ada, "to nobody"),
    message(4, id(706), U.zoe, "blocked?"),
    message(5, id(701), U.zoe, "let me in"),
    message(6, id(707), U.zoe, "are we connected?"),
    message(7, id(702), U.adaAgain, "from my other account"),
    message(8, id(701), GHOST, "who am I"),
    message(9, id(701), U.grace, "x".repeat(2_100)),
  ],
};
data.users[0]!.organization_id = id(601);
data.users[2]!.organization_id = GHOST;
data.users[3]!.organization_id = id(602);

let engine: Engine;
let admin: AdminClient;
let legacy: LegacyDb;

beforeAll(async () => {
  legacy = await openLegacy(join(tempDir("legacy-dirty-"), "pg"), { create: true });
  await writeLegacyData(legacy, data);
  ({ engine, admin } = await memoryEngine());
});
afterAll(async () => {
  await legacy?.close();
  await engine?.close();
});

const readLines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map(
      (l) => JSON.parse(l) as { table: string; legacyId: string; reason: string; detail: string },
    );

it("the DDL creates exactly the Drizzle schema's columns", async () => {
  for (const table of Object.values(legacySchema) as PgTable[]) {
    const config = getTableConfig(table);
    const rows = await legacy.query<{
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name",
      [config.name],
    );
    const fromDb = rows.map((r) => [
      r.column_name,
      r.data_type.replace(" without time zone", ""),
      r.is_nullable === "NO",
    ]);
    const fromDrizzle = config.columns
      .map((c) => [c.name, c.getSQLType(), c.notNull])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(fromDb, config.name).toEqual(fromDrizzle);
  }
});

it("writes every unmappable row to the reject report with its reason, and loses nothing else", async () => {
  const summary = await runImport({ legacy, admin, progress: recordingProgress() });
  const folder = await writeImportReport(admin, summary, tempDir("report-"));
  const rejects = readLines(join(folder, "rejects.ndjson"))
    .map((r) => `${r.table}:${r.legacyId}:${r.reason}`)
    .sort();
  expect(rejects).toEqual(
    [
      `users:${U.blankClerk}:MISSING_CLERK_ID`,
      `interests:${id(103)}:INTEREST_KEY_EMPTY`,
      `interests:${id(104)}:ORPHAN_USER`,
      `interests:${id(105)}:USER_REJECTED`,
      `interests:${id(106)}:EMPTY_INTEREST`,
      `interests:${id(140)}:TOO_MANY_INTERESTS`,
      `profiles:${U.blankClerk}:USER_REJECTED`,
      `meetings:${id(502)}:ORPHAN_USER`,
      `meetings:${id(503)}:UNKNOWN_STATUS`,
      `meetings:${id(504)}:INVALID_TIME`,
      `meetings:${id(506)}:INVALID_DURATION`,
      `meetings:${id(507)}:USER_REJECTED`,
      `connections:${id(703)}:ORPHAN_USER`,
      `connections:${id(704)}:SELF_CONNECTION`,
      `connections:${id(705)}:SELF_CONNECTION`,
      `connections:${id(706)}:UNKNOWN_STATUS`,
      `connections:${id(708)}:USER_REJECTED`,
      `messages:${id(802)}:EMPTY_MESSAGE`,
      `messages:${id(803)}:ORPHAN_CONNECTION`,
      `messages:${id(804)}:CONNECTION_REJECTED`,
      `messages:${id(805)}:SENDER_NOT_IN_CONNECTION`,
      `messages:${id(808)}:ORPHAN_USER`,
    ].sort(),
  );
  const repairs = readLines(join(folder, "repairs.ndjson"))
    .map((r) => `${r.legacyId}:${r.reason}`)
    .sort();
  expect(repairs).toEqual(
    [
      `${U.grace}:NAME_FROM_EMAIL`,
      `${U.noAt}:EMAIL_INVALID`,
      `${U.skew}:CLOCK_SKEW`,
      `${id(505)}:SAME_PERSON`,
      `${id(508)}:DURATION_DEFAULTED`,
      `${id(508)}:TITLE_DEFAULTED`,
      `${id(602)}:ORG_NAME_MISSING`,
      `${U.grace}:ORPHAN_ORG`,
      `${id(806)}:CONNECTION_NOT_ACCEPTED`,
      `${id(809)}:CONTENT_TRUNCATED`,
    ].sort(),
  );
  const merges = readLines(join(folder, "merges.ndjson"))
    .map((r) => `${r.legacyId}:${r.reason}`)
    .sort();
  expect(merges).toEqual(
    [
      `${U.adaAgain}:DUPLICATE_EMAIL`,
      `${id(102)}:DUPLICATE_INTEREST`,
      `${id(702)}:DUPLICATE_CONNECTION`,
    ].sort(),
  );
  const md = readFileSync(join(folder, "report.md"), "utf8");
  expect(md).toContain("`MISSING_CLERK_ID` × 1");

  // Everything not rejected is in Convex, as the mappers say (100% sample).
  const report = await runValidate({ legacy, admin, sampleFraction: 1, sampleSeed: "all" });
  expect(report.discrepancies).toEqual([]);
  expect(report.tables.users).toEqual({ legacy: 7, convex: 6, rejected: 1 });
  const zoe = (await engine.run("migrationCutover:readUser", { legacyId: U.zoe })) as {
    name: string;
  };
  expect(zoe.name).toBe("Zoë Müller".normalize("NFC"));
  const merged = (await engine.run("migrationCutover:readInterests", {
    legacyUserId: U.adaAgain,
  })) as { name: string }[];
  expect(merged.map((i) => i.name).sort()).toEqual(["Go", "Rust"]);
  const cancelled = (await engine.run("migrationCutover:readMeeting", { legacyId: id(508) })) as {
    status: string;
    title: string;
  };
  expect(cancelled).toMatchObject({ status: "cancelled", title: "Connvo meeting" });

  // The pair Ada–Grace is one accepted connection with one thread holding both
  // legacy connections' messages (the duplicate's and the merged account's).
  const [msg1, msg7] = (await engine.run("migrationStatus:lookup", {
    table: "messages",
    legacyIds: [id(801), id(807)],
  })) as { row: { text: string; lo: string; hi: string; from: string } }[];
  expect(msg1!.row.text).toBe("Hello\nthere");
  expect([msg7!.row.lo, msg7!.row.hi]).toEqual([msg1!.row.lo, msg1!.row.hi]);
  const [conn] = (await engine.run("migrationStatus:lookup", {
    table: "connections",
    legacyIds: [id(701)],
  })) as { row: { status: string; merged: boolean } }[];
  expect(conn!.row).toMatchObject({ status: "accepted", merged: true });
  // Orgs: imported on the free plan; Ada is a member of hers.
  const [acme] = (await engine.run("migrationStatus:lookup", {
    table: "organizations",
    legacyIds: [id(601)],
  })) as { mapping: { convexId: string }; row: { name: string; plan: string } }[];
  expect(acme!.row).toMatchObject({ name: "Acme Ltd", plan: "free" });
  const [adaProfile] = (await engine.run("migrationStatus:lookup", {
    table: "profiles",
    legacyIds: [U.ada],
  })) as { row: { displayName: string; orgs: string[]; embeddingScheduled: boolean } }[];
  expect(adaProfile!.row).toMatchObject({
    displayName: "Ada Lovelace",
    orgs: [acme!.mapping.convexId],
    embeddingScheduled: true,
  });
}, 180_000);
