/**
 * Reads during cutover, for the legacy app's server code: each table's
 * reads come from Convex when its flag `use_convex_<table>` is on for the
 * row (the flag's rollout share, bucketed per legacy id with the app's own
 * FNV-1a rollout), else from the legacy database. Same shapes and legacy
 * ids either way, so the caller does not change; rollback = the flag off.
 * Flags are re-read at most every `flagTtlMs` (0 = every read).
 */
import { asc, eq } from "drizzle-orm";
import { internal } from "../convex/_generated/api";
import { rolloutBucket } from "../convex/lib/rollout";
import type { LegacyDb } from "../legacy/open";
import { connections, interests, meetings, messages, users } from "../legacy/schema";
import type { AdminClient } from "./admin";

/** A user as the legacy app reads it. */
export type UserView = {
  id: string;
  clerkId: string;
  email: string;
  name: string | null;
  createdAt: number;
  updatedAt: number | null;
};
/** A meeting as the legacy app reads it. */
export type MeetingView = {
  id: string;
  user1Id: string | null;
  user2Id: string | null;
  title: string;
  scheduledAt: number;
  durationMinutes: number;
  status: string;
};
/** Where a read came from. */
export type Sourced<T> = { source: "convex" | "legacy"; value: T };

/** A connection as the legacy app reads it. */
export type ConnectionView = {
  id: string;
  user1Id: string | null;
  user2Id: string | null;
  status: string;
  createdAt: number;
};
/** A message as the legacy app reads it. */
export type MessageView = {
  id: string | null;
  senderId: string | null;
  content: string;
  createdAt: number;
};

type RoutedTable = "users" | "interests" | "meetings" | "connections" | "messages";
type Flags = Record<RoutedTable, { key: string; enabled: boolean; rolloutPercent: number }>;

/** Make a router over both databases. */
export function createReadRouter(o: {
  legacy: LegacyDb;
  convex: AdminClient;
  flagTtlMs?: number;
  now?: () => number;
}) {
  const now = o.now ?? Date.now;
  let cached: { at: number; flags: Flags } | null = null;
  async function fromConvex(table: RoutedTable, legacyId: string): Promise<boolean> {
    if (!cached || now() - cached.at > (o.flagTtlMs ?? 5_000)) {
      cached = {
        at: now(),
        flags: (await o.convex.query(internal.migrationCutover.flags, {})) as Flags,
      };
    }
    const f = cached.flags[table];
    return f.enabled && rolloutBucket(f.key, legacyId) < f.rolloutPercent;
  }
  const ms = (d: Date | null) => (d === null ? null : d.getTime());
  return {
    async user(legacyId: string): Promise<Sourced<UserView | null>> {
      if (await fromConvex("users", legacyId))
        return {
          source: "convex",
          value: await o.convex.query(internal.migrationCutover.readUser, { legacyId }),
        };
      const [u] = await o.legacy.db.select().from(users).where(eq(users.id, legacyId));
      return {
        source: "legacy",
        value: u
          ? {
              id: u.id,
              clerkId: u.clerkId,
              email: u.email,
              name: u.name,
              createdAt: u.createdAt.getTime(),
              updatedAt: ms(u.updatedAt),
            }
          : null,
      };
    },
    async interests(
      legacyUserId: string,
    ): Promise<Sourced<{ name: string; category: string | null }[]>> {
      if (await fromConvex("interests", legacyUserId))
        return {
          source: "convex",
          value: await o.convex.query(internal.migrationCutover.readInterests, { legacyUserId }),
        };
      const rows = await o.legacy.db
        .select()
        .from(interests)
        .where(eq(interests.userId, legacyUserId));
      return { source: "legacy", value: rows.map((r) => ({ name: r.name, category: r.category })) };
    },
    async meeting(legacyId: string): Promise<Sourced<MeetingView | null>> {
      if (await fromConvex("meetings", legacyId))
        return {
          source: "convex",
          value: await o.convex.query(internal.migrationCutover.readMeeting, { legacyId }),
        };
      const [m] = await o.legacy.db.select().from(meetings).where(eq(meetings.id, legacyId));
      return {
        source: "legacy",
        value: m
          ? {
              id: m.id,
              user1Id: m.user1Id,
              user2Id: m.user2Id,
              title: m.title ?? "",
              scheduledAt: m.scheduledAt.getTime(),
              durationMinutes: m.durationMinutes ?? 0,
              status: m.status,
            }
          : null,
      };
    },
    async connection(legacyId: string): Promise<Sourced<ConnectionView | null>> {
      if (await fromConvex("connections", legacyId))
        return {
          source: "convex",
          value: await o.convex.query(internal.migrationCutoverSocial.readConnection, { legacyId }),
        };
      const [c] = await o.legacy.db.select().from(connections).where(eq(connections.id, legacyId));
      return {
        source: "legacy",
        value: c
          ? {
              id: c.id,
              user1Id: c.user1Id,
              user2Id: c.user2Id,
              status: c.status,
              createdAt: c.createdAt.getTime(),
            }
          : null,
      };
    },
    /** A connection's messages, oldest first (bucketed by the connection's id). */
    async messages(legacyConnectionId: string): Promise<Sourced<MessageView[]>> {
      if (await fromConvex("messages", legacyConnectionId))
        return {
          source: "convex",
          value: await o.convex.query(internal.migrationCutoverSocial.readMessages, {
            legacyConnectionId,
          }),
        };
      const rows = await o.legacy.db
        .select()
        .from(messages)
        .where(eq(messages.connectionId, legacyConnectionId))
        .orderBy(asc(messages.createdAt));
      return {
        source: "legacy",
        value: rows.map((m) => ({
          id: m.id,
          senderId: m.senderId,
          content: m.content,
          createdAt: m.createdAt.getTime(),
        })),
      };
    },
  };
}
