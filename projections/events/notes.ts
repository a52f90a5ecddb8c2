/**
 * Note events (stored in `noteUpdates` rows and sealed `noteSegments`): one
 * Yjs V1 update each, validated by the server before it was stored. Pure
 * types and the upcaster; no Convex imports.
 *
 * Payload history:
 * - v1: `{ clientId, clientSeq, update }` (V1 Yjs update bytes).
 */

/** The `kind` of a note update event row. */
export const NOTE_UPDATE_KIND = "notes.update";
/** Current payload version of note update events. */
export const NOTE_EVENT_VERSION = 1;

/** One note edit as the domain sees it (client or server-side edit). */
export type NoteUpdateEvent = {
  type: "NoteUpdated";
  /** Wall-clock ms of the append (server time). */
  at: number;
  /** `users` id, or `system:<component>` for server-side edits (AI, import). */
  actor: string;
  /** Yjs client id that authored the structs (registered to `actor`). */
  clientId: number;
  /** Per-client sequence number; `(clientId, clientSeq)` is the idempotency key. */
  clientSeq: number;
  /** The Yjs update, V1 encoding. */
  update: Uint8Array;
};

/** A stored note payload of any version, as read from a row or segment entry. */
export type StoredNotePayload = {
  schemaVersion: number;
  at: number;
  actor: string;
  clientId: number;
  clientSeq: number;
  update: Uint8Array;
};

/** Bring a stored note payload to the current {@link NoteUpdateEvent} (v1 is current). */
export function upcastNoteEvent(stored: StoredNotePayload): NoteUpdateEvent {
  if (stored.schemaVersion !== NOTE_EVENT_VERSION) {
    throw new Error(
      `note event schemaVersion ${stored.schemaVersion} is newer than this code (${NOTE_EVENT_VERSION})`,
    );
  }
  return {
    type: "NoteUpdated",
    at: stored.at,
    actor: stored.actor,
    clientId: stored.clientId,
    clientSeq: stored.clientSeq,
    update: stored.update,
  };
}
