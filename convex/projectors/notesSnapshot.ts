/**
 * The compacted notes state for the notes sync's bootstrap (snapshot + tail):
 * the client applies `update` (Yjs **V2**, written by the server from
 * validated state) and then the note log after `cursor`.
 */
import * as Y from "yjs";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { NoteCursor } from "../lib/noteLog";
import { readBlob } from "./blobs";
import { readVersionOf } from "./control";
import { getNotesHead, getNotesRow, NOTES_BLOB } from "./meetingNotes";

/** What {@link loadNotesSnapshot} returns. */
export type NotesSnapshot = {
  /** The whole compacted document as one Yjs V2 update. */
  update: Uint8Array;
  /** The note log position the snapshot includes (read the tail after it). */
  cursor: NoteCursor;
  /** Yjs V1 state vector of the snapshot. */
  stateVector: Uint8Array;
};

/** The latest compacted notes of a meeting (read version), or null before any update was projected. */
export async function loadNotesSnapshot(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
): Promise<NotesSnapshot | null> {
  const version = await readVersionOf(ctx, "meetingNotes");
  // The small head row; the view row (whose derived text, ProseMirror JSON and Markdown grow
  // with the document) only for snapshots written before heads existed.
  const head =
    (await getNotesHead(ctx, meetingId, version)) ?? (await getNotesRow(ctx, meetingId, version));
  if (!head || head.lastTs === undefined) return null;
  const update = await readBlob(ctx, meetingId, version, NOTES_BLOB);
  if (!update) return null;
  return { update, cursor: { ts: head.lastTs }, stateVector: new Uint8Array(head.stateVector) };
}

/** Decode a snapshot into a fresh `Y.Doc` (helper for callers and tests). */
export function snapshotDoc(snapshot: NotesSnapshot): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, snapshot.update);
  return doc;
}
