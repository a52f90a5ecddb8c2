/**
 * The notes provider's public types: its states, events and options
 * (`provider.ts` holds the class; these live apart to keep it one job).
 */

import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import type { OutboxStore } from "./outboxStore";
import type { NotesTransport } from "./transport";

/** Connection state of a provider. */
export type ProviderStatus = "idle" | "connecting" | "live" | "offline" | "closed";

/** What a sync badge shows: saved, syncing, or offline with the local edits not yet saved. */
export type SyncState = { state: "saved" | "syncing" | "offline"; unsynced: number };

/** Why a resync happened. */
export type ResyncReason = "pending-timeout" | "reconnect" | "apply-failed";

/** Events of a provider (lib0 Observable). */
export type ProviderEvents = {
  status: (status: ProviderStatus) => void;
  synced: (synced: boolean) => void;
  /** The badge state changed (see `NotesProvider.syncState`). */
  sync: (state: SyncState) => void;
  /** A refusal or failure the app should show (the provider keeps going). */
  error: (error: { code: string; message: string }) => void;
  /** A forced resync happened, and why. */
  resync: (reason: ResyncReason) => void;
};

/** Options of `NotesProvider`. */
export type NotesProviderOptions<M extends string> = {
  meetingId: M;
  transport: NotesTransport<M>;
  doc?: Y.Doc;
  awareness?: Awareness;
  /** Where unacknowledged updates live (default: memory; IndexedDbOutbox in browsers). */
  outbox?: OutboxStore;
  /** Coalescing window, clamped to ≤ 250 ms. */
  coalesceMs?: number;
  pendingTimeoutMs?: number;
  /** Origins of updates that are not local edits (e.g. a y-indexeddb persistence). */
  ignoreOrigins?: unknown[];
};
