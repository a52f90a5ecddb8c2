/**
 * One bounded retention step per category for one meeting (see
 * `projections/retention/policy.ts`). Each step removes (or, dry, counts) at
 * most `budget` rows and says whether the category is finished for the
 * meeting, so the driver (`convex/retention.ts`) can stop and reschedule
 * within a transaction's limits. Every step is idempotent: run again after
 * it finished, it finds nothing.
 */
import * as Y from "yjs";
import type { Category } from "../projections/retention/policy";
import type { Id, TableNames } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { decodeSegment, encodeSegment, type SegmentEntry } from "./lib/noteSegmentCodec";
import { raiseSeqFloors } from "./notes/seal";
import { toArrayBuffer } from "./projectors/blobs";
import { removeSource, scheduleFanout } from "./searchSources";

/** What one step did. */
export type StepResult = { rows: number; finished: boolean };

/** Who authors a compacted notes entry (and marks a segment as one). */
export const COMPACTION_ACTOR = "system:retention";
/** Why: compaction reads at most this many update bytes per step (Convex reads ≤ 16 MiB). */
const COMPACT_READ_BYTES = 4 * 1024 * 1024;
/** Why: a compacted state above this is left uncompacted (a document holds ≤ 1 MiB). */
const COMPACT_MAX_STATE = 900 * 1024;

type Ctx = MutationCtx;
type Meeting = Id<"meetings">;

async function drop<T extends { _id: string }>(
  rows: T[],
  dryRun: boolean,
  budget: number,
  del: (row: T) => Promise<void>,
): Promise<StepResult> {
  if (!dryRun) for (const r of rows) await del(r);
  return { rows: rows.length, finished: rows.length < budget };
}

/** Search sources under a key prefix go with the content they index. */
async function dropSources(ctx: Ctx, meetingId: Meeting, prefix: string, dryRun: boolean) {
  const rows = await ctx.db
    .query("searchSources")
    .withIndex("by_meeting_key", (q) =>
      q.eq("meetingId", meetingId).gte("key", prefix).lt("key", `${prefix}\uffff`),
    )
    .take(200);
  if (dryRun) return;
  let changed = false;
  for (const r of rows) changed = (await removeSource(ctx, meetingId, r.key)) !== "none" || changed;
  if (changed) await scheduleFanout(ctx, meetingId);
}

async function chunks(ctx: Ctx, m: Meeting, budget: number, dryRun: boolean) {
  const rows = await ctx.db
    .query("transcriptEvents")
    .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
    .take(budget);
  return await drop(rows, dryRun, budget, (r) => ctx.db.delete("transcriptEvents", r._id));
}

async function chat(ctx: Ctx, m: Meeting, budget: number, dryRun: boolean) {
  const rows = await ctx.db
    .query("chatEvents")
    .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
    .take(budget);
  await dropSources(ctx, m, "chat:", dryRun);
  return await drop(rows, dryRun, budget, (r) => ctx.db.delete("chatEvents", r._id));
}

async function segments(ctx: Ctx, m: Meeting, budget: number, dryRun: boolean) {
  const rows = await ctx.db
    .query("transcriptSegments")
    .withIndex("by_meeting_version_index", (q) => q.eq("meetingId", m))
    .take(budget);
  await dropSources(ctx, m, "transcript:", dryRun);
  return await drop(rows, dryRun, budget, (r) => ctx.db.delete("transcriptSegments", r._id));
}

type Doomed = { table: TableNames; rows: (n: number) => Promise<Array<{ _id: string }>> };

/** Delete (or count) rows of several tables in order, within `budget`. */
async function dropAll(ctx: Ctx, doomed: Doomed[], budget: number, dryRun: boolean) {
  let rows = 0;
  for (const d of doomed) {
    const left = budget - rows;
    if (left <= 0) return { rows, finished: false };
    const found = await d.rows(left);
    if (!dryRun) for (const r of found) await ctx.db.delete(d.table, r._id as Id<typeof d.table>);
    rows += found.length;
    if (found.length === left) return { rows, finished: false };
  }
  return { rows, finished: true };
}

