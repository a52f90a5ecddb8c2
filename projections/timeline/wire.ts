/**
 * The event log on the wire (`timeline.events`): each event travels in its
 * stored form and the client decodes it through the same upcasters as the
 * server (`projections/events/decode.ts`), then folds it with `timelineFold`
 * (the same code the server uses for `stateAt`).
 */

import type { LogEvent } from "../core/logEvent";
import { decodeEvent, type StoredEvent } from "../events/decode";

/** One event as `timeline.events` returns it. */
export type WireEvent = {
  stream: string;
  ts: bigint;
  key: string;
  at: number;
  actor: string;
  schemaVersion: number;
  /** JSON of the stream's stored fields besides the envelope (for notes: client id and seq). */
  payload: string;
  /** The Yjs V1 update, for notes events. */
  update?: ArrayBuffer;
};

/** The wire form of a stored event, with the update bytes left to the caller's encoding. */
export function toWire(e: StoredEvent): Omit<WireEvent, "update"> & { update?: Uint8Array } {
  const base = {
    stream: e.stream,
    ts: e.ts,
    key: e.key,
    at: e.at,
    actor: e.actor,
    schemaVersion: e.schemaVersion,
  };
  switch (e.stream) {
    case "meeting":
      return { ...base, payload: JSON.stringify({ kind: e.kind, data: e.data }) };
    case "transcript":
      return {
        ...base,
        payload: JSON.stringify({ seq: e.seq, utteranceId: e.utteranceId, data: e.data }),
      };
    case "chat":
      return {
        ...base,
        payload: JSON.stringify({
          kind: e.kind,
          messageId: e.messageId,
          authorId: e.authorId,
          data: e.data,
        }),
      };
    case "notes":
      return {
        ...base,
        payload: JSON.stringify({ clientId: e.clientId, clientSeq: e.clientSeq }),
        update: e.update,
      };
  }
}

/** The stored event a wire event carries (throws on an unknown stream: a newer server). */
export function storedFromWire(w: WireEvent): StoredEvent {
  const base = { ts: w.ts, key: w.key, at: w.at, actor: w.actor, schemaVersion: w.schemaVersion };
  const p = JSON.parse(w.payload) as Record<string, unknown>;
  const data = (p.data ?? {}) as Record<string, unknown>;
  switch (w.stream) {
    case "meeting":
      return { ...base, stream: "meeting", kind: String(p.kind), data };
    case "transcript":
      return {
        ...base,
        stream: "transcript",
        seq: Number(p.seq),
        utteranceId: String(p.utteranceId),
        data,
      };
    case "chat":
      return {
        ...base,
        stream: "chat",
        kind: String(p.kind),
        messageId: String(p.messageId),
        authorId: String(p.authorId),
        data,
      };
    case "notes":
      return {
        ...base,
        stream: "notes",
        clientId: Number(p.clientId),
        clientSeq: Number(p.clientSeq),
        update: new Uint8Array(w.update ?? new ArrayBuffer(0)),
      };
    default:
      throw new Error(`unknown stream ${w.stream}: update the client`);
  }
}

/** Decode one wire event into the {@link LogEvent} folds consume (throws on a poison event). */
export function fromWire(w: WireEvent): LogEvent {
  return decodeEvent(storedFromWire(w));
}
