/**
 * Search across the meetings a person may read (issue 18): notes, transcript
 * segments, chat and titles, in Convex's relevance order.
 *
 * Access is an index filter: the search index of `searchRows` is filtered on
 * the caller's `userId`, so rows of meetings they do not belong to are never
 * candidates (no hit, no count), and a query reads at most `limit` rows at
 * any data size. Each hit is re-checked against the caller's current
 * participant row, so someone removed a moment ago sees nothing even before
 * the fan-out has deleted their rows. Convex's text search: terms match
 * whole tokens, only the last term also as a prefix; no fuzzy matching.
 */
import { v } from "convex/values";
import { snippet } from "../projections/search/text";
import type { Doc, Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { findParticipant, grants } from "./lib/access";
import { appError } from "./lib/errors";
import { userQuery } from "./lib/functions";
import { searchKind } from "./tables/search";

/** Why: one screen of results; Convex reads at most 1,024 search candidates anyway. */
export const MAX_LIMIT = 50;
/** Why: a query is what a person types; Convex reads at most 16 terms. */
export const MAX_QUERY_CHARS = 200;

const hit = v.object({
  meetingId: v.id("meetings"),
  meetingTitle: v.string(),
  kind: searchKind,
  key: v.string(),
  snippet: v.string(),
  highlights: v.array(v.array(v.number())),
  /** Who said or wrote it, when known. */
  by: v.union(v.string(), v.null()),
  at: v.number(),
  /** Web app path that opens the replay at this moment. */
  href: v.string(),
});

/** The replay link of a hit (the replay reads `t`, wall-clock ms). */
export function replayPath(meetingId: Id<"meetings">, at: number): string {
  return `/meetings/${meetingId}/replay?t=${Math.round(at)}`;
}

async function readable(ctx: QueryCtx, userId: Id<"users">, meetingId: Id<"meetings">) {
  const meeting = await ctx.db.get("meetings", meetingId);
  if (!meeting || meeting.status === "cancelled") return null;
  const p = await findParticipant(ctx, meetingId, userId);
  return p && grants(p, "read") ? meeting : null;
}

async function byName(ctx: QueryCtx, row: Doc<"searchRows">): Promise<string | null> {
  if (row.label !== undefined) return row.label;
  if (row.kind !== "chat" || row.authorId === undefined) return null;
  const id = ctx.db.normalizeId("users", row.authorId);
  return id ? ((await ctx.db.get("users", id))?.name ?? null) : null;
}

/** Search the caller's meetings; best first. */
export const meetings = userQuery({
  args: {
    query: v.string(),
    kind: v.optional(searchKind),
    limit: v.optional(v.number()),
  },
  returns: v.array(hit),
  handler: async (ctx, { query, kind, limit }) => {
    const q = query.trim();
    if (q.length > MAX_QUERY_CHARS)
      throw appError("VALIDATION_ERROR", `a query is at most ${MAX_QUERY_CHARS} characters`);
    const n = limit ?? 20;
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
      throw appError("VALIDATION_ERROR", `limit must be 1–${MAX_LIMIT}`);
    if (q.length === 0) return [];
    const rows = await ctx.db
      .query("searchRows")
      .withSearchIndex("search_text", (s) => {
        const mine = s.search("text", q).eq("userId", ctx.user._id);
        return kind === undefined ? mine : mine.eq("kind", kind);
      })
      .take(n);
    const meetingsById = new Map<Id<"meetings">, Doc<"meetings"> | null>();
    const out = [];
    for (const row of rows) {
      if (!meetingsById.has(row.meetingId))
        meetingsById.set(row.meetingId, await readable(ctx, ctx.user._id, row.meetingId));
      const meeting = meetingsById.get(row.meetingId);
      if (!meeting) continue;
      const s = snippet(row.text, q);
      out.push({
        meetingId: row.meetingId,
        meetingTitle: meeting.title,
        kind: row.kind,
        key: row.key,
        snippet: s.text,
        highlights: s.highlights,
        by: await byName(ctx, row),
        at: row.at,
        href: replayPath(row.meetingId, row.at),
      });
    }
    return out;
  },
});
