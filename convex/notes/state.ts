/**
 * The server's view of a meeting's notes document, for bootstrap, resync and
 * server-side edits: the latest snapshot (from the `meetingNotes` projector,
 * once it exists) plus the log tail after it, applied to a Y.Doc (linear;
 * never `Y.mergeUpdates` over many raw rows).
 */
import * as Y from "yjs";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { type NoteCursor, readNoteUpdates } from "./log";

/** Why: at most this many log updates are replayed per request, which keeps a
 * query well inside Convex's 1 s / 16 MiB budgets; the caller pulls the rest. */
export const STATE_REPLAY_LIMIT = 4000;

/** The document state through `cursor`; `done` false = more updates follow it. */
export type NotesState = { doc: Y.Doc; cursor: NoteCursor | null; done: boolean };

/** Build the server's notes doc for a meeting (caller destroys `doc`). */
export async function loadNotesState(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  limit: number = STATE_REPLAY_LIMIT,
): Promise<NotesState> {
  const doc = new Y.Doc({ gc: false });
  // TODO(projections): start from `loadNotesSnapshot(ctx, meetingId)` once
  // convex/projectors/notesSnapshot.ts lands; until then replay the log.
  const cursor: NoteCursor | null = null;
  const { updates, done } = await readNoteUpdates(ctx, meetingId, cursor, limit);
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u.update);
  });
  const last = updates[updates.length - 1];
  return { doc, cursor: last ? last.cursor : cursor, done };
}
