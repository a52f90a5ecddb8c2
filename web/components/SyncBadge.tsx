"use client";

import type { NotesSyncStatus } from "../lib/useNotes";

/**
 * Saved / syncing / offline, with the edits not yet saved in words ("Offline ·
 * 5 new words wait to sync"), announced politely.
 */
export function SyncBadge({
  status,
  pending,
}: {
  status: NotesSyncStatus;
  pending: string | null;
}) {
  const text =
    status.state === "saved"
      ? "Saved"
      : status.state === "syncing"
        ? pending
          ? `Syncing ${pending}…`
          : "Syncing…"
        : pending
          ? `Offline · ${pending} will sync when you are back online`
          : status.unsynced > 0
            ? "Offline · your edits will sync when you are back online"
            : "Offline";
  return (
    <output className={`sync sync-${status.state}`} aria-live="polite" data-testid="sync-status">
      {text}
    </output>
  );
}
