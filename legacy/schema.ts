/**
 * The legacy Connvo database (Drizzle ORM + PostgreSQL) as the design's
 * migration mapping describes it: the tables the Convex importer reads.
 *
 * Written the way the legacy app declared it, warts included, because the
 * importer must cope with what it allowed:
 * - no foreign keys (rows whose user, connection or organization is gone exist);
 * - `users.email` is not unique and not normalized (the same address in
 *   different case belongs to two accounts);
 * - `users.created_at`/`updated_at` are `timestamp` WITHOUT time zone holding
 *   UTC by convention, while `meetings`, `connections` and `messages` use
 *   `timestamptz` (written from clients in many zones);
 * - `meetings.status`, `connections.status` are free text.
 *
 * The DDL that creates these tables is `ddl.ts` (checked against this file
 * by `schema.test.ts`).
 */
import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Organizations (Clerk organizations in the legacy app). */
export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  clerkOrgId: text("clerk_org_id").notNull().unique(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at").notNull().defaultNow(),
});

/** People, keyed by their Clerk user id. */
export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  clerkId: text("clerk_id").notNull().unique(),
  email: text("email").notNull(),
  name: text("name"),
  /** No foreign key: deleted organizations left dangling ids behind. */
  organizationId: uuid("organization_id"),
  /** UTC wall time without a zone (Drizzle's default `timestamp`). */
  createdAt: timestamp("created_at").notNull().defaultNow(),
  updatedAt: timestamp("updated_at"),
});

/** Interests, one row per (user, interest) as the user typed it. */
export const interests = pgTable("interests", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull(),
  name: text("name").notNull(),
  category: text("category"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One-to-one meetings: `user1Id` booked it, `user2Id` was invited. */
export const meetings = pgTable("meetings", {
  id: uuid("id").primaryKey().defaultRandom(),
  user1Id: uuid("user1_id").notNull(),
  user2Id: uuid("user2_id"),
  title: text("title"),
  scheduledAt: timestamp("scheduled_at", { withTimezone: true }).notNull(),
  durationMinutes: integer("duration_minutes"),
  /** `scheduled` | `completed` | `cancelled` (free text in the legacy app). */
  status: text("status").notNull().default("scheduled"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
});

/** Connections between two people: `user1Id` asked, `user2Id` answered. */
export const connections = pgTable("connections", {
  id: uuid("id").primaryKey().defaultRandom(),
  user1Id: uuid("user1_id").notNull(),
  user2Id: uuid("user2_id").notNull(),
  /** `pending` | `accepted` | `declined` (free text in the legacy app). */
  status: text("status").notNull().default("pending"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
});

/** Direct messages inside a connection. */
export const messages = pgTable("messages", {
  id: uuid("id").primaryKey().defaultRandom(),
  connectionId: uuid("connection_id").notNull(),
  senderId: uuid("sender_id").notNull(),
  content: text("content").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  readAt: timestamp("read_at", { withTimezone: true }),
});

/** Every legacy table, for drizzle's relational API and the tools. */
export const legacySchema = { organizations, users, interests, meetings, connections, messages };

/** The legacy tables by name, in dependency order (referenced before referencing). */
export const LEGACY_TABLES = [
  "organizations",
  "users",
  "interests",
  "meetings",
  "connections",
  "messages",
] as const;
/** A legacy table's name. */
export type LegacyTableName = (typeof LEGACY_TABLES)[number];
