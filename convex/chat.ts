/**
 * Chat per meeting as events (`chatEvents`): post (with reply-to), edit,
 * delete. Writers need "write" access and a scheduled or live meeting;
 * posts and edits spend `chatMessages` tokens (keyed on the identity).
 * Refusals are coded results with an audit row for authorization denials.
 * A message's id is its post's idempotency key, scoped to the author.
 */
import { v } from "convex/values";
import {
  type ChatEvent,
  type ChatMessage,
  evolveChat,
  toStoredChatEvent,
  upcastChatEvent,
} from "../projections/events/chat";
import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import { checkMeetingAccess, requireMeetingAccess } from "./lib/access";
import { writeAudit } from "./lib/audit";
import { appError } from "./lib/errors";
import { appendEvent, CLIENT_KEY_MAX } from "./lib/events";
import { userMutation, userQuery } from "./lib/functions";
import { openChatRow } from "./lib/personalData";
import { spend } from "./lib/rateLimits";
import { type Refused, refused, resultValidator } from "./lib/results";
import { kickProjectors } from "./projectors/kick";

/** Why: a chat line, not a document; notes are for long text. */
export const MAX_MESSAGE_LENGTH = 4000;
/** Why: the chat pane shows recent history; 200 keeps one query small. */
export const MAX_LIST_LIMIT = 200;
/** Why: edits per message are few; this bounds the per-message read. */
const MAX_EVENTS_PER_MESSAGE = 50;

type Writer = MutationCtx & { user: Doc<"users"> };

async function writeAccess(
  ctx: Writer,
  meetingId: Id<"meetings">,
  action: string,
): Promise<Refused | null> {
  const access = await checkMeetingAccess(ctx, meetingId, "write");
  let r: Refused | null = null;
  if (!access.ok) r = refused(access.code, access.message);
  else if (access.meeting.status !== "scheduled" && access.meeting.status !== "active")
    r = refused("MEETING_NOT_ACTIVE", `chat is closed: the meeting is ${access.meeting.status}`);
  if (r) {
    await writeAudit(ctx, {
      action,
      outcome: "denied",
      actorId: ctx.user._id,
      meetingId,
      code: r.code,
      detail: r.message,
    });
  }
  return r;
}

async function messageEvents(ctx: QueryCtx, meetingId: Id<"meetings">, messageId: string) {
  return await ctx.db
    .query("chatEvents")
    .withIndex("by_meeting_message", (q) => q.eq("meetingId", meetingId).eq("messageId", messageId))
    .take(MAX_EVENTS_PER_MESSAGE);
}

async function toChatEvent(ctx: QueryCtx, row: Doc<"chatEvents">): Promise<ChatEvent> {
  return upcastChatEvent(await openChatRow(ctx, row));
}

async function currentMessage(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  messageId: string,
): Promise<ChatMessage | null> {
  const rows = await messageEvents(ctx, meetingId, messageId);
  const events = [];
  for (const r of rows) events.push(await toChatEvent(ctx, r));
  return events.reduce(evolveChat, new Map<string, ChatMessage>()).get(messageId) ?? null;
}

function checkText(text: string): Refused | null {
  return text.trim().length === 0 || text.length > MAX_MESSAGE_LENGTH
    ? refused("VALIDATION_ERROR", `text must be 1–${MAX_MESSAGE_LENGTH} characters`)
    : null;
}

const sendResult = resultValidator({ messageId: v.string(), duplicate: v.boolean() });

/** Post a message (optionally replying to one). A retry with the same key posts nothing new. */
export const send = userMutation({
  args: {
    meetingId: v.id("meetings"),
    text: v.string(),
    replyTo: v.optional(v.string()),
    idempotencyKey: v.string(),
  },
  returns: sendResult,
  handler: async (ctx, { meetingId, text, replyTo, idempotencyKey }) => {
    const limited = await spend(ctx, "chatMessages", ctx.user);
    if (!limited.ok) return limited;
    const denied = await writeAccess(ctx, meetingId, "chat.send");
    if (denied) return denied;
    const bad = checkText(text);
    if (bad) return bad;
    if (idempotencyKey.length === 0 || idempotencyKey.length > CLIENT_KEY_MAX)
      return refused("VALIDATION_ERROR", `idempotencyKey must be 1–${CLIENT_KEY_MAX} characters`);
    if (replyTo !== undefined && !(await currentMessage(ctx, meetingId, replyTo)))
      return refused("NOT_FOUND", "the message you reply to does not exist in this meeting");
    const messageId = `${ctx.user._id}:${idempotencyKey}`;
    const posted: ChatEvent = {
      type: "MessagePosted",
      at: Date.now(),
      messageId,
      authorId: ctx.user._id,
      text,
      ...(replyTo === undefined ? {} : { replyTo }),
    };
    const r = await appendEvent(
      ctx,
      "chatEvents",
      { meetingId, actor: ctx.user._id, idempotencyKey: messageId, ...toStoredChatEvent(posted) },
      kickProjectors,
    );
    return { ok: true as const, messageId, duplicate: r.duplicate };
  },
});

