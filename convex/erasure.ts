/**
 * Erasing a person (issue 18): the person themself (`eraseMe`, with a typed
 * confirmation) or an operator holding `CONNVO_ADMIN_TOKEN` (`eraseUser`,
 * named and reasoned in the audit log). Both start the bounded,
 * self-rescheduling run of `convex/erasure/run.ts`; `status` follows it.
 * Nobody else can erase a person: there is no user argument on `eraseMe`.
 */
import { v } from "convex/values";
import { mutation } from "./_generated/server";
import { startErasure } from "./erasure/run";
import { operatorNote, writeAudit } from "./lib/audit";
import { appError } from "./lib/errors";
import { userMutation, userQuery } from "./lib/functions";
import { requireOperator } from "./projections";
import { erasurePhase } from "./tables/privacy";

/** What the person types to confirm (the web app shows it). */
export const ERASE_CONFIRMATION = "erase my data";

const started = v.object({ erasureId: v.id("erasures") });

/** Erase the caller: profile, personal insights, their notes text, transcript and chat, keys. */
export const eraseMe = userMutation({
  args: { confirm: v.string() },
  returns: started,
  handler: async (ctx, { confirm }) => {
    if (confirm.trim().toLowerCase() !== ERASE_CONFIRMATION)
      throw appError("VALIDATION_ERROR", `type "${ERASE_CONFIRMATION}" to confirm the erasure`);
    const now = Date.now();
    const erasureId = await startErasure(ctx, ctx.user._id, "self", now);
    await writeAudit(ctx, {
      action: "user.erase",
      outcome: "transition",
      actorId: ctx.user._id,
      detail: "erasure requested by the person",
    });
    return { erasureId };
  },
});

/** Erase any person (operator token; operator and reason audited). */
export const eraseUser = mutation({
  args: { adminToken: v.string(), userId: v.id("users"), operator: v.string(), reason: v.string() },
  returns: started,
  handler: async (ctx, { adminToken, userId, ...note }) => {
    requireOperator(adminToken);
    const { operator, reason } = operatorNote(note.operator, note.reason);
    if (!(await ctx.db.get("users", userId))) throw appError("NOT_FOUND", "no such user");
    const erasureId = await startErasure(ctx, userId, `operator:${operator}`, Date.now());
    await writeAudit(ctx, {
      action: "user.erase",
      outcome: "admin",
      actorId: userId,
      operator,
      reason,
    });
    return { erasureId };
  },
});

/** Where the caller's erasure stands (null before any). */
export const status = userQuery({
  args: {},
  returns: v.union(
    v.null(),
    v.object({
      phase: erasurePhase,
      meetingsDone: v.number(),
      rowsChanged: v.number(),
      startedAt: v.number(),
      finishedAt: v.optional(v.number()),
      lastError: v.optional(v.string()),
    }),
  ),
  handler: async (ctx) => {
    const e = await ctx.db
      .query("erasures")
      .withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
      .first();
    if (!e) return null;
    const { phase, meetingsDone, rowsChanged, startedAt, finishedAt, lastError } = e;
    return { phase, meetingsDone, rowsChanged, startedAt, finishedAt, lastError };
  },
});
