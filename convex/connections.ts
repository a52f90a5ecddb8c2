/**
 * Connections (issue 17): request, accept or decline, remove; the caller's
 * connections and pending requests; suggestions from people they were
 * matched with or met in meetings. One row per pair; only the addressee
 * answers a request; a block (either way) refuses a request and removes an
 * existing connection (`matching.block`).
 */
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import { writeAudit } from "./lib/audit";
import { enqueueConnectionWrite } from "./lib/dualWriteSocial";
import { userMutation, userQuery } from "./lib/functions";
import { spend } from "./lib/rateLimits";
import { refused, resultValidator } from "./lib/results";
import { blockedEitherWay } from "./matching/blocks";
import { ordered } from "./matching/state";
import { personCard, personCardOf } from "./profiles/views";
import { connectionBetween } from "./social/connectionRows";

/** Why 200: a page of connections; the list is a person's network, paged past that. */
export const CONNECTIONS_PAGE = 200;
/** Why 30 days: after a decline, asking again the next day is pestering. */
export const REQUEST_COOLDOWN_MS = 30 * 24 * 60 * 60_000;
/** Why 300 characters: a note with a request is a line, not a letter. */
export const MAX_NOTE = 300;
/** Why 20 and 10: suggestions come from recent matches and the last meetings, a screenful. */
export const SUGGESTION_PROPOSALS = 20;
export const SUGGESTION_MEETINGS = 10;
/** Why 20: a suggestion only reads the first 20 people of each meeting. */
export const SUGGESTION_PEOPLE_PER_MEETING = 20;
/** Why 12: a handful of suggestions; more is a directory. */
export const MAX_SUGGESTIONS = 12;

const connectionStatus = v.union(
  v.literal("pending"),
  v.literal("accepted"),
  v.literal("declined"),
);

/** Ask to connect with someone (accepting their request if they asked first). */
export const request = userMutation({
  args: { userId: v.id("users"), note: v.optional(v.string()) },
  returns: resultValidator({ connectionId: v.id("connections"), status: connectionStatus }),
  handler: async (ctx, { userId, note }) => {
    const limited = await spend(ctx, "connectionRequests", ctx.user);
    if (!limited.ok) return limited;
    const me = ctx.user._id;
    if (userId === me) return refused("VALIDATION_ERROR", "you cannot connect with yourself");
    if (!(await ctx.db.get("users", userId))) return refused("NOT_FOUND", "no such person");
    const text = note?.trim();
    if (text !== undefined && text.length > MAX_NOTE)
      return refused("VALIDATION_ERROR", `note must be at most ${MAX_NOTE} characters`);
    if (await blockedEitherWay(ctx, me, userId, "block"))
      return refused("FORBIDDEN", "you cannot connect with this person");
    const now = Date.now();
    const row = await connectionBetween(ctx, me, userId);
    if (row?.status === "accepted") return refused("CONFLICT", "you are already connected");
    if (row?.status === "pending") {
      if (row.requester === me)
        return { ok: true as const, connectionId: row._id, status: "pending" as const };
      await ctx.db.patch("connections", row._id, { status: "accepted", respondedAt: now });
      await dualWriteConnection(ctx, row._id, now);
      return { ok: true as const, connectionId: row._id, status: "accepted" as const };
    }
    if (row?.status === "declined") {
      if (row.requester === me && now - (row.respondedAt ?? row.createdAt) < REQUEST_COOLDOWN_MS)
        return refused(
          "CONFLICT",
          "they declined your last request; you can ask again after 30 days",
        );
      await ctx.db.patch("connections", row._id, {
        requester: me,
        status: "pending",
        note: text || undefined,
        createdAt: now,
        respondedAt: undefined,
      });
      await dualWriteConnection(ctx, row._id, now);
      return { ok: true as const, connectionId: row._id, status: "pending" as const };
    }
    const [lo, hi] = ordered(me, userId);
    const id = await ctx.db.insert("connections", {
      lo,
      hi,
      requester: me,
      status: "pending",
      note: text || undefined,
      createdAt: now,
    });
    await dualWriteConnection(ctx, id, now);
    return { ok: true as const, connectionId: id, status: "pending" as const };
  },
});

/** Accept or decline a request addressed to the caller. */
export const respond = userMutation({
  args: { connectionId: v.id("connections"), accept: v.boolean() },
  returns: resultValidator({ status: connectionStatus }),
  handler: async (ctx, { connectionId, accept }) => {
    const limited = await spend(ctx, "connectionRequests", ctx.user);
    if (!limited.ok) return limited;
    const row = await ctx.db.get("connections", connectionId);
    if (!row) return refused("NOT_FOUND", "no such request");
    const me = ctx.user._id;
    if ((row.lo !== me && row.hi !== me) || row.requester === me) {
      await writeAudit(ctx, {
        action: "connection.Respond",
        outcome: "denied",
        actorId: me,
        code: "FORBIDDEN",
      });
      return refused("FORBIDDEN", "this request is not addressed to you");
    }
    if (row.status !== "pending") {
      if ((row.status === "accepted") === accept) return { ok: true as const, status: row.status };
      return refused("CONFLICT", `this request is already ${row.status}`);
    }
    const status = accept ? ("accepted" as const) : ("declined" as const);
    const now = Date.now();
    await ctx.db.patch("connections", row._id, { status, respondedAt: now });
    await dualWriteConnection(ctx, row._id, now);
    return { ok: true as const, status };
  },
});

