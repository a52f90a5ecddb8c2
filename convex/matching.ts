/**
 * "Meet someone" (issue 17): the matching queue, proposals and the block and
 * do-not-match lists. Identity only from the token; a person sees and
 * changes only their own entry, the proposals they are part of, and their
 * own lists. Mutations answer `{ok: true, …}` or a coded refusal (rate-limit
 * tokens and audit rows stay); queries throw coded errors.
 *
 * State machine of a queue entry: (none|left|expired|matched) --enter-->
 * waiting --cycle--> proposed --both accept--> matched (meeting scheduled);
 * proposed --decline/expiry/cancel--> waiting (same place in line);
 * waiting|proposed --leave--> left; waiting --window closes--> expired.
 */
import { v } from "convex/values";
import { normalizeQueueInput } from "../projections/matching/queueInput";
import { ratingLabel } from "../projections/matching/weights";
import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import { servingMeta } from "./embeddings/meta";
import { syncPools } from "./embeddings/pool";
import { requestEmbedding } from "./embeddings/request";
import { writeAudit } from "./lib/audit";
import { flagOn } from "./lib/flags";
import { userMutation, userQuery } from "./lib/functions";
import { spend } from "./lib/rateLimits";
import { refused, resultValidator } from "./lib/results";
import { kickCycle } from "./matching/cycle";
import { entryOf, patchEntry, shardOf } from "./matching/entries";
import { endProposal, proposalView, sideOf, toProposalView } from "./matching/proposals";
import { answer } from "./matching/respond";
import { bumpHistory, recordOutcome } from "./matching/state";
import {
  loadInterestKeys,
  loadProfile,
  matchCardOf,
  personCard,
  personCardOf,
} from "./profiles/views";
import { removeConnectionBetween } from "./social/connectionRows";
import { matchConstraints, queueStatus, timeWindow } from "./tables/matching";
import { orgConstraintValidator, roleValidator } from "./tables/profileFields";

/** Why 10: the "meet someone" page lists recent proposals to answer or rate, not a history. */
export const RECENT_PROPOSALS = 10;
/** Why 200: a block list longer than a page is managed by search, not by listing. */
export const BLOCKS_PAGE = 200;
/** Why 1,000 characters: a comment is a sentence or two about one meeting. */
export const MAX_COMMENT = 1_000;

const entryView = v.object({
  status: queueStatus,
  window: timeWindow,
  durationMinutes: v.number(),
  constraints: matchConstraints,
  waitingSince: v.number(),
  expiresAt: v.number(),
});

async function recentProposals(ctx: QueryCtx, userId: Id<"users">) {
  const asA = await ctx.db
    .query("matchProposals")
    .withIndex("by_a_created", (q) => q.eq("a", userId))
    .order("desc")
    .take(RECENT_PROPOSALS);
  const asB = await ctx.db
    .query("matchProposals")
    .withIndex("by_b_created", (q) => q.eq("b", userId))
    .order("desc")
    .take(RECENT_PROPOSALS);
  return [...asA, ...asB].sort((x, y) => y.createdAt - x.createdAt).slice(0, RECENT_PROPOSALS);
}

/** The caller's queue entry, current proposal (with reasons) and recent proposals. Reactive. */
export const status = userQuery({
  args: {},
  returns: v.object({
    /** The `matching` flag for the caller: off, the queue refuses them (their history still shows). */
    enabled: v.boolean(),
    entry: v.union(entryView, v.null()),
    proposal: v.union(proposalView, v.null()),
    recent: v.array(proposalView),
  }),
  handler: async (ctx) => {
    const enabled = await flagOn(ctx, "matching", String(ctx.user._id));
    const e = await entryOf(ctx, ctx.user._id);
    const current =
      e?.status === "proposed" && e.proposalId
        ? await ctx.db.get("matchProposals", e.proposalId)
        : null;
    const recent = [];
    for (const p of await recentProposals(ctx, ctx.user._id))
      if (p._id !== current?._id) recent.push(await toProposalView(ctx, p, ctx.user._id));
    return {
      enabled,
      entry: e
        ? {
            status: e.status,
            window: e.window,
            durationMinutes: e.durationMinutes,
            constraints: e.constraints,
            waitingSince: e.waitingSince,
            expiresAt: e.expiresAt,
          }
        : null,
      proposal: current ? await toProposalView(ctx, current, ctx.user._id) : null,
      recent,
    };
  },
});

