/**
 * Reading the audit log: hosts and co-hosts see their meeting's entries
 * (denials and transitions); ops tooling reads everything internally.
 */
import { v } from "convex/values";
import { internalQuery } from "./_generated/server";
import { requireMeetingAccess } from "./lib/access";
import { appError } from "./lib/errors";
import { userQuery } from "./lib/functions";
import { pageSize } from "./lib/numbers";

/** Why: one screen of history; older entries are for ops tooling. */
const MAX_LIMIT = 200;

const entryView = v.object({
  at: v.number(),
  actorId: v.optional(v.id("users")),
  action: v.string(),
  outcome: v.union(v.literal("denied"), v.literal("transition"), v.literal("admin")),
  code: v.optional(v.string()),
  detail: v.optional(v.string()),
});

/** A meeting's latest audit entries, newest first (hosts and co-hosts only). */
export const listForMeeting = userQuery({
  args: { meetingId: v.id("meetings"), limit: v.optional(v.number()) },
  returns: v.array(entryView),
  handler: async (ctx, { meetingId, limit = 50 }) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw appError("VALIDATION_ERROR", `limit must be an integer in 1–${MAX_LIMIT}`);
    }
    await requireMeetingAccess(ctx, meetingId, "host", { allowCancelled: true });
    const rows = await ctx.db
      .query("auditLog")
      .withIndex("by_meeting_at", (q) => q.eq("meetingId", meetingId))
      .order("desc")
      .take(limit);
    return rows.map(({ at, actorId, action, outcome, code, detail }) => ({
      at,
      actorId,
      action,
      outcome,
      code,
      detail,
    }));
  },
});

/** The latest entries of the whole deployment (ops tooling). */
export const recent = internalQuery({
  args: { limit: v.optional(v.number()) },
  handler: async (ctx, { limit }) =>
    await ctx.db
      .query("auditLog")
      .order("desc")
      .take(pageSize(limit, MAX_LIMIT, 100)),
});
