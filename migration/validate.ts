/**
 * `npm run migrate -- --validate`: after an import, compare the legacy
 * database with Convex.
 *
 * 1. Counts per table: every legacy row is either mapped (`legacyIdMap`:
 *    created, merged, linked or written by dual write) or rejected by the
 *    last finished run — `legacy = convex + rejected`, else a discrepancy.
 * 2. A random sample (1% of each table, at least one row; reproducible
 *    with `--sample-seed`) compared field by field: the legacy row is cleaned
 *    again with the importer's own mapper and must equal the Convex side
 *    (users: email, name, times, Clerk id; interests: person and catalogue
 *    key; meetings: title, times, status, host, guest, and a replay of the
 *    meeting's events that must fold to its rows). A sampled row that was
 *    rejected must carry a reject that still holds (an orphan's user must
 *    really be missing). Claimed users (signed in since) keep the identity
 *    of their token, so their name and email are not compared.
 */
import { internal } from "../convex/_generated/api";
import type { LegacyDb } from "../legacy/open";
import type { LegacyTableName } from "../legacy/schema";
import { canonicalKey } from "../projections/matching/catalogue";
import type { AdminClient } from "./admin";
import { DEFERRED_TABLES, IMPORT_TABLES } from "./importer";
import { mapInterest } from "./mapInterests";
import { mapMeeting } from "./mapMeetings";
import { mapConnection, mapMessage, mapOrg, mapProfile } from "./mapSocial";
import { mapUser } from "./mapUsers";
import { type ImportTable, type LegacySource, legacySource, legacyTableOf } from "./source";
import { compareSocial } from "./validateSocial";

/** One difference found. */
export type Discrepancy = {
  table: string;
  legacyId?: string;
  field: string;
  legacy: unknown;
  convex: unknown;
};

/** The validation report (the last line printed is its JSON summary). */
export type ValidationReport = {
  runId: string | null;
  tables: Record<string, { legacy: number; convex: number; rejected: number }>;
  deferred: Partial<Record<LegacyTableName, { legacy: number; waitsOn: string }>>;
  sampled: number;
  sampleSeed: string;
  discrepancies: Discrepancy[];
};

/** Why: lookups go to Convex in calls of this many ids (`migrationStatus.MAX_LOOKUP`). */
const LOOKUP_CHUNK = 100;

async function countMapped(admin: AdminClient, table: string): Promise<number> {
  let cursor: string | null = null;
  let n = 0;
  for (;;) {
    const page: {
      created: number;
      merged: number;
      linked: number;
      dualWrite: number;
      continueCursor: string;
      isDone: boolean;
    } = await admin.query(internal.migrationStatus.mappedPage, { table, cursor });
    n += page.created + page.merged + page.linked + page.dualWrite;
    if (page.isDone) return n;
    cursor = page.continueCursor;
  }
}

async function countRejects(admin: AdminClient, runId: string, table: string): Promise<number> {
  let cursor: string | null = null;
  let n = 0;
  for (;;) {
    const page: { page: unknown[]; continueCursor: string; isDone: boolean } = await admin.query(
      internal.migrationStatus.issues,
      { runId, table, kind: "reject", cursor },
    );
    n += page.page.length;
    if (page.isDone) return n;
    cursor = page.continueCursor;
  }
}

type Lookup = {
  legacyId: string;
  mapping: { convexId: string; outcome: string; runId: string } | null;
  issues: { runId: string; kind: string; reason: string }[];
  row: Record<string, unknown> | null;
};

async function lookup(
  admin: AdminClient,
  table: ImportTable,
  ids: string[],
): Promise<Map<string, Lookup>> {
  const out = new Map<string, Lookup>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const res = await admin.query(internal.migrationStatus.lookup, {
      table,
      legacyIds: ids.slice(i, i + LOOKUP_CHUNK),
    });
    for (const r of res) out.set(r.legacyId, r as Lookup);
  }
  return out;
}

/** Options of {@link runValidate}. */
export type ValidateOptions = {
  legacy: LegacyDb;
  admin: AdminClient;
  /** Share of each table to compare field by field (default 0.01). */
  sampleFraction?: number;
  /** Seed of the sample's order (default: a fresh one, printed). */
  sampleSeed?: string;
};

