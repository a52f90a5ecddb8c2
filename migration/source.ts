/**
 * Reading the legacy database for the importer and the validator, through
 * Drizzle over `legacy/schema.ts`: keyset pages (never OFFSET), counts,
 * rows by id, and a reproducible random sample of ids.
 *
 * Times are read as epoch ms computed by Postgres (`extract(epoch …)`), so
 * they do not depend on the importer's time zone or on how a driver parses
 * `timestamp` without a zone (UTC by the legacy app's convention); infinite
 * and out-of-range values come back as null for the mappers to reject.
 *
 * Page order: users by `(created_at, id)` (so the earliest of two accounts
 * sharing an email is the one kept and the later merged into it); messages
 * by `(connection_id, id)`, so one import batch holds a few conversations
 * whole (each conversation's pair, thread and senders' keys are looked up
 * once per batch instead of once per message: in `id` order a batch of 500
 * met ~500 conversations); every other table by `id`. Cursors are opaque
 * strings to the importer.
 *
 * The legacy schema has no index on `messages.connection_id`, so each
 * message page sorts the table: {@link LegacySource.pages} reads several
 * batches in one query (each with its own cursor, so checkpoints stay per
 * batch) to pay that sort once per several batches. With millions of
 * messages the operator adds an index on `(connection_id, id)` first, which
 * makes each page a range read (`migration/README.md`, "Throughput").
 */
