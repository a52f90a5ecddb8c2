/**
 * Direct messages between connections (issue 17). Only connected people
 * send (and neither may have blocked the other); only the two people of a
 * thread read it, paginated newest first and reactive (`usePaginatedQuery`).
 * Messages are bounded (2,000 characters, pages of at most 100) and a resent
 * message with the same `clientKey` is stored once.
 */
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import { writeAudit } from "./lib/audit";
import { enqueueMessageWrite } from "./lib/dualWriteSocial";
import { appError } from "./lib/errors";
import { userMutation, userQuery } from "./lib/functions";
import { openMessageRow } from "./lib/personalData";
import { spend } from "./lib/rateLimits";
import { refused, resultValidator } from "./lib/results";
import { blockedEitherWay } from "./matching/blocks";
import { personCard, personCardOf } from "./profiles/views";
import { areConnected, connectionBetween } from "./social/connectionRows";
import { appendDirectMessage, threadBetween } from "./social/messageRows";

/** Why 2,000 characters: a message, not a document (attachments are out of scope). */
export const MAX_MESSAGE = 2_000;
/** Why 100: a screenful and more; larger pages only grow the query's reads. */
export const MAX_PAGE = 100;
/** Why 50: the conversations page shows the latest threads; older ones by search. */
export const THREADS_PAGE = 50;
/** Why 64: a UUID or similar client key, with room for a prefix. */
export const MAX_CLIENT_KEY = 64;

const messageView = v.object({
  _id: v.id("directMessages"),
  from: v.id("users"),
  text: v.string(),
  at: v.number(),
  mine: v.boolean(),
});

/** Send a message to a connection. */
export const send = userMutation({
  args: { to: v.id("users"), text: v.string(), clientKey: v.optional(v.string()) },
  returns: resultValidator({
    messageId: v.id("directMessages"),
    threadId: v.id("dmThreads"),
    duplicate: v.boolean(),
  }),
  handler: async (ctx, { to, text, clientKey }) => {
    const limited = await spend(ctx, "directMessages", ctx.user);
    if (!limited.ok) return limited;
    const me = ctx.user._id;
    const body = text.trim();
    if (body.length === 0 || body.length > MAX_MESSAGE)
      return refused("VALIDATION_ERROR", `a message is 1–${MAX_MESSAGE} characters`);
    if (clientKey !== undefined && (clientKey.length === 0 || clientKey.length > MAX_CLIENT_KEY))
      return refused("VALIDATION_ERROR", `clientKey must be 1–${MAX_CLIENT_KEY} characters`);
    if (clientKey !== undefined) {
      const prior = await ctx.db
        .query("directMessages")
        .withIndex("by_from_key", (q) => q.eq("from", me).eq("clientKey", clientKey))
        .first();
      if (prior)
        return {
          ok: true as const,
          messageId: prior._id,
          threadId: prior.threadId,
          duplicate: true,
        };
    }
    const connection = to === me ? null : await connectionBetween(ctx, me, to);
    if (connection?.status !== "accepted" || (await blockedEitherWay(ctx, me, to, "block"))) {
      await writeAudit(ctx, {
        action: "dm.Send",
        outcome: "denied",
        actorId: me,
        code: "FORBIDDEN",
      });
      return refused("FORBIDDEN", "you can only message your connections");
    }
    const now = Date.now();
    const { messageId, thread } = await appendDirectMessage(ctx, {
      from: me,
      to,
      text: body,
      at: now,
      clientKey,
    });
    await enqueueMessageWrite(
      ctx,
      await openMessageRow(ctx, (await ctx.db.get("directMessages", messageId))!),
      connection,
      now,
    );
    return { ok: true as const, messageId, threadId: thread._id, duplicate: false };
  },
});

function assertParty(thread: Doc<"dmThreads"> | null, me: Id<"users">): Doc<"dmThreads"> {
  if (!thread) throw appError("NOT_FOUND", "no such conversation");
  if (thread.lo !== me && thread.hi !== me)
    throw appError("FORBIDDEN", "this conversation is not yours");
  return thread;
}