/** Validate; the report lists every discrepancy (none = the migration holds). */
export async function runValidate(o: ValidateOptions): Promise<ValidationReport> {
  const source = legacySource(o.legacy);
  const run = await o.admin.query(internal.migrationStatus.run, {});
  const sampleSeed = o.sampleSeed ?? Math.random().toString(36).slice(2, 10);
  const report: ValidationReport = {
    runId: run?.runId ?? null,
    tables: {},
    deferred: {},
    sampled: 0,
    sampleSeed,
    discrepancies: [],
  };
  const differ = (
    table: string,
    legacyId: string | undefined,
    field: string,
    legacy: unknown,
    convex: unknown,
  ) =>
    report.discrepancies.push({ table, ...(legacyId ? { legacyId } : {}), field, legacy, convex });
  if (run && run.status !== "done")
    differ("*", undefined, "run", "finished", `run ${run.runId} is still ${run.status}`);

  for (const table of IMPORT_TABLES) {
    const legacy = await source.countRows(legacyTableOf(table));
    const convex = await countMapped(o.admin, table);
    const rejected = run ? await countRejects(o.admin, run.runId, table) : 0;
    report.tables[table] = { legacy, convex, rejected };
    if (legacy !== convex + rejected)
      differ(table, undefined, "count", legacy, `${convex} mapped + ${rejected} rejected`);

    const n = legacy === 0 ? 0 : Math.max(1, Math.ceil(legacy * (o.sampleFraction ?? 0.01)));
    const ids = await source.sampleIds(table, n, sampleSeed);
    report.sampled += ids.length;
    const convexSide = await lookup(o.admin, table, ids);
    const rows = await source.byIds(table, ids);
    await compareSample(table, rows, convexSide, run?.runId ?? null, source, o.admin, differ);
  }
  for (const [table, waitsOn] of Object.entries(DEFERRED_TABLES) as [LegacyTableName, string][]) {
    report.deferred[table] = { legacy: await source.countRows(table), waitsOn };
  }
  return report;
}

/** The importer's own mapper of each table (the sample is cleaned again with it). */
const MAPPERS = {
  users: (r: never) => mapUser(r),
  organizations: mapOrg,
  interests: mapInterest,
  profiles: mapProfile,
  meetings: mapMeeting,
  connections: mapConnection,
  messages: mapMessage,
} as const;

type Differ = (
  table: string,
  legacyId: string | undefined,
  field: string,
  legacy: unknown,
  convex: unknown,
) => void;

async function compareSample(
  table: ImportTable,
  rows: unknown[],
  convexSide: Map<string, Lookup>,
  runId: string | null,
  source: LegacySource,
  admin: AdminClient,
  differ: Differ,
): Promise<void> {
  // People the sampled rows refer to, resolved through the mapping.
  const refs = new Set<string>();
  const orgRefs = new Set<string>();
  const connectionRefs = new Set<string>();
  for (const r of rows as Record<string, unknown>[]) {
    for (const k of ["userId", "user1Id", "user2Id", "senderId"])
      if (typeof r[k] === "string") refs.add(r[k] as string);
    if (table === "profiles") refs.add(r.id as string);
    if (typeof r.organizationId === "string") orgRefs.add(r.organizationId);
    if (typeof r.connectionId === "string") connectionRefs.add(r.connectionId);
  }
  const orgs = await lookup(admin, "organizations", [...orgRefs]);
  const conns = await lookup(admin, "connections", [...connectionRefs]);
  const people =
    table === "users" ? new Map<string, Lookup>() : await lookup(admin, "users", [...refs]);
  const existing = await source.existingUserIds([...refs]);
  const personOf = (legacyUserId: string | undefined) =>
    legacyUserId === undefined ? undefined : (people.get(legacyUserId)?.mapping?.convexId ?? null);

  for (const raw of rows as { id: string }[]) {
    const c = convexSide.get(raw.id);
    const mapped = MAPPERS[table](raw as never);
    const lastRejects = (c?.issues ?? []).filter((i) => i.kind === "reject" && i.runId === runId);
    if (!mapped.ok) {
      if (c?.mapping)
        differ(
          table,
          raw.id,
          "mapping",
          `rejected (${mapped.issue.reason})`,
          `mapped ${c.mapping.convexId}`,
        );
      else if (!lastRejects.some((i) => i.reason === mapped.issue.reason))
        differ(
          table,
          raw.id,
          "reject",
          mapped.issue.reason,
          lastRejects.map((i) => i.reason).join(",") || "none",
        );
      continue;
    }
    if (!c?.mapping) {
      // Rejected in Convex: the reason must still hold.
      const reason = lastRejects[0]?.reason;
      const row = mapped.row as Record<string, unknown>;
      const refsOfRow = [
        row.legacyUserId,
        row.user1,
        row.user2,
        row.sender,
        table === "profiles" ? row.legacyId : undefined,
      ].filter((x): x is string => typeof x === "string");
      const holds =
        reason === "ORPHAN_USER"
          ? refsOfRow.some((id) => !existing.has(id))
          : reason === "USER_REJECTED"
            ? refsOfRow.some((id) => existing.has(id) && personOf(id) === null)
            : reason === "INTEREST_KEY_EMPTY"
              ? canonicalKey(String(row.label)) === ""
              : reason !== undefined;
      if (!holds)
        differ(table, raw.id, "reject", "a mapped row or a reject that holds", reason ?? "neither");
      continue;
    }
    const got = c.row;
    if (!got) {
      differ(table, raw.id, "row", "present", `mapping to ${c.mapping.convexId} but no row`);
      continue;
    }
    const eq = (field: string, want: unknown, have: unknown) => {
      if (JSON.stringify(want) !== JSON.stringify(have)) differ(table, raw.id, field, want, have);
    };
    if (
      table === "organizations" ||
      table === "profiles" ||
      table === "connections" ||
      table === "messages"
    ) {
      compareSocial(table, mapped.row, c.mapping.outcome, got, {
        personOf,
        eq,
        refRow: (t, id) => (t === "organizations" ? orgs : conns).get(id)?.row ?? null,
        refId: (_t, id) => orgs.get(id)?.mapping?.convexId ?? null,
      });
    } else if (table === "users") {
      const u = mapped.row as {
        clerkId: string;
        email?: string;
        name: string;
        createdAt: number;
        updatedAt: number;
      };
      eq("clerkId", u.clerkId, got.clerkId);
      if (c.mapping.outcome === "created" && got.claimed !== true) {
        eq("email", u.email ?? null, got.email);
        eq("name", u.name, got.name);
        eq("createdAt", u.createdAt, got.createdAt);
      } else if (c.mapping.outcome !== "created") {
        eq("email (merged into the same address)", u.email ?? null, got.email);
      }
    } else if (table === "interests") {
      const i = mapped.row as { legacyUserId: string; label: string };
      eq("user", personOf(i.legacyUserId), got.userId);
      eq("interestKey", canonicalKey(i.label), got.interestKey);
      eq("catalogued", true, got.catalogued);
    } else {
      const m = mapped.row as {
        user1: string;
        user2?: string;
        title: string;
        scheduledAt: number;
        durationMinutes: number;
        status: string;
      };
      const host = personOf(m.user1);
      const guest = personOf(m.user2);
      eq("title", m.title, got.title);
      eq("scheduledAt", m.scheduledAt, got.scheduledAt);
      eq("durationMinutes", m.durationMinutes, got.durationMinutes);
      eq("status", m.status, got.status);
      eq("hostId", host, got.hostId);
      const participants = got.participants as Record<string, string>;
      if (guest && guest !== host)
        eq("guest", "participant", participants[guest]?.split("/")[0] ?? null);
      if (m.status === "ended")
        eq("endedAt", m.scheduledAt + m.durationMinutes * 60_000, got.endedAt);
      eq("replay of the event log", true, got.replayMatches);
    }
  }
}