import { asc, gt, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { LegacyDb } from "../legacy/open";
import {
  connections,
  interests,
  type LegacyTableName,
  meetings,
  messages,
  organizations,
  users,
} from "../legacy/schema";
import { toMs } from "./clean";
import type { InterestRead } from "./mapInterests";
import type { MeetingRead } from "./mapMeetings";
import type { ConnectionRead, MessageRead, OrgRead, ProfileRead } from "./mapSocial";
import type { UserRead } from "./mapUsers";

/** The tables the importer maps (`profiles` is a second pass over legacy `users`). */
export type ImportTable =
  | "users"
  | "organizations"
  | "interests"
  | "profiles"
  | "meetings"
  | "connections"
  | "messages";

/** Rows read from each imported table. */
export type ReadRow = {
  users: UserRead;
  organizations: OrgRead;
  interests: InterestRead;
  profiles: ProfileRead;
  meetings: MeetingRead;
  connections: ConnectionRead;
  messages: MessageRead;
};

/** The legacy table an import table reads. */
export function legacyTableOf(table: ImportTable): LegacyTableName {
  return table === "profiles" ? "users" : table;
}

/** A page of rows and the cursor of its last row (null when the page is empty). */
export type Page<R> = { rows: R[]; cursor: string | null };

/** Epoch ms of a timestamp column as text (NULL stays NULL). */
const epochMs = (col: PgColumn) =>
  sql<string | null>`floor(extract(epoch from ${col}) * 1000)::text`;

const userFields = {
  id: users.id,
  clerkId: users.clerkId,
  email: users.email,
  name: users.name,
  createdAt: epochMs(users.createdAt),
  updatedAt: epochMs(users.updatedAt),
  createdAtText: sql<string>`${users.createdAt}::text`,
  organizationId: users.organizationId,
};
const interestFields = {
  id: interests.id,
  userId: interests.userId,
  name: interests.name,
  category: interests.category,
  createdAt: epochMs(interests.createdAt),
};
const meetingFields = {
  id: meetings.id,
  user1Id: meetings.user1Id,
  user2Id: meetings.user2Id,
  title: meetings.title,
  scheduledAt: epochMs(meetings.scheduledAt),
  durationMinutes: meetings.durationMinutes,
  status: meetings.status,
  createdAt: epochMs(meetings.createdAt),
  updatedAt: epochMs(meetings.updatedAt),
};

const orgFields = {
  id: organizations.id,
  clerkOrgId: organizations.clerkOrgId,
  name: organizations.name,
  createdAt: epochMs(organizations.createdAt),
};
const connectionFields = {
  id: connections.id,
  user1Id: connections.user1Id,
  user2Id: connections.user2Id,
  status: connections.status,
  createdAt: epochMs(connections.createdAt),
  updatedAt: epochMs(connections.updatedAt),
};
const messageFields = {
  id: messages.id,
  connectionId: messages.connectionId,
  senderId: messages.senderId,
  content: messages.content,
  createdAt: epochMs(messages.createdAt),
  readAt: epochMs(messages.readAt),
};

/** Tables read by `id` order: their columns and how a row is read (times to ms). */
const BY_ID = {
  interests: { t: interests, fields: interestFields, read: (r: Row) => toInterest(r as never) },
  meetings: { t: meetings, fields: meetingFields, read: (r: Row) => toMeeting(r as never) },
  organizations: {
    t: organizations,
    fields: orgFields,
    read: (r: Row): OrgRead => ({
      id: r.id as string,
      clerkOrgId: r.clerkOrgId as string,
      name: r.name as string,
      createdAt: toMs(r.createdAt as string | null),
    }),
  },
  connections: {
    t: connections,
    fields: connectionFields,
    read: (r: Row): ConnectionRead => ({
      id: r.id as string,
      user1Id: r.user1Id as string,
      user2Id: r.user2Id as string,
      status: r.status as string,
      createdAt: toMs(r.createdAt as string | null),
      updatedAt: toMs(r.updatedAt as string | null),
    }),
  },
  messages: {
    t: messages,
    fields: messageFields,
    read: (r: Row): MessageRead => ({
      id: r.id as string,
      connectionId: r.connectionId as string,
      senderId: r.senderId as string,
      content: r.content as string,
      createdAt: toMs(r.createdAt as string | null),
      readAt: toMs(r.readAt as string | null),
    }),
  },
} as const;
type Row = Record<string, unknown>;
type ByIdTable = keyof typeof BY_ID;

type UserSelect = { [K in keyof typeof userFields]: unknown } & {
  id: string;
  createdAtText: string;
};

function toProfile(r: UserSelect): ProfileRead {
  return { id: r.id, organizationId: r.organizationId as string | null };
}
function toUser(r: UserSelect): UserRead {
  return {
    id: r.id,
    clerkId: r.clerkId as string,
    email: r.email as string,
    name: r.name as string | null,
    createdAt: toMs(r.createdAt as string | null),
    updatedAt: toMs(r.updatedAt as string | null),
  };
}
function toInterest(r: Record<keyof typeof interestFields, unknown>): InterestRead {
  return {
    id: r.id as string,
    userId: r.userId as string,
    name: r.name as string,
    category: r.category as string | null,
    createdAt: toMs(r.createdAt as string | null),
  };
}
function toMeeting(r: Record<keyof typeof meetingFields, unknown>): MeetingRead {
  return {
    id: r.id as string,
    user1Id: r.user1Id as string,
    user2Id: r.user2Id as string | null,
    title: r.title as string | null,
    scheduledAt: toMs(r.scheduledAt as string | null),
    durationMinutes: r.durationMinutes as number | null,
    status: r.status as string,
    createdAt: toMs(r.createdAt as string | null),
    updatedAt: toMs(r.updatedAt as string | null),
  };
}

/** `(a, id) > cursor` for a two-column keyset cursor (`[a, id]` as JSON); none from the start. */
function afterPair(
  after: string | null,
  a: PgColumn,
  aType: "timestamp" | "uuid",
  id: PgColumn,
): SQL | undefined {
  if (after === null) return undefined;
  const [x, y] = JSON.parse(after) as [string, string];
  return aType === "timestamp"
    ? sql`(${a}, ${id}) > (${x}::timestamp, ${y}::uuid)`
    : sql`(${a}, ${id}) > (${x}::uuid, ${y}::uuid)`;
}

/** The legacy reader over an open database. */
export type LegacySource = ReturnType<typeof legacySource>;

/** Make the reader. */
export function legacySource(legacy: LegacyDb) {
  const { db } = legacy;
  async function page<T extends ImportTable>(
    table: T,
    after: string | null,
    limit: number,
  ): Promise<Page<ReadRow[T]>> {
    if (table === "users" || table === "profiles") {
      const rows = (await db
        .select(userFields)
        .from(users)
        .where(afterPair(after, users.createdAt, "timestamp", users.id))
        .orderBy(asc(users.createdAt), asc(users.id))
        .limit(limit)) as UserSelect[];
      const last = rows.at(-1);
      return {
        rows: rows.map((r) => (table === "users" ? toUser(r) : toProfile(r))) as ReadRow[T][],
        cursor: last ? JSON.stringify([last.createdAtText, last.id]) : null,
      };
    }
    if (table === "messages") {
      const rows = (await db
        .select(messageFields)
        .from(messages)
        .where(afterPair(after, messages.connectionId, "uuid", messages.id))
        .orderBy(asc(messages.connectionId), asc(messages.id))
        .limit(limit)) as Row[];
      const last = rows.at(-1);
      return {
        rows: rows.map((r) => BY_ID.messages.read(r)) as ReadRow[T][],
        cursor: last ? JSON.stringify([last.connectionId, last.id]) : null,
      };
    }
    const spec = BY_ID[table as ByIdTable];
    // The union of table types confuses `.from`; every one has a uuid `id`, hence the narrow cast.
    const t = spec.t as typeof meetings;
    const rows = (await db
      .select(spec.fields)
      .from(t)
      .where(after === null ? undefined : gt(t.id, after))
      .orderBy(asc(t.id))
      .limit(limit)) as Row[];
    return {
      rows: rows.map((r) => spec.read(r)) as ReadRow[T][],
      cursor: (rows.at(-1)?.id as string | undefined) ?? null,
    };
  }

  /** The cursor just after `row` in its table's page order (the one `page` answers). */
  function cursorOf<T extends ImportTable>(table: T, row: ReadRow[T]): string {
    if (table === "messages") {
      const m = row as ReadRow["messages"];
      return JSON.stringify([m.connectionId, m.id]);
    }
    return (row as { id: string }).id;
  }

  /**
   * Up to `count` consecutive pages of `size` rows after `after`, read in one query
   * (the pages `page` would answer one by one, each with its cursor). Users and
   * profiles are read page by page (their cursor holds the stored timestamp's text).
   */
  async function pages<T extends ImportTable>(
    table: T,
    after: string | null,
    size: number,
    count: number,
  ): Promise<Page<ReadRow[T]>[]> {
    if (table === "users" || table === "profiles" || count <= 1) {
      const p = await page(table, after, size);
      return p.cursor === null ? [] : [p];
    }
    const { rows } = await page(table, after, size * count);
    const out: Page<ReadRow[T]>[] = [];
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      out.push({ rows: chunk, cursor: cursorOf(table, chunk.at(-1)!) });
    }
    return out;
  }

  async function byIds<T extends ImportTable>(table: T, ids: string[]): Promise<ReadRow[T][]> {
    if (ids.length === 0) return [];
    if (table === "users" || table === "profiles") {
      const rows = (await db
        .select(userFields)
        .from(users)
        .where(inArray(users.id, ids))) as UserSelect[];
      return rows.map((r) => (table === "users" ? toUser(r) : toProfile(r))) as ReadRow[T][];
    }
    const spec = BY_ID[table as ByIdTable];
    const t = spec.t as typeof meetings;
    const rows = (await db.select(spec.fields).from(t).where(inArray(t.id, ids))) as Row[];
    return rows.map((r) => spec.read(r)) as ReadRow[T][];
  }

  /** Row count of any legacy table. */
  async function countRows(table: LegacyTableName): Promise<number> {
    const rows = await legacy.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
    return rows[0]?.n ?? 0;
  }

  /** `n` ids of `table` in a random order fixed by `seed` (the same seed samples the same rows). */
  async function sampleIds(table: ImportTable, n: number, seed: string): Promise<string[]> {
    // Every imported table has a uuid `id`; the union of table types confuses `.from`, hence the narrow cast.
    const t = (
      table === "users" || table === "profiles" ? users : BY_ID[table].t
    ) as typeof meetings;
    const rows = await db
      .select({ id: t.id })
      .from(t)
      .orderBy(sql`md5(${t.id}::text || ${seed})`)
      .limit(n);
    return rows.map((r) => r.id);
  }

  /** Which of `ids` exist in legacy `users` (the validator checks orphan verdicts with it). */
  async function existingUserIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db.select({ id: users.id }).from(users).where(inArray(users.id, ids));
    return new Set(rows.map((r) => r.id));
  }

  return { page, pages, byIds, countRows, sampleIds, existingUserIds };
}