const changeResult = resultValidator({ duplicate: v.boolean() });

async function change(
  ctx: Writer,
  args: { meetingId: Id<"meetings">; messageId: string; idempotencyKey?: string },
  kind: "MessageEdited" | "MessageDeleted",
  text?: string,
) {
  const action = kind === "MessageEdited" ? "chat.edit" : "chat.delete";
  const denied = await writeAccess(ctx, args.meetingId, action);
  if (denied) return denied;
  const message = await currentMessage(ctx, args.meetingId, args.messageId);
  if (!message || message.deleted) return refused("NOT_FOUND", "no such message");
  let mayModerate = false;
  if (kind === "MessageDeleted") {
    const access = await checkMeetingAccess(ctx, args.meetingId, "host");
    mayModerate = access.ok;
  }
  if (message.authorId !== ctx.user._id && !mayModerate) {
    const r = refused("FORBIDDEN", "only the author can change this message");
    await writeAudit(ctx, {
      action,
      outcome: "denied",
      actorId: ctx.user._id,
      meetingId: args.meetingId,
      code: r.code,
      detail: r.message,
    });
    return r;
  }
  const key = args.idempotencyKey ?? crypto.randomUUID();
  const base = { at: Date.now(), messageId: args.messageId, authorId: message.authorId };
  const event: ChatEvent =
    kind === "MessageEdited"
      ? { type: kind, ...base, text: text ?? "" }
      : { type: "MessageDeleted", ...base };
  const r = await appendEvent(
    ctx,
    "chatEvents",
    {
      meetingId: args.meetingId,
      actor: ctx.user._id,
      idempotencyKey: `${ctx.user._id}:${key}`,
      ...toStoredChatEvent(event),
    },
    kickProjectors,
  );
  return { ok: true as const, duplicate: r.duplicate };
}

/** Edit your own message. */
export const edit = userMutation({
  args: {
    meetingId: v.id("meetings"),
    messageId: v.string(),
    text: v.string(),
    idempotencyKey: v.optional(v.string()),
  },
  returns: changeResult,
  handler: async (ctx, { text, ...args }) => {
    const limited = await spend(ctx, "chatMessages", ctx.user);
    if (!limited.ok) return limited;
    const bad = checkText(text);
    if (bad) return bad;
    return await change(ctx, args, "MessageEdited", text);
  },
});

/** Delete your own message (hosts and co-hosts may delete any). */
export const remove = userMutation({
  args: {
    meetingId: v.id("meetings"),
    messageId: v.string(),
    idempotencyKey: v.optional(v.string()),
  },
  returns: changeResult,
  handler: async (ctx, args) => await change(ctx, args, "MessageDeleted"),
});

const messageView = v.object({
  _id: v.string(),
  messageId: v.string(),
  authorId: v.string(),
  authorName: v.string(),
  text: v.string(),
  replyTo: v.optional(v.string()),
  sentAt: v.number(),
  editedAt: v.optional(v.number()),
  deleted: v.boolean(),
});

/**
 * The latest `limit` (≤ 200) messages, oldest first, with edits and deletes
 * applied (deleted ones keep their place with empty text). Throws FORBIDDEN
 * at once for a removed participant; MEETING_NOT_ACTIVE once cancelled.
 */
export const list = userQuery({
  args: { meetingId: v.id("meetings"), limit: v.optional(v.number()) },
  returns: v.array(messageView),
  handler: async (ctx, { meetingId, limit = 100 }) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw appError("VALIDATION_ERROR", `limit must be an integer in 1–${MAX_LIST_LIMIT}`);
    }
    await requireMeetingAccess(ctx, meetingId, "read");
    const posts = await ctx.db
      .query("chatEvents")
      .withIndex("by_meeting_kind", (q) => q.eq("meetingId", meetingId).eq("kind", "MessagePosted"))
      .order("desc")
      .take(limit);
    const names = new Map<string, string>();
    const out = [];
    for (const post of posts.reverse()) {
      const m = await currentMessage(ctx, meetingId, post.messageId);
      if (!m) continue;
      let authorName = names.get(m.authorId);
      if (authorName === undefined) {
        const id = ctx.db.normalizeId("users", m.authorId);
        authorName = (id && (await ctx.db.get("users", id))?.name) || "(unknown)";
        names.set(m.authorId, authorName);
      }
      out.push({
        _id: m.messageId,
        messageId: m.messageId,
        authorId: m.authorId,
        authorName,
        text: m.text,
        replyTo: m.replyTo,
        sentAt: m.postedAt,
        editedAt: m.editedAt,
        deleted: m.deleted,
      });
    }
    return out;
  },
});
