/**
 * The SQL that creates the legacy tables of `schema.ts` (what `drizzle-kit
 * generate` would have written for it; `schema.test.ts` checks every column's
 * name, type and nullability against the Drizzle definitions). Indexes are
 * the ones the legacy app had: none beyond primary keys and the unique
 * Clerk ids, plus the lookups the importer's keyset pages use.
 */

/** `CREATE TABLE` statements for every legacy table (idempotent). */
export const LEGACY_DDL = `
CREATE TABLE IF NOT EXISTS "organizations" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "clerk_org_id" text NOT NULL,
  "name" text NOT NULL,
  "created_at" timestamp DEFAULT now() NOT NULL,
  CONSTRAINT "organizations_clerk_org_id_unique" UNIQUE("clerk_org_id")
);
CREATE TABLE IF NOT EXISTS "users" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "clerk_id" text NOT NULL,
  "email" text NOT NULL,
  "name" text,
  "organization_id" uuid,
  "created_at" timestamp DEFAULT now() NOT NULL,
  "updated_at" timestamp,
  CONSTRAINT "users_clerk_id_unique" UNIQUE("clerk_id")
);
CREATE INDEX IF NOT EXISTS "users_created_at_id_idx" ON "users" ("created_at", "id");
CREATE TABLE IF NOT EXISTS "interests" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "user_id" uuid NOT NULL,
  "name" text NOT NULL,
  "category" text,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE IF NOT EXISTS "meetings" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "user1_id" uuid NOT NULL,
  "user2_id" uuid,
  "title" text,
  "scheduled_at" timestamp with time zone NOT NULL,
  "duration_minutes" integer,
  "status" text DEFAULT 'scheduled' NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone
);
CREATE TABLE IF NOT EXISTS "connections" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "user1_id" uuid NOT NULL,
  "user2_id" uuid NOT NULL,
  "status" text DEFAULT 'pending' NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone
);
CREATE TABLE IF NOT EXISTS "messages" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "connection_id" uuid NOT NULL,
  "sender_id" uuid NOT NULL,
  "content" text NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "read_at" timestamp with time zone
);
`;
