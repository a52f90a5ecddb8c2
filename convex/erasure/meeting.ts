/**
 * Erasure of one person from one meeting, as stages of bounded steps (each
 * step one transaction; `convex/erasure/run.ts` drives and reschedules):
 *
 *     notes      CRDT delete of the characters their Yjs client ids created
 *                (`deleteAuthored`), stored as a server edit (`system:erasure`)
 *     transcript their chunks' speaker name and text → placeholders (pages)
 *     chat       their messages' text → placeholder (pages)
 *     presence   their awareness rows (cursor name) go
 *     compact    the note log folded through a garbage-collecting Y.Doc
 *                (`retentionStep("noteUpdates")`): deleted content leaves the log
 *     reset      the meeting's views that copy names and text (meetingNotes
 *                and blobs, meetingStates, transcriptSegments, keyframes,
 *                search sources) are deleted with their checkpoints, then the
 *                projectors are kicked and refold them from the rewritten log
 *     refolded   waits (bounded) until those projectors caught up again
 *     insights   their own insights go; others' are rewritten (`forgetInInsights`)
 *                and regenerated from the rewritten views; prompts naming them
 *                are rewritten (`scrubNames`)
 *
 * Every stage is idempotent: run again, it finds nothing left to change.
 */
import type { Stream } from "../../projections/core/logEvent";
import { deleteAuthored } from "../../projections/export/authored";
import { forgetInInsights, scrubNames } from "../../projections/insights/forget";
import { NOTES_FRAGMENT, TRACE_TEXT } from "../../projections/meetingNotes/document";
import type { Id, TableNames } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { startJob } from "../ai/jobs";
import { schedulePrecall } from "../ai/precallJobs";
import { ERASED_NAME, ERASED_TEXT } from "../lib/personalData";
import { editNotes } from "../notes/serverEdit";
import { kickProjectors } from "../projectors/kick";
import { retentionStep } from "../retentionSteps";
import { removeSource, scheduleFanout } from "../searchSources";

/** The stages of one meeting, in order. */
export const MEETING_STAGES = [
  "notes",
  "transcript",
  "chat",
  "presence",
  "compact",
  "reset",
  "refolded",
  "insights",
] as const;
export type MeetingStage = (typeof MEETING_STAGES)[number];

/** Why: wait up to 2 minutes for the refold; a projector stalled on a poison event must not hold the erasure. */
const REFOLD_WAITS = 120;
/** Why 1 s: projector batches take milliseconds; a second lets a busy meeting's runs finish. */
const REFOLD_POLL_MS = 1_000;

/** Why 200: a page of event rows patched in one transaction stays far below Convex's write limits. */
export const ROWS_PER_STEP = 200;
/** The actor of the erasure's note edit. */
export const ERASURE_ACTOR = "system:erasure";
/** Projections whose views copy a person's name or text, refolded after the log is rewritten. */
const REFOLDED = ["meetingNotes", "meetingState", "transcriptSegments", "timeline", "searchFeed"];
const STREAMS: Stream[] = ["meeting", "transcript", "chat", "notes"];

/** What one step did: `done` moves to the next stage; `retryMs` asks to come back later. */
export type StageResult = { done: boolean; changed: number; cursor?: string; retryMs?: number };

type Person = { userId: Id<"users">; names: string[] };
type Ctx = MutationCtx;
type Meeting = Id<"meetings">;

async function eraseNotes(ctx: Ctx, m: Meeting, who: Person): Promise<StageResult> {
  const clients = await ctx.db
    .query("noteClients")
    .withIndex("by_meeting_actor", (q) => q.eq("meetingId", m).eq("actor", who.userId))
    .take(1000);
  const ids = new Set(clients.map((c) => c.clientId));
  if (ids.size === 0) return { done: true, changed: 0 };
  let deleted = 0;
  const r = await editNotes(ctx, m, ERASURE_ACTOR, (doc) => {
    deleted = deleteAuthored(doc, NOTES_FRAGMENT, ids, TRACE_TEXT);
  });
  if (r.ok) return { done: true, changed: deleted };
  // Nothing of theirs is left (a re-run): the edit changed nothing.
  if (r.code === "VALIDATION_ERROR" && deleted === 0) return { done: true, changed: 0 };
  if (r.code === "CONFLICT") return { done: false, changed: 0, retryMs: 1_000 };
  throw new Error(`erasure: notes edit refused (${r.code}: ${r.message})`);
}

