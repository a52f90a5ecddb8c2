/**
 * "Download my data" (issue 18): everything the service holds about the
 * caller, as one JSON file — profile and interests, meetings (with their
 * role), what they said (transcript turns), wrote in chat and wrote in the
 * notes (text still in the document from their Yjs client ids), their
 * insights, connections and direct messages. The action reads page by page
 * through internal queries (each bounded), stores the file in Convex storage
 * and returns a download URL; the file is deleted after
 * {@link EXPORT_TTL_MS}. A person's own contributions are exported even from
 * meetings they were removed from (it is their data).
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { type ChatMessage, evolveChat, upcastChatEvent } from "../projections/events/chat";
import { authoredBlocks } from "../projections/export/authored";
import { NOTES_FRAGMENT } from "../projections/meetingNotes/document";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { type ActionCtx, internalMutation, internalQuery } from "./_generated/server";
import { appError } from "./lib/errors";
import { discardExport } from "./lib/exportFiles";
import { userAction } from "./lib/functions";
import { openChatRow, openMessageRow } from "./lib/personalData";
import { loadNotesDoc } from "./notes/state";
import { readVersionOf } from "./projectors/control";

/** Why: the file holds personal data; an hour is enough to download it, then it goes. */
export const EXPORT_TTL_MS = 60 * 60_000;
/** Why: page sizes keep every internal query far below Convex's read limits. */
const PAGE = 200;
/** Why: a person's notes client ids in one meeting (one per device/tab session). */
const MAX_CLIENTS = 1000;

const userArg = { userId: v.id("users") };
const pageArgs = { ...userArg, paginationOpts: paginationOptsValidator };

/** Profile, account and interests. */
export const profilePart = internalQuery({
  args: userArg,
  handler: async (ctx, { userId }) => {
    const user = await ctx.db.get("users", userId);
    const profile = await ctx.db
      .query("profiles")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique();
    const interests = await ctx.db
      .query("userInterests")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .take(PAGE);
    return {
      account: user && {
        name: user.name,
        email: user.email ?? null,
        emailVerified: user.emailVerified ?? false,
        orgId: user.orgId ?? null,
        createdAt: user.createdAt,
      },
      profile: profile && { ...profile, _id: undefined, userId: undefined },
      interests: interests.map((i) => i.interestKey),
    };
  },
});

/** The caller's meetings (any status, removed included), a page at a time. */
export const meetingsPage = internalQuery({
  args: pageArgs,
  handler: async (ctx, { userId, paginationOpts }) => {
    const page = await ctx.db
      .query("participants")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .paginate(paginationOpts);
    const items = [];
    for (const p of page.page) {
      const m = await ctx.db.get("meetings", p.meetingId);
      if (!m) continue;
      items.push({
        meetingId: m._id,
        title: m.title,
        status: m.status,
        scheduledAt: m.scheduledAt,
        startedAt: m.startedAt ?? null,
        endedAt: m.endedAt ?? null,
        role: p.role,
        participation: p.status,
      });
    }
    return { ...page, page: items };
  },
});

/** Turns the person spoke in one meeting, a page of segments at a time. */
export const spokenPage = internalQuery({
  args: { ...pageArgs, meetingId: v.id("meetings") },
  handler: async (ctx, { userId, meetingId, paginationOpts }) => {
    const version = await readVersionOf(ctx, "transcriptSegments");
    const page = await ctx.db
      .query("transcriptSegments")
      .withIndex("by_meeting_version_index", (q) =>
        q.eq("meetingId", meetingId).eq("version", version),
      )
      .paginate(paginationOpts);
    const turns = page.page
      .filter((s) => s.speakerId === userId)
      .map((s) => ({
        at: s.firstAt,
        text: s.utterances
          .filter((u) => u.isFinal)
          .map((u) => u.text)
          .join(" "),
      }))
      .filter((t) => t.text.trim().length > 0);
    return { ...page, page: turns };
  },
});

/** Chat messages the person wrote in one meeting (as they stand now), a page of events at a time. */
export const chatPage = internalQuery({
  args: { ...pageArgs, meetingId: v.id("meetings") },
  handler: async (ctx, { userId, meetingId, paginationOpts }) => {
    const page = await ctx.db
      .query("chatEvents")
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
      .paginate(paginationOpts);
    const events = [];
    for (const r of page.page)
      if (r.authorId === userId) events.push(upcastChatEvent(await openChatRow(ctx, r)));
    return { ...page, page: events };
  },
});

