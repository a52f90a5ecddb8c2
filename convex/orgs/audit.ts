/**
 * An org's audit log for its admins: membership, invitation, plan and
 * billing changes (operator name and reason included), newest first.
 */
import { v } from "convex/values";
import { appError } from "../lib/errors";
import { userQuery } from "../lib/functions";
import { requireOrgAccess } from "../lib/orgAccess";

/** Why: one screen of history for the console. */
const MAX_LIMIT = 200;

/** The org's latest audit entries (org admins). */
export const list = userQuery({
  args: { orgId: v.id("orgs"), limit: v.optional(v.number()) },
  returns: v.array(
    v.object({
      at: v.number(),
      action: v.string(),
      outcome: v.string(),
      actorName: v.optional(v.string()),
      operator: v.optional(v.string()),
      reason: v.optional(v.string()),
      detail: v.optional(v.string()),
    }),
  ),
  handler: async (ctx, { orgId, limit = 50 }) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw appError("VALIDATION_ERROR", `limit must be an integer in 1–${MAX_LIMIT}`);
    await requireOrgAccess(ctx, ctx.user._id, orgId, "admin");
    const rows = await ctx.db
      .query("auditLog")
      .withIndex("by_org_at", (q) => q.eq("orgId", orgId))
      .order("desc")
      .take(limit);
    const out = [];
    for (const r of rows) {
      const actor = r.actorId ? await ctx.db.get("users", r.actorId) : null;
      out.push({
        at: r.at,
        action: r.action,
        outcome: r.outcome,
        ...(actor ? { actorName: actor.name } : {}),
        ...(r.operator !== undefined ? { operator: r.operator } : {}),
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        ...(r.detail !== undefined ? { detail: r.detail } : {}),
      });
    }
    return out;
  },
});