async function eraseTranscript(ctx: Ctx, m: Meeting, who: Person, cursor: string | null) {
  const page = await ctx.db
    .query("transcriptEvents")
    .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
    .paginate({ cursor, numItems: ROWS_PER_STEP });
  let changed = 0;
  for (const r of page.page) {
    if (r.data.speakerId !== who.userId) continue;
    if (r.piiSeal === undefined && r.data.text === ERASED_TEXT && r.data.speaker === ERASED_NAME)
      continue;
    const data = { ...r.data, speaker: ERASED_NAME, text: ERASED_TEXT };
    await ctx.db.patch("transcriptEvents", r._id, { data, piiSeal: undefined });
    changed++;
  }
  return { done: page.isDone, changed, cursor: page.continueCursor };
}

async function eraseChat(ctx: Ctx, m: Meeting, who: Person, cursor: string | null) {
  const page = await ctx.db
    .query("chatEvents")
    .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
    .paginate({ cursor, numItems: ROWS_PER_STEP });
  let changed = 0;
  for (const r of page.page) {
    if (r.authorId !== who.userId || r.data.text === undefined) continue;
    if (r.piiSeal === undefined && r.data.text === ERASED_TEXT) continue;
    await ctx.db.patch("chatEvents", r._id, {
      data: { ...r.data, text: ERASED_TEXT },
      piiSeal: undefined,
    });
    changed++;
  }
  return { done: page.isDone, changed, cursor: page.continueCursor };
}

async function erasePresence(ctx: Ctx, m: Meeting, who: Person): Promise<StageResult> {
  // Awareness rows are ephemeral (one per connected client, expiring): a meeting holds few.
  const rows = await ctx.db
    .query("notePresence")
    .withIndex("by_meeting_client", (q) => q.eq("meetingId", m))
    .take(ROWS_PER_STEP);
  let changed = 0;
  for (const r of rows)
    if (r.actor === who.userId) {
      await ctx.db.delete("notePresence", r._id);
      changed++;
    }
  return { done: true, changed };
}

async function compact(ctx: Ctx, m: Meeting): Promise<StageResult> {
  const r = await retentionStep(ctx, "noteUpdates", m, ROWS_PER_STEP, false);
  return { done: r.finished, changed: r.rows };
}

type ViewTable =
  | "meetingNotes"
  | "meetingStates"
  | "transcriptSegments"
  | "timelineKeyframes"
  | "projectionBlobs";

function viewRows(ctx: Ctx, table: ViewTable, m: Meeting, n: number) {
  const db = ctx.db;
  switch (table) {
    case "meetingNotes":
      return db
        .query(table)
        .withIndex("by_meeting_version", (q) => q.eq("meetingId", m))
        .take(n);
    case "meetingStates":
      return db
        .query(table)
        .withIndex("by_meeting_version", (q) => q.eq("meetingId", m))
        .take(n);
    case "transcriptSegments":
      return db
        .query(table)
        .withIndex("by_meeting_version_index", (q) => q.eq("meetingId", m))
        .take(n);
    case "timelineKeyframes":
      return db
        .query(table)
        .withIndex("by_meeting_version_kind_at", (q) => q.eq("meetingId", m))
        .take(n);
    case "projectionBlobs":
      return db
        .query(table)
        .withIndex("by_owner", (q) => q.eq("meetingId", m))
        .take(n);
  }
}

const VIEW_TABLES: ViewTable[] = [
  "meetingNotes",
  "meetingStates",
  "transcriptSegments",
  "timelineKeyframes",
  "projectionBlobs",
];

/** Stop the refolded projectors (checkpoints and run flags go first: a queued run then skips). */
async function dropCheckpoints(ctx: Ctx, m: Meeting): Promise<number> {
  let n = 0;
  for (const projection of REFOLDED) {
    for (const table of ["projectionCheckpoints", "projectionKicks"] as const) {
      const rows = await ctx.db
        .query(table)
        .withIndex("by_meeting_projection_version", (q) =>
          q.eq("meetingId", m).eq("projection", projection),
        )
        .take(10);
      for (const r of rows) await ctx.db.delete(table, r._id as Id<typeof table>);
      n += rows.length;
    }
  }
  return n;
}

async function reset(ctx: Ctx, m: Meeting): Promise<StageResult> {
  let changed = await dropCheckpoints(ctx, m);
  for (const table of VIEW_TABLES) {
    const rows = await viewRows(ctx, table, m, ROWS_PER_STEP);
    for (const r of rows) await ctx.db.delete(table as TableNames, r._id);
    changed += rows.length;
    if (rows.length === ROWS_PER_STEP) return { done: false, changed };
  }
  // Sources the refold does not write again (a block that is gone) must not stay searchable.
  const sources = await ctx.db
    .query("searchSources")
    .withIndex("by_meeting_key", (q) => q.eq("meetingId", m))
    .take(ROWS_PER_STEP * 5);
  let removed = false;
  for (const s of sources)
    if (s.kind !== "title") removed = (await removeSource(ctx, m, s.key)) !== "none" || removed;
  if (removed) await scheduleFanout(ctx, m);
  for (const stream of STREAMS) await kickProjectors(ctx, { meetingId: m, stream });
  return { done: true, changed };
}