/** Notes text the person wrote that is still in the meeting's document, and their insights. */
export const notesAndInsights = internalQuery({
  args: { ...userArg, meetingId: v.id("meetings") },
  handler: async (ctx, { userId, meetingId }) => {
    const clients = await ctx.db
      .query("noteClients")
      .withIndex("by_meeting_actor", (q) => q.eq("meetingId", meetingId).eq("actor", userId))
      .take(MAX_CLIENTS);
    let notes: string[] = [];
    let notesComplete = true;
    if (clients.length > 0) {
      const { doc, done } = await loadNotesDoc(ctx, meetingId);
      notes = authoredBlocks(doc, NOTES_FRAGMENT, new Set(clients.map((c) => c.clientId)));
      notesComplete = done;
      doc.destroy();
    }
    const version = await readVersionOf(ctx, "insights");
    const insights = await ctx.db
      .query("insights")
      .withIndex("by_meeting_version_user", (q) =>
        q.eq("meetingId", meetingId).eq("version", version).eq("userId", userId),
      )
      .unique();
    return {
      notes,
      notesComplete,
      insights: insights && { ...insights, _id: undefined, meetingId: undefined },
    };
  },
});

/** Connection rows where the person is `lo` or `hi`. */
export const connectionsPage = internalQuery({
  args: { ...pageArgs, side: v.union(v.literal("lo"), v.literal("hi")) },
  handler: async (ctx, { userId, side, paginationOpts }) => {
    const q =
      side === "lo"
        ? ctx.db.query("connections").withIndex("by_lo_status", (r) => r.eq("lo", userId))
        : ctx.db.query("connections").withIndex("by_hi_status", (r) => r.eq("hi", userId));
    const page = await q.paginate(paginationOpts);
    const items = [];
    for (const c of page.page) {
      const other = await ctx.db.get("users", side === "lo" ? c.hi : c.lo);
      items.push({
        with: other?.name ?? "Someone",
        status: c.status,
        requestedByMe: c.requester === userId,
        note: c.note ?? null,
        createdAt: c.createdAt,
      });
    }
    return { ...page, page: items };
  },
});

/** Direct-message threads where the person is `lo` or `hi`. */
export const threadsPage = internalQuery({
  args: { ...pageArgs, side: v.union(v.literal("lo"), v.literal("hi")) },
  handler: async (ctx, { userId, side, paginationOpts }) => {
    const q =
      side === "lo"
        ? ctx.db.query("dmThreads").withIndex("by_lo_last", (r) => r.eq("lo", userId))
        : ctx.db.query("dmThreads").withIndex("by_hi_last", (r) => r.eq("hi", userId));
    const page = await q.paginate(paginationOpts);
    const items = [];
    for (const t of page.page) {
      const other = await ctx.db.get("users", side === "lo" ? t.hi : t.lo);
      items.push({ threadId: t._id, with: other?.name ?? "Someone" });
    }
    return { ...page, page: items };
  },
});

/** Messages of one thread (the caller is one of its two people). */
export const messagesPage = internalQuery({
  args: { ...pageArgs, threadId: v.id("dmThreads") },
  handler: async (ctx, { userId, threadId, paginationOpts }) => {
    const t = await ctx.db.get("dmThreads", threadId);
    if (!t || (t.lo !== userId && t.hi !== userId))
      return { page: [], isDone: true, continueCursor: "" };
    const page = await ctx.db
      .query("directMessages")
      .withIndex("by_thread", (q) => q.eq("threadId", threadId))
      .paginate(paginationOpts);
    return {
      ...page,
      page: await Promise.all(
        page.page.map(async (row) => {
          const m = await openMessageRow(ctx, row);
          return { fromMe: m.from === userId, text: m.text, at: m.at };
        }),
      ),
    };
  },
});

/** Delete an export file (and its row) once its time is up. */
export const discard = internalMutation({
  args: { storageId: v.id("_storage") },
  returns: v.null(),
  handler: async (ctx, { storageId }) => {
    await discardExport(ctx, storageId);
    return null;
  },
});

/**
 * Record a file `mine` just stored and schedule its deletion. A person whose erasure has
 * started gets no export: the file is deleted at once (the erasure may already have passed
 * the stage that deletes their exports).
 */
