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
  const tail = await readNoteUpdates(ctx, meetingId, snapshot?.cursor ?? null, limit);
  if (snapshot && tail.updates.length === 0) {
    return {
      update: against ? Y.diffUpdateV2(snapshot.update, against) : snapshot.update,
      encoding: "v2",
      cursor: snapshot.cursor,
      stateVector: snapshot.stateVector,
      done: tail.done,
    };
  }
  const doc = new Y.Doc({ gc: false });
  try {
    doc.transact(() => {
      if (snapshot) Y.applyUpdateV2(doc, snapshot.update);
      for (const u of tail.updates) Y.applyUpdate(doc, u.update);
    });
    const last = tail.updates[tail.updates.length - 1];
    return {
      update: against ? Y.encodeStateAsUpdate(doc, against) : Y.encodeStateAsUpdate(doc),
      encoding: "v1",
      cursor: last ? last.cursor : (snapshot?.cursor ?? null),
      stateVector: Y.encodeStateVector(doc),
      done: tail.done,
    };
  } finally {
    doc.destroy();
  }
}