/** Remove a connection, or withdraw a pending request (either side). */
export const remove = userMutation({
  args: { userId: v.id("users") },
  returns: resultValidator({ removed: v.boolean() }),
  handler: async (ctx, { userId }) => {
    const limited = await spend(ctx, "connectionRequests", ctx.user);
    if (!limited.ok) return limited;
    const row = await connectionBetween(ctx, ctx.user._id, userId);
    if (!row || row.status === "declined") return { ok: true as const, removed: false };
    await enqueueConnectionWrite(ctx, row, Date.now(), true);
    await ctx.db.delete("connections", row._id);
    return { ok: true as const, removed: true };
  },
});

/** Queue the connection's new state for the legacy database (dual write, when on). */
async function dualWriteConnection(ctx: MutationCtx, id: Id<"connections">, now: number) {
  const row = await ctx.db.get("connections", id);
  if (row) await enqueueConnectionWrite(ctx, row, now);
}

async function rowsOf(ctx: QueryCtx, me: Id<"users">, status: Doc<"connections">["status"]) {
  const asLo = await ctx.db
    .query("connections")
    .withIndex("by_lo_status", (q) => q.eq("lo", me).eq("status", status))
    .order("desc")
    .take(CONNECTIONS_PAGE);
  const asHi = await ctx.db
    .query("connections")
    .withIndex("by_hi_status", (q) => q.eq("hi", me).eq("status", status))
    .order("desc")
    .take(CONNECTIONS_PAGE);
  return [...asLo, ...asHi].sort((a, b) => b.createdAt - a.createdAt).slice(0, CONNECTIONS_PAGE);
}

const connectionView = v.object({
  connectionId: v.id("connections"),
  person: personCard,
  since: v.number(),
  note: v.optional(v.string()),
});

async function viewsOf(ctx: QueryCtx, me: Id<"users">, rows: Doc<"connections">[]) {
  const out = [];
  for (const r of rows) {
    const person = await personCardOf(ctx, r.lo === me ? r.hi : r.lo);
    if (person)
      out.push({ connectionId: r._id, person, since: r.respondedAt ?? r.createdAt, note: r.note });
  }
  return out;
}

/** The caller's connections, newest first. Reactive. */
export const list = userQuery({
  args: {},
  returns: v.array(connectionView),
  handler: async (ctx) =>
    await viewsOf(ctx, ctx.user._id, await rowsOf(ctx, ctx.user._id, "accepted")),
});

/** Pending requests: to the caller (incoming) and from the caller (outgoing). */
export const pending = userQuery({
  args: {},
  returns: v.object({ incoming: v.array(connectionView), outgoing: v.array(connectionView) }),
  handler: async (ctx) => {
    const me = ctx.user._id;
    const rows = await rowsOf(ctx, me, "pending");
    return {
      incoming: await viewsOf(
        ctx,
        me,
        rows.filter((r) => r.requester !== me),
      ),
      outgoing: await viewsOf(
        ctx,
        me,
        rows.filter((r) => r.requester === me),
      ),
    };
  },
});

/**
 * People to connect with: those the caller was matched with (accepted
 * proposals) and met in their latest meetings, who are not connected,
 * asked, declined or blocked either way.
 */
export const suggestions = userQuery({
  args: {},
  returns: v.array(
    v.object({
      person: personCard,
      source: v.union(v.literal("match"), v.literal("meeting")),
      reason: v.string(),
    }),
  ),
  handler: async (ctx) => {
    const me = ctx.user._id;
    const found = new Map<Id<"users">, { source: "match" | "meeting"; reason: string }>();
    for (const idx of ["by_a_created", "by_b_created"] as const) {
      const field = idx === "by_a_created" ? "a" : "b";
      const ps = await ctx.db
        .query("matchProposals")
        .withIndex(idx, (q) => q.eq(field, me))
        .order("desc")
        .take(SUGGESTION_PROPOSALS);
      for (const p of ps)
        if (p.status === "accepted")
          found.set(p.a === me ? p.b : p.a, { source: "match", reason: "You were matched" });
    }
    const mine = await ctx.db
      .query("participants")
      .withIndex("by_user", (q) => q.eq("userId", me))
      .order("desc")
      .take(SUGGESTION_MEETINGS);
    for (const part of mine) {
      if (part.status === "removed") continue;
      const meeting = await ctx.db.get("meetings", part.meetingId);
      if (!meeting || meeting.status === "cancelled") continue;
      const others = await ctx.db
        .query("participants")
        .withIndex("by_meeting_user", (q) => q.eq("meetingId", part.meetingId))
        .take(SUGGESTION_PEOPLE_PER_MEETING);
      for (const o of others)
        if (o.userId !== me && o.status !== "removed" && !found.has(o.userId))
          found.set(o.userId, { source: "meeting", reason: `You met in "${meeting.title}"` });
    }
    const out = [];
    for (const [userId, why] of found) {
      if (out.length >= MAX_SUGGESTIONS) break;
      if (userId === me || (await connectionBetween(ctx, me, userId))) continue;
      if (await blockedEitherWay(ctx, me, userId, "block")) continue;
      const person = await personCardOf(ctx, userId);
      if (person) out.push({ person, ...why });
    }
    return out;
  },
});
