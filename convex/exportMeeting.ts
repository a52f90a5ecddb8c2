/**
 * A meeting as Markdown (issue 18): notes (the view's Markdown, rendered
 * from the ProseMirror document), decisions and action items (the caller's
 * insights), and the whole transcript, read page by page so a meeting of
 * any length exports within each query's limits. Members only. A host or
 * co-host can mail the recap to every member with a verified email
 * (`shareRecap`), through the same outbox as invitations (the dev mailbox
 * locally, Resend when configured).
 */
import { type Infer, v } from "convex/values";
import { type MarkdownTurn, meetingMarkdown } from "../projections/export/markdown";
import { MAX_PARTICIPANT_ROWS } from "../projections/lifecycle/decide";
import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import {
  type ActionCtx,
  internalMutation,
  internalQuery,
  type QueryCtx,
} from "./_generated/server";
import { queueRecapMails } from "./invitations/outbox";
import { type AccessNeed, checkMeetingAccess } from "./lib/access";
import { appError } from "./lib/errors";
import { userAction } from "./lib/functions";
import { readVersionOf } from "./projectors/control";

/** Why: 200 segments per page stay well under a query's read limit (segments are < 8 KB each). */
const SEGMENT_PAGE = 200;
/** Why: ~50,000 turns is a very long meeting; past it the export says it stopped (bounds the action). */
const MAX_TURNS = 50_000;

async function access(
  ctx: QueryCtx,
  userId: Id<"users">,
  meetingId: Id<"meetings">,
  need: AccessNeed,
) {
  const user = await ctx.db.get("users", userId);
  if (!user) throw appError("UNAUTHORIZED", "no such user");
  const r = await checkMeetingAccess({ ...ctx, user }, meetingId, need, { allowCancelled: true });
  if (!r.ok) throw appError(r.code, r.message);
  return r;
}

const partsValidator = v.object({
  title: v.string(),
  status: v.string(),
  scheduledAt: v.number(),
  startedAt: v.union(v.number(), v.null()),
  endedAt: v.union(v.number(), v.null()),
  people: v.array(v.object({ name: v.string(), role: v.string() })),
  notesMarkdown: v.string(),
  summary: v.union(v.string(), v.null()),
  decisions: v.array(v.string()),
  actionItems: v.array(
    v.object({
      text: v.string(),
      owner: v.union(v.string(), v.null()),
      due: v.union(v.string(), v.null()),
    }),
  ),
});
const turnValidator = v.object({
  speaker: v.string(),
  speakerId: v.string(),
  at: v.number(),
  text: v.string(),
});

/** Everything but the transcript, for the caller (internal: the action passes its user). */
export const parts = internalQuery({
  args: { userId: v.id("users"), meetingId: v.id("meetings") },
  returns: partsValidator,
  handler: async (ctx, { userId, meetingId }) => {
    const { meeting } = await access(ctx, userId, meetingId, "read");
    const rows = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
      .take(MAX_PARTICIPANT_ROWS);
    const people = [];
    for (const r of rows) {
      if (r.status === "removed") continue;
      const u = await ctx.db.get("users", r.userId);
      people.push({ name: u?.name ?? "Someone", role: r.role });
    }
    const notesVersion = await readVersionOf(ctx, "meetingNotes");
    const notes = await ctx.db
      .query("meetingNotes")
      .withIndex("by_meeting_version", (q) =>
        q.eq("meetingId", meetingId).eq("version", notesVersion),
      )
      .unique();
    const insightsVersion = await readVersionOf(ctx, "insights");
    const mine = await ctx.db
      .query("insights")
      .withIndex("by_meeting_version_user", (q) =>
        q.eq("meetingId", meetingId).eq("version", insightsVersion).eq("userId", userId),
      )
      .unique();
    const open = <T extends { status: string }>(items: T[]) =>
      items.filter((i) => i.status !== "dismissed");
    return {
      title: meeting.title,
      status: meeting.status,
      scheduledAt: meeting.scheduledAt,
      startedAt: meeting.startedAt ?? null,
      endedAt: meeting.endedAt ?? null,
      people,
      notesMarkdown: notes?.markdown ?? "",
      summary: mine?.summary || null,
      decisions: open(mine?.decisions ?? []).map((d) => d.text),
      actionItems: open(mine?.actionItems ?? []).map((a) => ({
        text: a.text,
        owner: a.ownerName,
        due: a.dueDate ?? a.due,
      })),
    };
  },
});