/** Enter the queue (or change a waiting entry's window and constraints; the place in line stays). */
export const enter = userMutation({
  args: {
    window: timeWindow,
    durationMinutes: v.number(),
    constraints: v.optional(
      v.object({
        interests: v.optional(v.array(v.string())),
        roles: v.optional(v.array(roleValidator)),
        languages: v.optional(v.array(v.string())),
        org: v.optional(orgConstraintValidator),
        allowRepeat: v.optional(v.boolean()),
      }),
    ),
  },
  returns: resultValidator({ status: queueStatus }),
  handler: async (ctx, args) => {
    const limited = await spend(ctx, "matchingCommands", ctx.user);
    if (!limited.ok) return limited;
    if (!(await flagOn(ctx, "matching", String(ctx.user._id))))
      return refused("FORBIDDEN", "matching is turned off for you on this deployment");
    const now = Date.now();
    const input = normalizeQueueInput(args, now);
    if (!input.ok) return refused("VALIDATION_ERROR", input.message);
    const profile = await loadProfile(ctx, ctx.user._id);
    if (!profile?.onboardedAt)
      return refused("VALIDATION_ERROR", "finish your profile first: matching needs it");
    const existing = await entryOf(ctx, ctx.user._id);
    if (existing?.status === "proposed")
      return refused("CONFLICT", "you have a proposal waiting for your answer: answer it first");
    const card = matchCardOf(ctx.user, profile, await loadInterestKeys(ctx, ctx.user._id));
    const fields = {
      status: "waiting" as const,
      card,
      constraints: input.constraints,
      window: input.window,
      durationMinutes: input.durationMinutes,
      expiresAt: input.expiresAt,
      proposalId: undefined,
    };
    if (existing)
      await patchEntry(ctx, existing, {
        ...fields,
        waitingSince: existing.status === "waiting" ? existing.waitingSince : now,
      });
    else {
      const id = await ctx.db.insert("matchQueue", {
        ...fields,
        userId: ctx.user._id,
        waitingSince: now,
        shard: shardOf(ctx.user._id),
        updatedAt: now,
      });
      await syncPools(ctx, ctx.user._id, await ctx.db.get("matchQueue", id));
    }
    const serving = await servingMeta(ctx);
    const vector = serving
      ? await ctx.db
          .query("embeddings")
          .withIndex("by_user_model", (q) =>
            q.eq("userId", ctx.user._id).eq("modelKey", serving.modelKey),
          )
          .unique()
      : null;
    // With a vector they can be matched now; without one, storing it kicks the cycle.
    if (vector) await kickCycle(ctx, now, "enter");
    else await requestEmbedding(ctx, ctx.user._id, 0);
    return { ok: true as const, status: "waiting" as const };
  },
});

/** Leave the queue; a pending proposal is cancelled (the other person goes back to the queue). */
export const leave = userMutation({
  args: {},
  returns: resultValidator({}),
  handler: async (ctx) => {
    const limited = await spend(ctx, "matchingCommands", ctx.user);
    if (!limited.ok) return limited;
    const now = Date.now();
    const e = await entryOf(ctx, ctx.user._id);
    if (!e || (e.status !== "waiting" && e.status !== "proposed")) return { ok: true as const };
    if (e.status === "proposed" && e.proposalId) {
      const p = await ctx.db.get("matchProposals", e.proposalId);
      if (p) await endProposal(ctx, p, "cancelled", ctx.user._id, now);
    }
    const fresh = (await entryOf(ctx, ctx.user._id))!;
    await patchEntry(ctx, fresh, { status: "left", proposalId: undefined });
    return { ok: true as const };
  },
});

/** Accept or decline a proposal the caller is part of. */
export const respond = userMutation({
  args: { proposalId: v.id("matchProposals"), accept: v.boolean() },
  returns: resultValidator({
    status: v.union(
      v.literal("pending"),
      v.literal("accepted"),
      v.literal("declined"),
      v.literal("expired"),
      v.literal("cancelled"),
    ),
    meetingId: v.union(v.id("meetings"), v.null()),
  }),
  handler: async (ctx, { proposalId, accept }) => {
    const limited = await spend(ctx, "matchingCommands", ctx.user);
    if (!limited.ok) return limited;
    const p = await ctx.db.get("matchProposals", proposalId);
    const r = await answer(ctx, ctx.user._id, p, accept, Date.now());
    if (!r.ok && r.code === "FORBIDDEN")
      await writeAudit(ctx, {
        action: "match.Respond",
        outcome: "denied",
        actorId: ctx.user._id,
        code: r.code,
      });
    return r;
  },
});

