/**
 * The notes workloads the benchmarks drive through the real Convex functions
 * (`api.notes.*`): typing a trace as coalesced pushes, cold open from the
 * server's views (bootstrap + pull until done), reconnect by state vector
 * (resync + pull), and storage accounting per table.
 */

import { performance } from "node:perf_hooks";
import { getConvexSize, type Value } from "convex/values";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import schema from "../../convex/schema";
import { fetchRoomKey } from "./client-transports";
import type { InprocConvex } from "./inproc";
import { PUSH_ROUND_TRIP_MS } from "./live-model";
import { TRACE_FIELD } from "./trace";
import type { VirtualClock } from "./virtual-clock";

/**
 * How long one push is in flight in the model (the provider folds what is typed meanwhile
 * into the next push, N17): the live model's assumed round trip to a deployment.
 */
export const COALESCE_MS = PUSH_ROUND_TRIP_MS;

/** Something that can call the notes functions as one person. */
export type NotesCaller = Pick<ReturnType<InprocConvex["withIdentity"]>, "query" | "mutation">;

/** Copy a Uint8Array's bytes into a fresh ArrayBuffer (never pass `u8.buffer`). */
export function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}

/** Keystrokes one push carries when typing at `keysPerSecond` (those typed during a round trip). */
export function keysPerPush(keysPerSecond: number): number {
  return Math.max(1, Math.round((keysPerSecond * COALESCE_MS) / 1000));
}

/** What pushing a trace did. */
export type PushOutcome = {
  pushes: number;
  keystrokes: number;
  refused: number;
  ms: number;
  pushedUpdates: Uint8Array[];
};

/**
 * Push per-keystroke updates as one registered client, coalescing
 * `perPush` consecutive keystrokes into one merged V1 update per push, the
 * virtual clock advancing one coalescing window per push.
 */
export async function pushTrace(
  as: NotesCaller,
  meetingId: Id<"meetings">,
  clientId: number,
  updates: readonly Uint8Array[],
  perPush: number,
  clock: VirtualClock,
  windowMs: number,
  /** Run `run` after every `pushes` pushes (the projectors keep up, as they do live). */
  every?: { pushes: number; run: () => Promise<unknown> },
): Promise<PushOutcome> {
  const reg = await as.mutation(api.notes.registerClient, { meetingId, clientId });
  if (!reg.ok) throw new Error(`registerClient refused: ${JSON.stringify(reg)}`);
  let seq = reg.lastSeq;
  let refused = 0;
  const pushedUpdates: Uint8Array[] = [];
  const t0 = performance.now();
  for (let i = 0; i < updates.length; i += perPush) {
    const group = updates.slice(i, i + perPush);
    const merged = group.length === 1 ? group[0]! : Y.mergeUpdates(group as Uint8Array[]);
    clock.advance(windowMs);
    const r = await as.mutation(api.notes.push, {
      meetingId,
      clientId,
      clientSeq: ++seq,
      update: toArrayBuffer(merged),
    });
    if (!r.ok) {
      refused++;
      throw new Error(`push ${seq} refused: ${JSON.stringify(r)}`);
    }
    pushedUpdates.push(merged);
    if (every && pushedUpdates.length % every.pushes === 0) await every.run();
  }
  return {
    pushes: pushedUpdates.length,
    keystrokes: updates.length,
    refused,
    ms: performance.now() - t0,
    pushedUpdates,
  };
}

/** A client brought up to date from the server: its doc, bytes received and calls made. */
export type SyncOutcome = { doc: Y.Doc; bytes: number; queries: number; ms: number };

/** Pull every update after `cursor` into `doc` (one query per page). */
async function pullAll(
  as: NotesCaller,
  meetingId: Id<"meetings">,
  doc: Y.Doc,
  after: { ts: bigint } | null,
  roomKey: string,
): Promise<{ bytes: number; queries: number }> {
  let cursor = after;
  let bytes = 0;
  let queries = 0;
  for (;;) {
    const r = await as.query(api.notes.pull, { meetingId, roomKey, after: cursor });
    queries++;
    if (!r.ok) throw new Error(`pull refused: ${JSON.stringify(r)}`);
    doc.transact(() => {
      for (const u of r.updates) {
        bytes += u.update.byteLength;
        Y.applyUpdate(doc, new Uint8Array(u.update));
      }
    });
    cursor = r.cursor;
    if (r.done || r.updates.length === 0) return { bytes, queries };
  }
}

