/**
 * Note events (stored in `noteUpdates` rows and sealed `noteSegments`): one
 * Yjs V1 update each, validated by the server before it was stored. Pure
 * types, the stored shape and the upcaster; no Convex imports.
 *
 * Payload history:
 * - v1: `{ clientId, clientSeq, update }` (V1 Yjs update bytes).
 */

import { liftPayload, type UpcasterTable } from "./upcast";

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

/** The idempotency key of a note update: its `(clientId, clientSeq)`. */
export function noteUpdateKey(clientId: number, clientSeq: number): string {
  return `${clientId}:${clientSeq}`;
}

/** The stored fields of a note update (current version), besides the envelope. */
export function toStoredNoteUpdate(e: { clientId: number; clientSeq: number }): {
  kind: typeof NOTE_UPDATE_KIND;
  schemaVersion: number;
  idempotencyKey: string;
} {
  return {
    kind: NOTE_UPDATE_KIND,
    schemaVersion: NOTE_EVENT_VERSION,
    idempotencyKey: noteUpdateKey(e.clientId, e.clientSeq),
  };
}

/** Upcasting steps of note updates (none yet: version 1). */
export const NOTE_UPCASTERS: UpcasterTable<typeof NOTE_UPDATE_KIND> = {};

/** Bring a stored note payload to the current {@link NoteUpdateEvent} (throws on a future version). */
export function upcastNoteEvent(
  stored: StoredNotePayload,
  upcasters: UpcasterTable<typeof NOTE_UPDATE_KIND> = NOTE_UPCASTERS,
  currentVersion: number = NOTE_EVENT_VERSION,
): NoteUpdateEvent {
  const d = liftPayload(
    "note event",
    NOTE_UPDATE_KIND,
    stored.schemaVersion,
    { clientId: stored.clientId, clientSeq: stored.clientSeq, update: stored.update },
    upcasters,
    currentVersion,
  );
  if (!(d.update instanceof Uint8Array)) throw new Error("note event without update bytes");
  return {
    type: "NoteUpdated",
    at: stored.at,
    actor: stored.actor,
    clientId: Number(d.clientId),
    clientSeq: Number(d.clientSeq),
    update: d.update,
  };
}