/** Rate an accepted proposal's meeting (1–5, optional comment); once per person. */
export const rate = userMutation({
  args: { proposalId: v.id("matchProposals"), rating: v.number(), comment: v.optional(v.string()) },
  returns: resultValidator({}),
  handler: async (ctx, { proposalId, rating, comment }) => {
    const limited = await spend(ctx, "matchingCommands", ctx.user);
    if (!limited.ok) return limited;
    const p = await ctx.db.get("matchProposals", proposalId);
    if (!p) return refused("NOT_FOUND", "no such proposal");
    if (!sideOf(p, ctx.user._id)) return refused("FORBIDDEN", "this proposal is not yours");
    if (p.status !== "accepted")
      return refused("CONFLICT", "only a proposal that became a meeting can be rated");
    if (!Number.isInteger(rating) || rating < 1 || rating > 5)
      return refused("VALIDATION_ERROR", "rating must be a whole number from 1 to 5");
    const text = comment?.trim();
    if (text !== undefined && text.length > MAX_COMMENT)
      return refused("VALIDATION_ERROR", `comment must be at most ${MAX_COMMENT} characters`);
    const prior = await ctx.db
      .query("matchOutcomes")
      .withIndex("by_proposal_by", (q) => q.eq("proposalId", p._id).eq("by", ctx.user._id))
      .first();
    if (prior) return refused("CONFLICT", "you already rated this meeting");
    const now = Date.now();
    await recordOutcome(
      ctx,
      p,
      {
        kind: "rating",
        outcome: p.status,
        by: ctx.user._id,
        rating,
        comment: text || undefined,
        label: ratingLabel(rating),
      },
      now,
    );
    await bumpHistory(ctx, p.a, p.b, { rating }, now);
    return { ok: true as const };
  },
});

async function cancelProposalsBetween(
  ctx: MutationCtx,
  me: Id<"users">,
  other: Id<"users">,
  now: number,
) {
  const e = await entryOf(ctx, me);
  if (e?.status !== "proposed" || !e.proposalId) return;
  const p = await ctx.db.get("matchProposals", e.proposalId);
  if (p && p.status === "pending" && (p.a === other || p.b === other))
    await endProposal(ctx, p, "cancelled", me, now);
}

const blockKind = v.union(v.literal("block"), v.literal("doNotMatch"));

/**
 * Put someone on the caller's block list (no matching, connection, messages
 * or profile view either way; an existing connection is removed) or
 * do-not-match list (matching only). A pending proposal between them ends.
 */
export const block = userMutation({
  args: { userId: v.id("users"), kind: blockKind },
  returns: resultValidator({}),
  handler: async (ctx, { userId, kind }) => {
    const limited = await spend(ctx, "matchingCommands", ctx.user);
    if (!limited.ok) return limited;
    if (userId === ctx.user._id) return refused("VALIDATION_ERROR", "you cannot block yourself");
    if (!(await ctx.db.get("users", userId))) return refused("NOT_FOUND", "no such person");
    const now = Date.now();
    const rows = await ctx.db
      .query("matchBlocks")
      .withIndex("by_user_other", (q) => q.eq("userId", ctx.user._id).eq("otherId", userId))
      .take(2);
    if (!rows.some((r) => r.kind === kind))
      await ctx.db.insert("matchBlocks", {
        userId: ctx.user._id,
        otherId: userId,
        kind,
        createdAt: now,
      });
    await cancelProposalsBetween(ctx, ctx.user._id, userId, now);
    if (kind === "block") await removeConnectionBetween(ctx, ctx.user._id, userId);
    await writeAudit(
      ctx,
      {
        action: `match.${kind === "block" ? "Block" : "DoNotMatch"}`,
        outcome: "transition",
        actorId: ctx.user._id,
      },
      now,
    );
    return { ok: true as const };
  },
});

/** Take someone off one of the caller's lists. */
export const unblock = userMutation({
  args: { userId: v.id("users"), kind: blockKind },
  returns: resultValidator({}),
  handler: async (ctx, { userId, kind }) => {
    const limited = await spend(ctx, "matchingCommands", ctx.user);
    if (!limited.ok) return limited;
    const rows = await ctx.db
      .query("matchBlocks")
      .withIndex("by_user_other", (q) => q.eq("userId", ctx.user._id).eq("otherId", userId))
      .take(2);
    for (const r of rows) if (r.kind === kind) await ctx.db.delete("matchBlocks", r._id);
    return { ok: true as const };
  },
});

/** The caller's block and do-not-match lists. */
export const blocks = userQuery({
  args: {},
  returns: v.array(v.object({ person: personCard, kind: blockKind, createdAt: v.number() })),
  handler: async (ctx) => {
    const rows: Doc<"matchBlocks">[] = await ctx.db
      .query("matchBlocks")
      .withIndex("by_user_other", (q) => q.eq("userId", ctx.user._id))
      .take(BLOCKS_PAGE);
    const out = [];
    for (const r of rows) {
      const person = await personCardOf(ctx, r.otherId);
      if (person) out.push({ person, kind: r.kind, createdAt: r.createdAt });
    }
    return out;
  },
});
