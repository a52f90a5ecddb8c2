"use client";

import { useEffect, useState } from "react";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { MeetingId } from "./api";

/** What the sync badge shows. */
export type NotesSyncStatus = { state: "saved" | "syncing" | "offline"; unsynced: number };

/** An open notes document with its awareness (carets, presence). */
export type NotesSession = { doc: Y.Doc; awareness: Awareness };

/** The notes of one meeting as the room uses them. */
export type UseNotes = {
  session: NotesSession | null;
  status: NotesSyncStatus;
  error: string | null;
};

/**
 * Opens the notes of `meetingId` through the notes provider of `crdt/`.
 * TEMPORARY until `crdt/` lands its provider: a local document only, with an
 * explicit message that nothing is synced.
 */
export function useNotes(meetingId: MeetingId | null): UseNotes {
  const [session, setSession] = useState<NotesSession | null>(null);
  useEffect(() => {
    if (!meetingId) return;
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    setSession({ doc, awareness });
    return () => {
      awareness.destroy();
      doc.destroy();
      setSession(null);
    };
  }, [meetingId]);
  return {
    session,
    status: { state: "offline", unsynced: 0 },
    error: meetingId ? "Notes sync is not connected in this build yet." : null,
  };
}