/** Cold open: bootstrap (state through a cursor) + pull the rest, into a fresh doc. */
export async function coldOpen(as: NotesCaller, meetingId: Id<"meetings">): Promise<SyncOutcome> {
  // The room key is fetched once per visit, before the timed part (it is not notes traffic).
  const roomKey = await fetchRoomKey(as, meetingId);
  const t0 = performance.now();
  const doc = new Y.Doc();
  const b = await as.query(api.notes.bootstrap, { meetingId, roomKey });
  if (!b.ok) throw new Error(`bootstrap refused: ${JSON.stringify(b)}`);
  applyStateAnswer(doc, b);
  let bytes = b.update.byteLength;
  let queries = 1;
  if (!b.done) {
    const rest = await pullAll(as, meetingId, doc, b.cursor, roomKey);
    bytes += rest.bytes;
    queries += rest.queries;
  }
  doc.getText(TRACE_FIELD).toString();
  return { doc, bytes, queries, ms: performance.now() - t0 };
}

/** Reconnect: send the client's state vector (resync), apply the diff, pull the rest. */
export async function reconnect(
  as: NotesCaller,
  meetingId: Id<"meetings">,
  doc: Y.Doc,
): Promise<SyncOutcome> {
  const roomKey = await fetchRoomKey(as, meetingId);
  const t0 = performance.now();
  const sv = Y.encodeStateVector(doc);
  const r = await as.query(api.notes.resync, {
    meetingId,
    roomKey,
    stateVector: toArrayBuffer(sv),
  });
  if (!r.ok) throw new Error(`resync refused: ${JSON.stringify(r)}`);
  applyStateAnswer(doc, r);
  let bytes = r.update.byteLength + sv.byteLength;
  let queries = 1;
  if (!r.done) {
    const rest = await pullAll(as, meetingId, doc, r.cursor, roomKey);
    bytes += rest.bytes;
    queries += rest.queries;
  }
  return { doc, bytes, queries, ms: performance.now() - t0 };
}

/**
 * The V1 state holding `updates`, built through a Y.Doc (linear). Never
 * `Y.mergeUpdates` over many rows: it slows super-linearly (DESIGN.md).
 */
export function stateOf(updates: readonly Uint8Array[]): Uint8Array {
  const d = new Y.Doc();
  d.transact(() => {
    for (const u of updates) Y.applyUpdate(d, u);
  });
  const s = Y.encodeStateAsUpdate(d);
  d.destroy();
  return s;
}

/** Apply a bootstrap/resync answer in the encoding the server chose (V2 for its own snapshots). */
export function applyStateAnswer(
  doc: Y.Doc,
  answer: { update: ArrayBuffer; encoding: "v1" | "v2" },
): void {
  const bytes = new Uint8Array(answer.update);
  if (answer.encoding === "v2") Y.applyUpdateV2(doc, bytes);
  else Y.applyUpdate(doc, bytes);
}

/** Rows and bytes (Convex's own size measure) of one table. */
export type TableStorage = { table: string; rows: number; bytes: number };

/** Rows and bytes of every app table (components excluded), largest first. */
export async function storageByTable(t: InprocConvex): Promise<TableStorage[]> {
  const tables = Object.keys((schema as unknown as { tables: Record<string, unknown> }).tables);
  const out: TableStorage[] = [];
  for (const table of tables) {
    const docs = await t.run(async (ctx) =>
      (ctx.db as unknown as { query: (t: string) => { collect: () => Promise<Value[]> } })
        .query(table)
        .collect(),
    );
    let bytes = 0;
    for (const d of docs) bytes += getConvexSize(d);
    if (docs.length > 0) out.push({ table, rows: docs.length, bytes });
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}
