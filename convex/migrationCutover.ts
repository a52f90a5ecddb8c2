/**
 * Read cutover (issue 19, part 4): while both databases live, the legacy
 * app's reads of a table switch to Convex by flag `use_convex_<table>`
 * (`featureFlags`, with its rollout share, bucketed per legacy row id), and
 * rollback is flipping the flag back. The legacy app (or
 * `migration/readRouter.ts`) reads the flags and, when on, these internal
 * queries, which answer in the legacy row's own shape and ids (legacy UUIDs
 * through `legacyIdMap`), so callers need not change.
 */
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { internalQuery, type QueryCtx } from "./_generated/server";
import { legacyUserView } from "./lib/legacyAccounts";
import { mappingOf } from "./lib/legacyImport";

/** The cutover flag of each table that has a Convex home today. */
export const CUTOVER_FLAGS = {
  users: "use_convex_users",
  interests: "use_convex_interests",
  meetings: "use_convex_meetings",
  connections: "use_convex_connections",
  messages: "use_convex_messages",
} as const;

/** Why: a person has at most 30 interests (`PROFILE_LIMITS.interests`); 64 bounds the read with room. */
const INTEREST_READ = 64;
/** Why: a person's legacy accounts: one plus merged duplicates. */
const ACCOUNTS_READ = 10;

const flagState = v.object({ key: v.string(), enabled: v.boolean(), rolloutPercent: v.number() });

/** Every cutover flag's state (absent flags read as off). */
export const flags = internalQuery({
  args: {},
  returns: v.object({
    users: flagState,
    interests: flagState,
    meetings: flagState,
    connections: flagState,
    messages: flagState,
  }),
  handler: async (ctx) => {
    const read = async (key: string) => {
      const f = await ctx.db
        .query("featureFlags")
        .withIndex("by_key", (q) => q.eq("key", key))
        .unique();
      return { key, enabled: f?.enabled ?? false, rolloutPercent: f?.rolloutPercent ?? 0 };
    };
    return {
      users: await read(CUTOVER_FLAGS.users),
      interests: await read(CUTOVER_FLAGS.interests),
      meetings: await read(CUTOVER_FLAGS.meetings),
      connections: await read(CUTOVER_FLAGS.connections),
      messages: await read(CUTOVER_FLAGS.messages),
    };
  },
});

/** The legacy id of a Convex user (the imported or linked row, not a merged duplicate). */
export async function legacyUserIdOf(ctx: QueryCtx, userId: string): Promise<string | null> {
  const rows = await ctx.db
    .query("legacyIdMap")
    .withIndex("by_table_convex", (q) => q.eq("table", "users").eq("convexId", userId))
    .take(ACCOUNTS_READ);
  return (rows.find((r) => r.outcome !== "merged") ?? rows[0])?.legacyId ?? null;
}

/** A legacy user row, read from Convex (null when the id was never mapped). */
export const readUser = internalQuery({
  args: { legacyId: v.string() },
  returns: v.union(
    v.null(),
    v.object({
      id: v.string(),
      clerkId: v.string(),
      email: v.string(),
      name: v.union(v.string(), v.null()),
      createdAt: v.number(),
      updatedAt: v.union(v.number(), v.null()),
    }),
  ),
  handler: async (ctx, { legacyId }) => {
    const m = await mappingOf(ctx, "users", legacyId);
    if (!m) return null;
    const user = await ctx.db.get("users", m.convexId as Id<"users">);
    if (!user) return null;
    return await legacyUserView(ctx, user, legacyId);
  },
});

/** A legacy user's interests, read from Convex (catalogue labels; empty when unmapped). */
export const readInterests = internalQuery({
  args: { legacyUserId: v.string() },
  returns: v.array(v.object({ name: v.string(), category: v.union(v.string(), v.null()) })),
  handler: async (ctx, { legacyUserId }) => {
    const m = await mappingOf(ctx, "users", legacyUserId);
    if (!m) return [];
    const rows = await ctx.db
      .query("userInterests")
      .withIndex("by_user", (q) => q.eq("userId", m.convexId as Id<"users">))
      .take(INTEREST_READ);
    const out = [];
    for (const r of rows) {
      const entry = await ctx.db
        .query("interests")
        .withIndex("by_key", (q) => q.eq("key", r.interestKey))
        .unique();
      out.push({ name: entry?.label ?? r.interestKey, category: entry?.category ?? null });
    }
    return out;
  },
});

/** Legacy meeting statuses from Convex's (`active` reads as `scheduled`: the legacy app had no live state). */
const LEGACY_STATUS = {
  scheduled: "scheduled",
  active: "scheduled",
  ended: "completed",
  cancelled: "cancelled",
} as const;

/** A legacy meeting row, read from Convex (null when unmapped). */
export const readMeeting = internalQuery({
  args: { legacyId: v.string() },
  returns: v.union(
    v.null(),
    v.object({
      id: v.string(),
      user1Id: v.union(v.string(), v.null()),
      user2Id: v.union(v.string(), v.null()),
      title: v.string(),
      scheduledAt: v.number(),
      durationMinutes: v.number(),
      status: v.string(),
    }),
  ),
  handler: async (ctx, { legacyId }) => {
    const m = await mappingOf(ctx, "meetings", legacyId);
    if (!m) return null;
    const meeting = await ctx.db.get("meetings", m.convexId as Id<"meetings">);
    if (!meeting) return null;
    const guests = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meeting._id))
      .take(ACCOUNTS_READ);
    const guest = guests.find((p) => p.userId !== meeting.hostId && p.status !== "removed");
    return {
      id: legacyId,
      user1Id: await legacyUserIdOf(ctx, meeting.hostId),
      user2Id: guest ? await legacyUserIdOf(ctx, guest.userId) : null,
      title: meeting.title,
      scheduledAt: meeting.scheduledAt,
      durationMinutes: meeting.durationMinutes,
      status: LEGACY_STATUS[meeting.status],
    };
  },
});
