"use client";

import type { NotesSyncStatus } from "../lib/useNotes";

/** Saved / syncing / offline with N unsynced changes, announced politely. */
export function SyncBadge({ status }: { status: NotesSyncStatus }) {
  const text =
    status.state === "saved"
      ? "Saved"
      : status.state === "syncing"
        ? "Syncing…"
        : status.unsynced > 0
          ? `Offline · ${status.unsynced} unsynced change${status.unsynced === 1 ? "" : "s"}`
          : "Offline";
  return (
    <output className={`sync sync-${status.state}`} aria-live="polite" data-testid="sync-status">
      {text}
    </output>
  );
}