export const recordExport = internalMutation({
  args: { userId: v.id("users"), storageId: v.id("_storage"), expiresAt: v.number() },
  returns: v.boolean(),
  handler: async (ctx, { userId, storageId, expiresAt }) => {
    const user = await ctx.db.get("users", userId);
    if (!user || user.erasedAt !== undefined) {
      // Returned, not thrown: a throw would roll the deletion back with the rest.
      await ctx.storage.delete(storageId);
      return false;
    }
    await ctx.db.insert("dataExports", { userId, storageId, expiresAt });
    await ctx.scheduler.runAt(expiresAt, internal.exportData.discard, { storageId });
    return true;
  },
});

type Page<T> = { page: T[]; isDone: boolean; continueCursor: string };

/** Every item of a paginated internal query. */
async function all<T>(read: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: Page<T> = await read(cursor);
    out.push(...page.page);
    if (page.isDone) return out;
    cursor = page.continueCursor;
  }
}

/** Gather the person's data (exported for tests of the shape). */
export async function gatherData(ctx: ActionCtx, userId: Id<"users">) {
  const opts = (cursor: string | null) => ({ numItems: PAGE, cursor });
  const profile = await ctx.runQuery(internal.exportData.profilePart, { userId });
  const meetings = await all((c) =>
    ctx.runQuery(internal.exportData.meetingsPage, { userId, paginationOpts: opts(c) }),
  );
  const perMeeting = [];
  for (const m of meetings) {
    const spoken = await all((c) =>
      ctx.runQuery(internal.exportData.spokenPage, {
        userId,
        meetingId: m.meetingId,
        paginationOpts: opts(c),
      }),
    );
    const chatEvents = await all((c) =>
      ctx.runQuery(internal.exportData.chatPage, {
        userId,
        meetingId: m.meetingId,
        paginationOpts: opts(c),
      }),
    );
    const chat = [...chatEvents.reduce(evolveChat, new Map<string, ChatMessage>()).values()]
      .filter((x) => !x.deleted)
      .map((x) => ({ text: x.text, postedAt: x.postedAt, editedAt: x.editedAt ?? null }));
    const rest = await ctx.runQuery(internal.exportData.notesAndInsights, {
      userId,
      meetingId: m.meetingId,
    });
    perMeeting.push({ ...m, transcript: spoken, chat, ...rest });
  }
  const connections = [];
  const threads = [];
  for (const side of ["lo", "hi"] as const) {
    connections.push(
      ...(await all((c) =>
        ctx.runQuery(internal.exportData.connectionsPage, {
          userId,
          side,
          paginationOpts: opts(c),
        }),
      )),
    );
    threads.push(
      ...(await all((c) =>
        ctx.runQuery(internal.exportData.threadsPage, { userId, side, paginationOpts: opts(c) }),
      )),
    );
  }
  const directMessages = [];
  for (const t of threads) {
    const messages = await all((c) =>
      ctx.runQuery(internal.exportData.messagesPage, {
        userId,
        threadId: t.threadId,
        paginationOpts: opts(c),
      }),
    );
    directMessages.push({ with: t.with, messages });
  }
  return { ...profile, meetings: perMeeting, connections, directMessages };
}

/** Export all of the caller's data as a JSON file; answers a download URL valid for an hour. */
export const mine = userAction({
  args: {},
  returns: v.object({
    url: v.string(),
    storageId: v.id("_storage"),
    bytes: v.number(),
    expiresAt: v.number(),
  }),
  handler: async (
    ctx,
  ): Promise<{ url: string; storageId: Id<"_storage">; bytes: number; expiresAt: number }> => {
    const exportedAt = Date.now();
    const data: Record<string, unknown> = await gatherData(ctx, ctx.user._id);
    const json = JSON.stringify({ format: "connvo-export@1", exportedAt, ...data }, null, 2);
    const blob = new Blob([json], { type: "application/json" });
    const storageId = await ctx.storage.store(blob);
    const expiresAt = exportedAt + EXPORT_TTL_MS;
    const kept = await ctx.runMutation(internal.exportData.recordExport, {
      userId: ctx.user._id,
      storageId,
      expiresAt,
    });
    if (!kept)
      throw appError("CONFLICT", "your data is being erased: there is nothing left to export");
    const url = await ctx.storage.getUrl(storageId);
    if (!url) throw new Error("storage did not return a URL for a file it just stored");
    return { url, storageId, bytes: blob.size, expiresAt };
  },
});
