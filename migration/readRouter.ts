/**
 * Reads during cutover, for the legacy app's server code: each table's
 * reads come from Convex when its flag `use_convex_<table>` is on for the
 * row (the flag's rollout share, bucketed per legacy id with the app's own
 * FNV-1a rollout), else from the legacy database. Same shapes and legacy
 * ids either way, so the caller does not change; rollback = the flag off.
 * Flags are re-read at most every `flagTtlMs` (0 = every read).
 */
import { eq } from "drizzle-orm";
import { internal } from "../convex/_generated/api";
import { rolloutBucket } from "../convex/lib/rollout";
import type { LegacyDb } from "../legacy/open";
import { interests, meetings, users } from "../legacy/schema";
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

type Flags = Record<
  "users" | "interests" | "meetings",
  { key: string; enabled: boolean; rolloutPercent: number }
>;

/** Make a router over both databases. */
export function createReadRouter(o: {
  legacy: LegacyDb;
  convex: AdminClient;
  flagTtlMs?: number;
  now?: () => number;
}) {
  const now = o.now ?? Date.now;
  let cached: { at: number; flags: Flags } | null = null;
  async function fromConvex(
    table: "users" | "interests" | "meetings",
    legacyId: string,
  ): Promise<boolean> {
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
  };
}