/** Notes at a year: the view, snapshots and keyframes (blobs), the note log. */
async function notes(ctx: Ctx, m: Meeting, budget: number, dryRun: boolean) {
  const db = ctx.db;
  // Raw rows acknowledge pushes: raise the floors of those this step may delete (any of them:
  // a floor at a stored row's clientSeq is right whether or not the row goes now).
  if (!dryRun) {
    const raw = await db
      .query("noteUpdates")
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
      .take(budget);
    await raiseSeqFloors(ctx, m, raw);
  }
  const r = await dropAll(
    ctx,
    [
      {
        table: "meetingNotes",
        rows: (n) =>
          db
            .query("meetingNotes")
            .withIndex("by_meeting_version", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "meetingNotesHeads",
        rows: (n) =>
          db
            .query("meetingNotesHeads")
            .withIndex("by_meeting_version", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "timelineKeyframes",
        rows: (n) =>
          db
            .query("timelineKeyframes")
            .withIndex("by_meeting_version_kind_at", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "projectionBlobs",
        rows: (n) =>
          db
            .query("projectionBlobs")
            .withIndex("by_owner", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "noteSegments",
        rows: (n) =>
          db
            .query("noteSegments")
            .withIndex("by_meeting_to", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "noteUpdates",
        rows: (n) =>
          db
            .query("noteUpdates")
            .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
            .take(n),
      },
    ],
    budget,
    dryRun,
  );
  if (r.finished) await dropSources(ctx, m, "notes:", dryRun);
  return r;
}

/** Prompts and insights at a year. */
async function ai(ctx: Ctx, m: Meeting, budget: number, dryRun: boolean) {
  const db = ctx.db;
  return await dropAll(
    ctx,
    [
      {
        table: "insights",
        rows: (n) =>
          db
            .query("insights")
            .withIndex("by_meeting_version_user", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "insightRuns",
        rows: (n) =>
          db
            .query("insightRuns")
            .withIndex("by_meeting_version", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "prompts",
        rows: (n) =>
          db
            .query("prompts")
            .withIndex("by_meeting_kind_created", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "promptRuns",
        rows: (n) =>
          db
            .query("promptRuns")
            .withIndex("by_meeting_kind_requested", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "promptFeedback",
        rows: (n) =>
          db
            .query("promptFeedback")
            .withIndex("by_meeting_user", (q) => q.eq("meetingId", m))
            .take(n),
      },
      {
        table: "promptSlots",
        rows: (n) =>
          db
            .query("promptSlots")
            .withIndex("by_meeting_at", (q) => q.eq("meetingId", m))
            .take(n),
      },
    ],
    budget,
    dryRun,
  );
}

function isCompacted(row: { count: number; entries: ArrayBuffer }): boolean {
  if (row.count !== 1) return false;
  return decodeSegment(new Uint8Array(row.entries))[0]?.actor === COMPACTION_ACTOR;
}

/**
 * Note updates at 90 days: the meeting's sealed segments and raw rows are
 * folded, a step at a time, into one compacted segment (the document's state
 * as one V1 update, through a garbage-collecting Y.Doc), stamped with the
 * last folded update's commitTs and time. A fold from empty gives the same
 * document; the timeline keeps its keyframes, so replay still opens, showing
 * the folded edits at the moment of the last of them (coarser grain).
 */
async function noteUpdates(ctx: Ctx, m: Meeting, budget: number, dryRun: boolean) {
  const segs = await ctx.db
    .query("noteSegments")
    .withIndex("by_meeting_to", (q) => q.eq("meetingId", m))
    .take(Math.max(2, budget));
  const base = segs[0] && isCompacted(segs[0]) ? segs[0] : null;
  const rest = base ? segs.slice(1) : segs;
  const take: typeof segs = [];
  let bytes = 0;
  for (const s of rest) {
    if (take.length > 0 && bytes + s.entries.byteLength > COMPACT_READ_BYTES) break;
    take.push(s);
    bytes += s.entries.byteLength;
  }
  const raw =
    take.length === rest.length
      ? await ctx.db
          .query("noteUpdates")
          .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
          .take(Math.max(1, budget - take.length))
      : [];
  const folded = take.length + raw.length;
  if (folded === 0) return { rows: 0, finished: true };
  if (dryRun) return { rows: folded, finished: take.length === rest.length && raw.length < budget };
  const doc = new Y.Doc({ gc: true });
  const entries: SegmentEntry[] = [];
  for (const s of base ? [base, ...take] : take)
    entries.push(...decodeSegment(new Uint8Array(s.entries)));
  for (const r of raw)
    entries.push({
      ts: r.commitTs as bigint,
      at: r.at,
      actor: r.actor,
      clientId: r.clientId,
      clientSeq: r.clientSeq,
      update: new Uint8Array(r.update),
    });
  doc.transact(() => {
    for (const e of entries) Y.applyUpdate(doc, e.update);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  // Too big for one row: leave this meeting's log as it is (reported, not compacted).
  if (state.byteLength > COMPACT_MAX_STATE) return { rows: 0, finished: true };
  const last = entries[entries.length - 1]!;
  const first = base ?? take[0];
  const packed = encodeSegment([
    { ts: last.ts, at: last.at, actor: COMPACTION_ACTOR, clientId: 0, clientSeq: 0, update: state },
  ]);
  for (const s of base ? [base, ...take] : take) await ctx.db.delete("noteSegments", s._id);
  for (const r of raw) await ctx.db.delete("noteUpdates", r._id);
  // Pushes are acknowledged by their raw rows: the floors keep retries known once they go.
  await raiseSeqFloors(ctx, m, raw);
  await ctx.db.insert("noteSegments", {
    meetingId: m,
    schemaVersion: first?.schemaVersion ?? 1,
    fromTs: first?.fromTs ?? entries[0]!.ts,
    toTs: last.ts,
    count: 1,
    updateBytes: state.byteLength,
    entries: toArrayBuffer(packed),
    sealedAt: Date.now(),
  });
  return {
    rows: folded,
    finished: take.length === rest.length && raw.length < budget - take.length,
  };
}

/** Run one bounded step of `category` for a meeting. */
export async function retentionStep(
  ctx: Ctx,
  category: Category,
  meetingId: Meeting,
  budget: number,
  dryRun: boolean,
): Promise<StepResult> {
  switch (category) {
    case "transcriptChunks":
      return await chunks(ctx, meetingId, budget, dryRun);
    case "chat":
      return await chat(ctx, meetingId, budget, dryRun);
    case "noteUpdates":
      return await noteUpdates(ctx, meetingId, budget, dryRun);
    case "transcriptSegments":
      return await segments(ctx, meetingId, budget, dryRun);
    case "notes":
      return await notes(ctx, meetingId, budget, dryRun);
    case "ai":
      return await ai(ctx, meetingId, budget, dryRun);
  }
}