/** One page of transcript turns (final words only), from segment `fromIndex`. */
export const transcriptPage = internalQuery({
  args: { userId: v.id("users"), meetingId: v.id("meetings"), fromIndex: v.number() },
  returns: v.object({ turns: v.array(turnValidator), nextIndex: v.union(v.number(), v.null()) }),
  handler: async (ctx, { userId, meetingId, fromIndex }) => {
    await access(ctx, userId, meetingId, "read");
    const version = await readVersionOf(ctx, "transcriptSegments");
    const rows = await ctx.db
      .query("transcriptSegments")
      .withIndex("by_meeting_version_index", (q) =>
        q.eq("meetingId", meetingId).eq("version", version).gte("index", fromIndex),
      )
      .take(SEGMENT_PAGE + 1);
    const turns = rows.slice(0, SEGMENT_PAGE).flatMap((s) => {
      const text = s.utterances
        .filter((u) => u.isFinal)
        .map((u) => u.text)
        .join(" ")
        .trim();
      return text ? [{ speaker: s.speaker, at: s.firstAt, text, speakerId: s.speakerId }] : [];
    });
    return { turns, nextIndex: rows.length > SEGMENT_PAGE ? rows[SEGMENT_PAGE]!.index : null };
  },
});

/** Build the Markdown of a meeting for `user` (shared by the download and the recap). */
type Parts = Infer<typeof partsValidator>;
type TurnPage = { turns: Infer<typeof turnValidator>[]; nextIndex: number | null };

async function buildMarkdown(
  ctx: ActionCtx,
  user: Doc<"users">,
  meetingId: Id<"meetings">,
): Promise<{ title: string; markdown: string }> {
  const head: Parts = await ctx.runQuery(internal.exportMeeting.parts, {
    userId: user._id,
    meetingId,
  });
  const transcript: MarkdownTurn[] = [];
  let from: number | null = 0;
  while (from !== null && transcript.length < MAX_TURNS) {
    const page: TurnPage = await ctx.runQuery(internal.exportMeeting.transcriptPage, {
      userId: user._id,
      meetingId,
      fromIndex: from,
    });
    transcript.push(...page.turns.map(({ speaker, at, text }) => ({ speaker, at, text })));
    from = page.nextIndex;
  }
  const markdown = meetingMarkdown({ ...head, transcript, transcriptTruncated: from !== null });
  return { title: head.title, markdown };
}

/** A file name for the meeting's Markdown. */
function fileName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `${slug || "meeting"}.md`;
}

/** The meeting as Markdown, for download. Members only. */
export const markdown = userAction({
  args: { meetingId: v.id("meetings") },
  returns: v.object({ fileName: v.string(), markdown: v.string() }),
  handler: async (ctx, { meetingId }): Promise<{ fileName: string; markdown: string }> => {
    const built: { title: string; markdown: string } = await buildMarkdown(
      ctx,
      ctx.user,
      meetingId,
    );
    return { fileName: fileName(built.title), markdown: built.markdown };
  },
});

/** Queue the recap mail to each member with a verified email (host or co-host only). */
export const queueRecap = internalMutation({
  args: { userId: v.id("users"), meetingId: v.id("meetings"), markdown: v.string() },
  returns: v.number(),
  handler: async (ctx, { userId, meetingId, markdown }) => {
    const { meeting, user } = await access(ctx, userId, meetingId, "host");
    const rows = await ctx.db
      .query("participants")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId))
      .take(MAX_PARTICIPANT_ROWS);
    const emails: string[] = [];
    for (const r of rows) {
      if (r.status === "removed") continue;
      const u = await ctx.db.get("users", r.userId);
      if (u?.email && u.emailVerified === true) emails.push(u.email);
    }
    await queueRecapMails(ctx, { meeting, sender: user, emails, markdown, now: Date.now() });
    return emails.length;
  },
});

/** Mail the meeting's recap (its Markdown) to every member with a verified email. Hosts and co-hosts. */
export const shareRecap = userAction({
  args: { meetingId: v.id("meetings") },
  returns: v.object({ sent: v.number() }),
  handler: async (ctx, { meetingId }): Promise<{ sent: number }> => {
    // Refuse a non-host before building anything.
    await ctx.runQuery(internal.exportMeeting.canShare, { userId: ctx.user._id, meetingId });
    const built = await buildMarkdown(ctx, ctx.user, meetingId);
    const sent: number = await ctx.runMutation(internal.exportMeeting.queueRecap, {
      userId: ctx.user._id,
      meetingId,
      markdown: built.markdown,
    });
    return { sent };
  },
});

/** Throws unless the user is the meeting's host or a co-host. */
export const canShare = internalQuery({
  args: { userId: v.id("users"), meetingId: v.id("meetings") },
  returns: v.null(),
  handler: async (ctx, { userId, meetingId }) => {
    await access(ctx, userId, meetingId, "host");
    return null;
  },
});
