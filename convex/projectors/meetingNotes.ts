/**
 * Storage of the `meetingNotes` view: the compacted Yjs document (V2 state in
 * `projectionBlobs`, written by the server from validated state), its state
 * vector and derived text, ProseMirror JSON, Markdown and word count.
 * Compaction goes through a `Y.Doc` (never `Y.mergeUpdates` over the raw log).
 */
import * as Y from "yjs";
import {
  deriveNotes,
  notesFold,
  storedNotesDerived,
} from "../../projections/meetingNotes/notesView";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { indexNotes } from "../searchSources";
import { deleteBlob, readBlob, toArrayBuffer, writeBlob } from "./blobs";
import type { ProjectorImpl } from "./types";

/** Blob owner of the current notes snapshot. */
export const NOTES_BLOB = "notes";

/** The stored notes row, if any. */
export async function getNotesRow(ctx: QueryCtx, meetingId: Id<"meetings">, version: number) {
  return await ctx.db
    .query("meetingNotes")
    .withIndex("by_meeting_version", (q) => q.eq("meetingId", meetingId).eq("version", version))
    .unique();
}

/** The snapshot's small head row (cursor and state vector), if written. */
export async function getNotesHead(ctx: QueryCtx, meetingId: Id<"meetings">, version: number) {
  return await ctx.db
    .query("meetingNotesHeads")
    .withIndex("by_meeting_version", (q) => q.eq("meetingId", meetingId).eq("version", version))
    .unique();
}

/** Insert or replace the snapshot's head row (same transaction as the snapshot blob). */
async function writeNotesHead(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  version: number,
  lastTs: bigint,
  stateVector: ArrayBuffer,
): Promise<void> {
  const head = await getNotesHead(ctx, meetingId, version);
  const fields = { meetingId, version, lastTs, stateVector };
  if (head) await ctx.db.replace("meetingNotesHeads", head._id, fields);
  else await ctx.db.insert("meetingNotesHeads", fields);
}

/** A `Y.Doc` holding the stored snapshot (empty when none). */
export async function loadNotesDoc(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  version: number,
): Promise<Y.Doc> {
  const doc = notesFold.init();
  const bytes = await readBlob(ctx, meetingId, version, NOTES_BLOB);
  if (bytes) Y.applyUpdateV2(doc, bytes);
  return doc;
}

/** The `meetingNotes` projector. */
export const meetingNotesProjector: ProjectorImpl<Y.Doc> = {
  name: "meetingNotes",
  latest: 1,
  folds: { 1: notesFold },
  // Why: each batch re-encodes the whole snapshot, so batches are large (the note log
  // reader also caps a batch at 4 MiB of updates); 1,000 keystroke updates apply in ~10 ms.
  batchSize: 1000,
  // Why: editors get notes through the CRDT sync, not this view (cold opens pull the raw
  // tail past its cursor; export, search and insights read it); two seconds of coalescing
  // turn a typing burst into one rewrite of the whole snapshot, which grows with the notes
  // (issue 20: at 500 ms it was a tenth of a live meeting's writes while the notes were small).
  kickDelayMs: 2_000,
  // Why: as long as the kick delay: a busy stream is folded as often as a fresh kick would be.
  lingerMs: 2_000,
  inBatch: (doc, apply) => doc.transact(apply),
  // P11: a document the views cannot derive is the fault of the event that made it so.
  verify: (doc) => void deriveNotes(doc),
  load: loadNotesDoc,
  async save(ctx, meetingId, version, doc, info) {
    // Derive first: a document that cannot be derived must not reach the blob either.
    const derived = storedNotesDerived(deriveNotes(doc));
    const state = Y.encodeStateAsUpdateV2(doc);
    const chunks = await writeBlob(ctx, meetingId, version, NOTES_BLOB, state);
    const row = await getNotesRow(ctx, meetingId, version);
    const fields = {
      meetingId,
      version,
      stateVector: toArrayBuffer(Y.encodeStateVector(doc)),
      ...derived,
      updateCount: (row?.updateCount ?? 0) + info.applied,
      snapshotChunks: chunks,
      snapshotBytes: state.byteLength,
      ...(info.lastTs !== null
        ? { lastTs: info.lastTs }
        : row?.lastTs !== undefined
          ? { lastTs: row.lastTs }
          : {}),
      ...(info.lastAt !== null
        ? { lastAt: info.lastAt }
        : row?.lastAt !== undefined
          ? { lastAt: row.lastAt }
          : {}),
    };
    if (row) await ctx.db.replace("meetingNotes", row._id, fields);
    else await ctx.db.insert("meetingNotes", fields);
    if (fields.lastTs !== undefined) {
      await writeNotesHead(ctx, meetingId, version, fields.lastTs, fields.stateVector);
    }
    // Search (issue 18): changed chunks are searchable once this batch lands.
    if (row?.text !== derived.text)
      await indexNotes(ctx, meetingId, derived.text, info.lastAt ?? row?.lastAt ?? info.now);
  },
  async deleteVersion(ctx, version, limit) {
    const rows = await ctx.db
      .query("meetingNotes")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of rows) {
      await deleteBlob(ctx, r.meetingId, version, NOTES_BLOB);
      const head = await getNotesHead(ctx, r.meetingId, version);
      if (head) await ctx.db.delete("meetingNotesHeads", head._id);
      await ctx.db.delete("meetingNotes", r._id);
    }
    return rows.length;
  },
};
