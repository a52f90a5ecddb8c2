/**
 * The outbox as pure functions over values (the Yjs `updates.js` style):
 * which local updates are unacknowledged, which sequence number the next one
 * gets, what the next push carries, what an acknowledgement removes, and
 * which edits a device authored that neither the server nor the outbox holds
 * (recovery after a crash). The provider (`provider.ts`) keeps one
 * {@link OutboxState} and persists each change through an `OutboxStore`
 * (`outboxStore.ts`). Rules N4–N7 of `crdt/SPEC.md`.
 */
import * as Y from "yjs";

/** One unacknowledged local update. */
export type OutboxEntry = { clientId: number; seq: number; update: Uint8Array };

/** The outbox: entries in push order, and the last seq handed out per client id. */
export type OutboxState = {
  readonly entries: readonly OutboxEntry[];
  readonly lastSeqs: ReadonlyMap<number, number>;
};

/** One push: consecutive entries of one client id, sent as one update under the last seq. */
export type PushBatch = {
  clientId: number;
  /** The seq the push carries (the last entry's): the server's idempotency key. */
  through: number;
  entries: readonly OutboxEntry[];
};

/** An empty outbox. */
export function emptyOutbox(): OutboxState {
  return { entries: [], lastSeqs: new Map() };
}

/** The last seq handed out for `clientId` (0 when none). */
export function lastSeqOf(state: OutboxState, clientId: number): number {
  return state.lastSeqs.get(clientId) ?? 0;
}

/** Raise `clientId`'s last seq to at least `seq` (a claim, or the server's `lastSeq`). */
export function raiseSeq(state: OutboxState, clientId: number, seq: number): OutboxState {
  if (state.lastSeqs.has(clientId) && lastSeqOf(state, clientId) >= seq) return state;
  const lastSeqs = new Map(state.lastSeqs);
  lastSeqs.set(clientId, Math.max(seq, lastSeqOf(state, clientId)));
  return { ...state, lastSeqs };
}

/** Forget a client id this device never authored with (it was taken by someone else). */
export function dropClient(state: OutboxState, clientId: number): OutboxState {
  const lastSeqs = new Map(state.lastSeqs);
  lastSeqs.delete(clientId);
  return { ...state, lastSeqs };
}

/** Append `update` under the next seq of `clientId`; returns the entry to persist. */
export function enqueue(
  state: OutboxState,
  clientId: number,
  update: Uint8Array,
): { state: OutboxState; entry: OutboxEntry } {
  const entry = { clientId, seq: lastSeqOf(state, clientId) + 1, update };
  const lastSeqs = new Map(state.lastSeqs);
  lastSeqs.set(clientId, entry.seq);
  return { state: { entries: [...state.entries, entry], lastSeqs }, entry };
}

/** Put entries and seqs loaded from a store in front of what was queued meanwhile. */
export function restore(
  state: OutboxState,
  loaded: { entries: readonly OutboxEntry[]; lastSeqs: ReadonlyMap<number, number> },
): OutboxState {
  let next: OutboxState = { ...state, entries: [...loaded.entries, ...state.entries] };
  for (const [id, seq] of loaded.lastSeqs) next = raiseSeq(next, id, seq);
  return next;
}

/** Drop the entries of `clientId` with `seq <= through` (acknowledged or refused for good). */
export function acknowledge(state: OutboxState, clientId: number, through: number): OutboxState {
  return {
    ...state,
    entries: state.entries.filter((e) => e.clientId !== clientId || e.seq > through),
  };
}

/**
 * The next push: the first entry and the consecutive entries of the same
 * client id after it, at most `maxEntries` and `maxBytes` of updates in all
 * (the first entry always goes, whatever its size). Null when empty.
 */
export function nextPush(
  state: OutboxState,
  limits: { maxEntries: number; maxBytes: number },
): PushBatch | null {
  const first = state.entries[0];
  if (!first) return null;
  const entries = [first];
  let bytes = first.update.byteLength;
  for (const e of state.entries.slice(1, limits.maxEntries)) {
    if (e.clientId !== first.clientId || bytes + e.update.byteLength > limits.maxBytes) break;
    entries.push(e);
    bytes += e.update.byteLength;
  }
  return { clientId: first.clientId, through: entries[entries.length - 1]!.seq, entries };
}

/** The one V1 update a batch pushes (its entries merged; one entry as is). */
export function pushUpdate(batch: PushBatch): Uint8Array {
  return batch.entries.length === 1
    ? batch.entries[0]!.update
    : Y.mergeUpdates(batch.entries.map((e) => e.update));
}

/**
 * The updates a closed coalescing window becomes: its parts merged into one,
 * or, when the merge exceeds `maxBytes`, the parts as they are (each a whole
 * transaction, so the server can still take them one by one).
 */
export function windowUpdates(parts: readonly Uint8Array[], maxBytes: number): Uint8Array[] {
  if (parts.length === 0) return [];
  const merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates([...parts]);
  return merged.byteLength <= maxBytes ? [merged] : [...parts];
}

/** How far the outbox's entries reach in `clientId`'s own clock (0 when none). */
export function coveredClock(state: OutboxState, clientId: number): number {
  let covered = 0;
  for (const e of state.entries) {
    if (e.clientId === clientId)
      covered = Math.max(covered, Y.parseUpdateMeta(e.update).to.get(clientId) ?? 0);
  }
  return covered;
}

/**
 * Edits this device authored that neither the server nor an outbox entry
 * holds (e.g. persisted in the doc while the tab died inside the coalescing
 * window): per own client id, the clock from which the local doc has more
 * than the server's state vector and every entry cover.
 */
export function unsentClocks(
  state: OutboxState,
  own: Iterable<number>,
  local: ReadonlyMap<number, number>,
  server: ReadonlyMap<number, number>,
): Array<{ clientId: number; from: number }> {
  const out: Array<{ clientId: number; from: number }> = [];
  for (const id of new Set(own)) {
    const covered = Math.max(server.get(id) ?? 0, coveredClock(state, id));
    if ((local.get(id) ?? 0) > covered) out.push({ clientId: id, from: covered });
  }
  return out;
}
