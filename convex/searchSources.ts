/**
 * Writing search sources (`searchSources`, see `tables/search.ts`): the
 * projectors that produce searchable items call these in their own
 * transaction (the item is searchable once its projection lands and the
 * fan-out that this schedules has run). Upserts are idempotent: an unchanged
 * item writes nothing.
 */
import type { Infer } from "convex/values";
import { chunkNotes, MAX_NOTE_CHUNKS } from "../projections/search/text";
import type { Segment } from "../projections/transcriptSegments/evolve";
import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import type { searchKind } from "./tables/search";

/** A searchable item's kind. */
export type SearchKind = Infer<typeof searchKind>;

/** One searchable item as a producer states it. */
export type SourceInput = {
  key: string;
  kind: SearchKind;
  text: string;
  at: number;
  authorId?: string;
  label?: string;
};

/** The source row of `key` in a meeting, if any. */
export async function getSource(ctx: QueryCtx, meetingId: Id<"meetings">, key: string) {
  return await ctx.db
    .query("searchSources")
    .withIndex("by_meeting_key", (q) => q.eq("meetingId", meetingId).eq("key", key))
    .unique();
}

/**
 * What writing a source did: `none` (nothing changed), `pending` (it became
 * pending: a fan-out must be queued) or `rewritten` (changed while already
 * pending: the fan-out queued when it became pending has not copied it yet,
 * and will copy what it finds then). A fan-out clears `pending` in the
 * transaction that copies the row, so a write racing with it conflicts on the
 * row and, retried, sees it cleared and answers `pending`.
 */
export type SourceChange = "none" | "pending" | "rewritten";

function written(row: Doc<"searchSources">): SourceChange {
  return row.pending ? "rewritten" : "pending";
}

/**
 * Insert or update one source (see {@link SourceChange}). `keepAt` keeps the
 * stored moment (a chat edit still opens the replay at the post).
 */
export async function upsertSource(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  input: SourceInput,
  options: { keepAt?: boolean } = {},
): Promise<SourceChange> {
  const row = await getSource(ctx, meetingId, input.key);
  if (!row) {
    await ctx.db.insert("searchSources", {
      meetingId,
      ...input,
      pending: true,
      removed: false,
    });
    return "pending";
  }
  const at = options.keepAt ? row.at : input.at;
  if (
    !row.removed &&
    row.text === input.text &&
    row.at === at &&
    row.label === input.label &&
    row.authorId === input.authorId
  )
    return "none";
  await ctx.db.replace("searchSources", row._id, {
    meetingId,
    ...input,
    at,
    pending: true,
    removed: false,
  });
  return written(row);
}

/** Mark a source removed (fan-out deletes its rows, then it); see {@link SourceChange}. */
export async function removeSource(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  key: string,
): Promise<SourceChange> {
  const row = await getSource(ctx, meetingId, key);
  if (!row || row.removed) return "none";
  await ctx.db.patch("searchSources", row._id, { pending: true, removed: true });
  return written(row);
}

/**
 * Why 2 s: a live transcript rewrites its open segment's source on every projector batch;
 * fanning out after a short wait copies the segment to its readers once per wait, not once
 * per batch (search is not live; the wait is what "searchable once its projection lands" costs).
 * Projector saves queue one only when a source becomes pending, so the batches of one wait
 * share one fan-out run instead of queueing one each.
 */
export const FANOUT_DELAY_MS = 2_000;

/** Queue the meeting's fan-out (idempotent, so a spare run costs a few reads). */
export async function scheduleFanout(ctx: MutationCtx, meetingId: Id<"meetings">): Promise<void> {
  await ctx.scheduler.runAfter(FANOUT_DELAY_MS, internal.searchFanout.run, { meetingId });
}

/** Index changed transcript segments (called by the transcriptSegments projector's save). */
export async function indexSegments(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  segments: readonly Segment[],
): Promise<void> {
  let queue = false;
  for (const seg of segments) {
    const text = seg.utterances
      .filter((u) => u.isFinal)
      .map((u) => u.text)
      .join(" ")
      .trim();
    const key = `transcript:${seg.index}`;
    const change =
      text.length === 0
        ? await removeSource(ctx, meetingId, key)
        : await upsertSource(ctx, meetingId, {
            key,
            kind: "transcript",
            text,
            at: seg.firstAt,
            authorId: seg.speakerId,
            label: seg.speaker,
          });
    queue ||= change === "pending";
  }
  if (queue) await scheduleFanout(ctx, meetingId);
}

async function noteSources(ctx: QueryCtx, meetingId: Id<"meetings">) {
  return await ctx.db
    .query("searchSources")
    .withIndex("by_meeting_key", (q) =>
      // "notes:" … "notes;" is every key with the `notes:` prefix (";" follows ":").
      q.eq("meetingId", meetingId).gte("key", "notes:").lt("key", "notes;"),
    )
    .take(MAX_NOTE_CHUNKS + 1);
}

/**
 * Index the notes text (called by the meetingNotes projector's save): only
 * chunks whose text changed are rewritten, each with the moment of the batch
 * that changed it, so a hit opens the replay when that text was written.
 */
export async function indexNotes(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  text: string,
  at: number,
): Promise<void> {
  const chunks = chunkNotes(text);
  const stored = new Map<string, Doc<"searchSources">>(
    (await noteSources(ctx, meetingId)).map((r) => [r.key, r]),
  );
  let queue = false;
  for (const [i, chunk] of chunks.entries()) {
    const key = `notes:${String(i).padStart(4, "0")}`;
    const row = stored.get(key);
    stored.delete(key);
    if (row && !row.removed && row.text === chunk) continue;
    queue ||=
      (await upsertSource(ctx, meetingId, { key, kind: "notes", text: chunk, at })) === "pending";
  }
  for (const key of stored.keys())
    queue ||= (await removeSource(ctx, meetingId, key)) === "pending";
  if (queue) await scheduleFanout(ctx, meetingId);
}
