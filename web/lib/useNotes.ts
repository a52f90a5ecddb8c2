"use client";

import { useConvex } from "convex/react";
import { useEffect, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import type { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { AwarenessBridge } from "../../crdt/awareness";
import { IndexedDbOutbox } from "../../crdt/indexedDbOutbox";
import { NotesProvider, type SyncState } from "../../crdt/provider";
import type { MeetingId } from "./api";
import { convexNotesTransport, convexPresenceTransport, convexRoomKeys } from "./notesTransport";
import { describePending, pendingAtStart, summarisePending } from "./pendingChanges";

/** What the sync badge shows. */
export type NotesSyncStatus = SyncState;

/** An open notes document with its awareness (carets, presence). */
export type NotesSession = { doc: Y.Doc; awareness: Awareness; provider: NotesProvider<MeetingId> };

/** The notes of one meeting as the room uses them. */
export type UseNotes = {
  session: NotesSession | null;
  status: NotesSyncStatus;
  /** The edits not yet on the server in words ("5 new words"), or null when none. */
  pending: string | null;
  error: string | null;
};

/** Why 400 ms: describing re-reads every pending update; once per pause in typing is enough. */
const DESCRIBE_AFTER_MS = 400;

const INITIAL: NotesSyncStatus = { state: "syncing", unsynced: 0 };

/**
 * Opens the notes of `meetingId` for the person `who` (their subject keys the
 * browser storage, so two people sharing a browser never share drafts): the
 * document is restored from IndexedDB first (edits made offline survive a
 * reload), then the notes provider of `crdt/` syncs it through the app's
 * Convex client, with its unacknowledged outbox in IndexedDB too.
 *
 * `pending` describes the unsaved edits in words (see `pendingChanges.ts`).
 * Status is the provider's `syncState`: `offline` while the browser is
 * offline or the Convex WebSocket is down (the transport tells the provider,
 * which reconnects by itself when it returns), with the number of local
 * changes made since the last time everything was acknowledged; `syncing`
 * while local changes or the first load are in flight; `saved` once the
 * server has everything.
 */
export function useNotes(meetingId: MeetingId | null, who: string | null): UseNotes {
  const convex = useConvex();
  const [session, setSession] = useState<NotesSession | null>(null);
  const [status, setStatus] = useState<NotesSyncStatus>(INITIAL);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  useEffect(() => {
    if (!meetingId || !who) return;
    let disposed = false;
    const doc = new Y.Doc();
    const storeName = `connvo-notes:${who}:${meetingId}`;
    const persistence = new IndexeddbPersistence(storeName, doc);
    const outbox = new IndexedDbOutbox(`${storeName}:outbox`);
    // The room key of the notes' live reads; they move to a new key when it rotates.
    const keys = convexRoomKeys(convex, meetingId);
    const provider = new NotesProvider<MeetingId>({
      meetingId,
      transport: convexNotesTransport(convex, keys),
      doc,
      outbox,
      ignoreOrigins: [persistence],
    });
    // The local edits the server does not have yet, for the badge: what the outbox kept from
    // before a reload, then every local edit, until the provider reports everything saved.
    let unsent: Uint8Array[] = [];
    let describeTimer: ReturnType<typeof setTimeout> | null = null;
    const describeSoon = () => {
      describeTimer ??= setTimeout(() => {
        describeTimer = null;
        if (!disposed) setPending(describePending(summarisePending(unsent)));
      }, DESCRIBE_AFTER_MS);
    };
    const onLocalEdit = (update: Uint8Array, origin: unknown) => {
      if (origin === persistence || origin === provider) return;
      unsent.push(update);
      describeSoon();
    };
    doc.on("update", onLocalEdit);
    // What earlier visits left unsent, once the document is restored (see `pendingAtStart`).
    persistence.whenSynced
      .then(() => outbox.load())
      .then((loaded) => {
        if (disposed || provider.syncState.state === "saved") return;
        const earlier = pendingAtStart(doc, loaded, doc.clientID);
        if (earlier.length === 0) return;
        unsent = [...earlier, ...unsent];
        describeSoon();
      })
      .catch(() => undefined);
    let bridge: AwarenessBridge<MeetingId> | null = null;
    const publish = () => {
      if (disposed) return;
      const state = provider.syncState;
      if (state.state === "saved" && unsent.length > 0) {
        unsent = [];
        describeSoon();
      }
      setStatus(state);
    };
    // Closing or reloading the tab never runs React cleanups: hand the edits still in the
    // coalescing window to the (IndexedDB) outbox now, and take this person's caret away
    // rather than leaving it for the presence TTL.
    const onPageHide = () => {
      void provider.flush();
      void bridge?.destroy();
    };
    window.addEventListener("pagehide", onPageHide);
    provider.on("sync", publish);
    provider.on("error", (e) => {
      if (e.code !== "NETWORK" && !disposed)
        setError(`Your notes could not be saved: ${e.message}`);
    });
    persistence.whenSynced
      .then(() => {
        if (disposed) return;
        bridge = new AwarenessBridge({
          meetingId,
          awareness: provider.awareness,
          transport: convexPresenceTransport(convex, keys),
        });
        setSession({ doc, awareness: provider.awareness, provider });
        return provider.connect();
      })
      .then(publish)
      .catch((e: unknown) => {
        if (!disposed)
          setError(`The notes could not be opened: ${e instanceof Error ? e.message : String(e)}`);
      });
    return () => {
      disposed = true;
      if (describeTimer) clearTimeout(describeTimer);
      doc.off("update", onLocalEdit);
      window.removeEventListener("pagehide", onPageHide);
      void bridge?.destroy();
      provider.destroy();
      keys.close();
      void persistence.destroy();
      doc.destroy();
      setSession(null);
      setStatus(INITIAL);
      setPending(null);
      setError(null);
    };
  }, [meetingId, who, convex]);

  return { session, status, pending, error };
}