async function refolded(ctx: Ctx, m: Meeting, cursor: string | null): Promise<StageResult> {
  const waits = Number(cursor ?? "0");
  for (const projection of REFOLDED) {
    const cps = await ctx.db
      .query("projectionCheckpoints")
      .withIndex("by_meeting_projection_version", (q) =>
        q.eq("meetingId", m).eq("projection", projection),
      )
      .take(10);
    if ((cps.length === 0 || cps.some((c) => !c.caughtUp)) && waits < REFOLD_WAITS)
      return { done: false, changed: 0, cursor: String(waits + 1), retryMs: REFOLD_POLL_MS };
  }
  return { done: true, changed: 0 };
}

/** Ask for the meeting's insights again (the views are rewritten): a new generation per run. */
async function regenerate(ctx: Ctx, m: Meeting): Promise<number> {
  const runs = await ctx.db
    .query("insightRuns")
    .withIndex("by_meeting_version", (q) => q.eq("meetingId", m))
    .take(10);
  for (const run of runs) {
    const seq = (run.seq ?? 1) + 1;
    await ctx.db.patch("insightRuns", run._id, { seq, status: "pending" });
    await startJob(ctx, { job: "insights", args: { meetingId: m, version: run.version, seq } });
  }
  return runs.length;
}

async function erasePrompts(ctx: Ctx, m: Meeting, who: Person): Promise<number> {
  const forgotten = { userId: who.userId, names: who.names, placeholder: ERASED_NAME };
  const prompts = await ctx.db
    .query("prompts")
    .withIndex("by_meeting_kind_created", (q) => q.eq("meetingId", m))
    .take(ROWS_PER_STEP);
  let changed = 0;
  let precall = false;
  for (const p of prompts) {
    // Pre-call ideas are made from the participants' profiles: theirs may quote the person's
    // (a headline, goals), not just name them. They go, and a new set is made without them.
    if (p.kind === "precall") {
      await ctx.db.delete("prompts", p._id);
      precall = true;
      changed++;
      continue;
    }
    const content = scrubNames(p.content, forgotten);
    if (content === p.content) continue;
    await ctx.db.patch("prompts", p._id, { content });
    changed++;
  }
  const meeting = precall ? await ctx.db.get("meetings", m) : null;
  if (meeting?.status === "scheduled") await schedulePrecall(ctx, m, "participants");
  return changed;
}

async function eraseInsights(ctx: Ctx, m: Meeting, who: Person): Promise<StageResult> {
  const rows = await ctx.db
    .query("insights")
    .withIndex("by_meeting_version_user", (q) => q.eq("meetingId", m))
    .take(ROWS_PER_STEP);
  let changed = 0;
  const forgotten = { userId: who.userId, names: who.names, placeholder: ERASED_NAME };
  for (const r of rows) {
    if (r.userId === who.userId) {
      await ctx.db.delete("insights", r._id);
      changed++;
      continue;
    }
    const { _id, _creationTime, ...before } = r;
    const after = forgetInInsights(before, forgotten);
    if (JSON.stringify(after) === JSON.stringify(before)) continue;
    await ctx.db.replace("insights", _id, after);
    changed++;
  }
  const feedback = await ctx.db
    .query("promptFeedback")
    .withIndex("by_meeting_user", (q) => q.eq("meetingId", m).eq("userId", who.userId))
    .take(ROWS_PER_STEP);
  for (const f of feedback) await ctx.db.delete("promptFeedback", f._id);
  if (feedback.length === ROWS_PER_STEP) return { done: false, changed: changed + feedback.length };
  changed += feedback.length + (await erasePrompts(ctx, m, who));
  await regenerate(ctx, m);
  return { done: true, changed };
}

/** Run one bounded step of `stage` for the person in meeting `m`. */
export async function meetingStep(
  ctx: Ctx,
  stage: MeetingStage,
  m: Meeting,
  who: Person,
  cursor: string | null,
): Promise<StageResult> {
  switch (stage) {
    case "notes":
      return await eraseNotes(ctx, m, who);
    case "transcript":
      return await eraseTranscript(ctx, m, who, cursor);
    case "chat":
      return await eraseChat(ctx, m, who, cursor);
    case "presence":
      return await erasePresence(ctx, m, who);
    case "compact":
      return await compact(ctx, m);
    case "reset":
      return await reset(ctx, m);
    case "refolded":
      return await refolded(ctx, m, cursor);
    case "insights":
      return await eraseInsights(ctx, m, who);
  }
}