/** One thread's messages, newest first (pages of at most 100). Only its two people. */
export const list = userQuery({
  args: { threadId: v.id("dmThreads"), paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(messageView),
  handler: async (ctx, { threadId, paginationOpts }) => {
    const thread = assertParty(await ctx.db.get("dmThreads", threadId), ctx.user._id);
    const page = await ctx.db
      .query("directMessages")
      .withIndex("by_thread", (q) => q.eq("threadId", thread._id))
      .order("desc")
      .paginate({
        ...paginationOpts,
        numItems: Math.max(1, Math.min(MAX_PAGE, paginationOpts.numItems)),
      });
    return {
      ...page,
      page: await Promise.all(
        page.page.map(async (row) => {
          const m = await openMessageRow(ctx, row);
          return {
            _id: m._id,
            from: m.from,
            text: m.text,
            at: m.at,
            mine: m.from === ctx.user._id,
          };
        }),
      ),
    };
  },
});

/** The caller's conversation with one person: its id (null before the first message) and whether they may write. */
export const withPerson = userQuery({
  args: { userId: v.id("users") },
  returns: v.object({
    threadId: v.union(v.id("dmThreads"), v.null()),
    person: v.union(personCard, v.null()),
    canSend: v.boolean(),
  }),
  handler: async (ctx, { userId }) => {
    const me = ctx.user._id;
    const blocked = await blockedEitherWay(ctx, me, userId, "block");
    const thread = userId === me ? null : await threadBetween(ctx, me, userId);
    return {
      threadId: thread?._id ?? null,
      person: blocked ? null : await personCardOf(ctx, userId),
      canSend: userId !== me && !blocked && (await areConnected(ctx, me, userId)),
    };
  },
});

/** The caller's conversations, latest first, with unread flags. */
export const threads = userQuery({
  args: {},
  returns: v.array(
    v.object({
      threadId: v.id("dmThreads"),
      person: personCard,
      lastAt: v.number(),
      lastPreview: v.string(),
      lastFromMe: v.boolean(),
      unread: v.boolean(),
    }),
  ),
  handler: async (ctx) => {
    const me = ctx.user._id;
    const asLo = await ctx.db
      .query("dmThreads")
      .withIndex("by_lo_last", (q) => q.eq("lo", me))
      .order("desc")
      .take(THREADS_PAGE);
    const asHi = await ctx.db
      .query("dmThreads")
      .withIndex("by_hi_last", (q) => q.eq("hi", me))
      .order("desc")
      .take(THREADS_PAGE);
    const out = [];
    for (const t of [...asLo, ...asHi].sort((a, b) => b.lastAt - a.lastAt).slice(0, THREADS_PAGE)) {
      const person = await personCardOf(ctx, t.lo === me ? t.hi : t.lo);
      if (!person) continue;
      const readAt = t.lo === me ? t.loReadAt : t.hiReadAt;
      out.push({
        threadId: t._id,
        person,
        lastAt: t.lastAt,
        lastPreview: t.lastPreview,
        lastFromMe: t.lastFrom === me,
        unread: t.lastFrom !== me && t.lastAt > readAt,
      });
    }
    return out;
  },
});

/** Mark a thread read up to now (the caller's side). */
export const markRead = userMutation({
  args: { threadId: v.id("dmThreads") },
  returns: resultValidator({}),
  handler: async (ctx, { threadId }) => {
    const thread = await ctx.db.get("dmThreads", threadId);
    const me = ctx.user._id;
    if (!thread) return refused("NOT_FOUND", "no such conversation");
    if (thread.lo !== me && thread.hi !== me)
      return refused("FORBIDDEN", "this conversation is not yours");
    const readAt = thread.lo === me ? thread.loReadAt : thread.hiReadAt;
    if (readAt < thread.lastAt)
      await ctx.db.patch(
        "dmThreads",
        thread._id,
        thread.lo === me ? { loReadAt: thread.lastAt } : { hiReadAt: thread.lastAt },
      );
    return { ok: true as const };
  },
});
