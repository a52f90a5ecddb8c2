/**
 * The server's view of a meeting's notes document, for bootstrap, resync and
 * server-side edits: the latest compacted snapshot of the `meetingNotes`
 * projector (Yjs V2, written by the server from validated state) plus the log
 * tail after it. When the tail is empty the snapshot bytes are served as they
 * are (no doc is built: cold open costs one V2 apply on the client);
 * otherwise both are applied to one Y.Doc (linear; never `Y.mergeUpdates`
 * over many raw rows) and served as V1.
 */
import * as Y from "yjs";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { type NoteCursor, readNoteUpdates } from "../lib/noteLog";
import { loadNotesSnapshot } from "../projectors/notesSnapshot";

/** Why: at most this many log updates are replayed per request, which keeps a
 * query well inside Convex's 1 s / 16 MiB budgets; the caller pulls the rest. */
export const STATE_REPLAY_LIMIT = 4000;

/** The document (or the diff against `stateVector`) through `cursor`. */
export type ServerState = {
  update: Uint8Array;
  encoding: "v1" | "v2";
  /** Log position the answer includes; pull after it for the rest. */
  cursor: NoteCursor | null;
  /** The server's V1 state vector through `cursor`. */
  stateVector: Uint8Array;
  /** False when more updates follow `cursor` already. */
  done: boolean;
};

/** The meeting's notes as a `Y.Doc` (snapshot + tail), for checks and server-side edits. */
export type NotesDoc = {
  doc: Y.Doc;
  cursor: NoteCursor | null;
  /** False when more updates follow `cursor` than one request replays. */
  done: boolean;
};

/**
 * Load the meeting's notes into a fresh `Y.Doc` (the caller destroys it):
 * the latest compacted snapshot plus the log tail after it.
 */
export async function loadNotesDoc(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  limit: number = STATE_REPLAY_LIMIT,
  known?: { snapshot: Awaited<ReturnType<typeof loadNotesSnapshot>> },
): Promise<NotesDoc> {
  const snapshot = known ? known.snapshot : await loadNotesSnapshot(ctx, meetingId);
  const tail = await readNoteUpdates(ctx, meetingId, snapshot?.cursor ?? null, limit);
  const doc = new Y.Doc({ gc: false });
  doc.transact(() => {
    if (snapshot) Y.applyUpdateV2(doc, snapshot.update);
    for (const u of tail.updates) Y.applyUpdate(doc, u.update);
  });
  const last = tail.updates[tail.updates.length - 1];
  return { doc, cursor: last ? last.cursor : (snapshot?.cursor ?? null), done: tail.done };
}

/**
 * The meeting's notes through the newest position this request may read,
 * or the Yjs diff against `against` (a client's state vector) when given.
 */
export async function loadServerState(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  against: Uint8Array | null,
  limit: number = STATE_REPLAY_LIMIT,
): Promise<ServerState> {
  const snapshot = await loadNotesSnapshot(ctx, meetingId);
  if (snapshot) {
    const next = await readNoteUpdates(ctx, meetingId, snapshot.cursor, 1);
    if (next.updates.length === 0) {
      return {
        update: against ? Y.diffUpdateV2(snapshot.update, against) : snapshot.update,
        encoding: "v2",
        cursor: snapshot.cursor,
        stateVector: snapshot.stateVector,
        done: next.done,
      };
    }
  }
  const { doc, cursor, done } = await loadNotesDoc(ctx, meetingId, limit, { snapshot });
  try {
    return {
      update: against ? Y.encodeStateAsUpdate(doc, against) : Y.encodeStateAsUpdate(doc),
      encoding: "v1",
      cursor,
      stateVector: Y.encodeStateVector(doc),
      done,
    };
  } finally {
    doc.destroy();
  }
}