/** The report as Markdown. */
export function validationMarkdown(r: ValidationReport): string {
  const lines = [
    "# Migration validation",
    "",
    `Run: ${r.runId ?? "none"} · sample seed \`${r.sampleSeed}\` · ${r.sampled} rows compared field by field`,
    "",
    "| table | legacy | in Convex | rejected | holds |",
    "| --- | ---: | ---: | ---: | --- |",
    ...Object.entries(r.tables).map(
      ([t, c]) =>
        `| ${t} | ${c.legacy} | ${c.convex} | ${c.rejected} | ${c.legacy === c.convex + c.rejected ? "yes" : "**no**"} |`,
    ),
    "",
  ];
  const deferred = Object.entries(r.deferred);
  if (deferred.length > 0) {
    lines.push("Not migrated yet (their importer is not written):", "");
    for (const [t, d] of deferred)
      lines.push(`- **${t}**: ${d!.legacy} legacy rows wait on ${d!.waitsOn}`);
    lines.push("");
  }
  if (r.discrepancies.length === 0) lines.push("No discrepancies.");
  else {
    lines.push(
      `## ${r.discrepancies.length} discrepancies`,
      "",
      "| table | legacy id | field | legacy | Convex |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const d of r.discrepancies.slice(0, 200))
      lines.push(
        `| ${d.table} | ${d.legacyId ?? ""} | ${d.field} | ${JSON.stringify(d.legacy)} | ${JSON.stringify(d.convex)} |`,
      );
    if (r.discrepancies.length > 200) lines.push("", `… and ${r.discrepancies.length - 200} more.`);
  }
  return `${lines.join("\n")}\n`;
}

/** The final JSON line: `{tables: {<name>: {legacy, convex, rejected}}, sampled, discrepancies, deferred}`. */
export function validationJson(r: ValidationReport): string {
  return JSON.stringify({
    tables: r.tables,
    sampled: r.sampled,
    discrepancies: r.discrepancies.length,
    deferred: Object.fromEntries(Object.entries(r.deferred).map(([t, d]) => [t, d!.legacy])),
  });
}
