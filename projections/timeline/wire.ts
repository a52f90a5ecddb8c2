/**
 * Decoding `timeline.events` pages into {@link LogEvent}s on the client, so
 * the web scrubber folds them with `timelineFold` (the same code the server
 * uses for `stateAt`).
 */

import type { LogEvent, Stream } from "../core/logEvent";
import type { ChatEvent } from "../events/chat";
import type { MeetingEvent } from "../events/meeting";
import type { TranscriptChunk } from "../events/transcript";

/** One event as `timeline.events` returns it. */
export type WireEvent = {
  stream: string;
  ts: bigint;
  key: string;
  at: number;
  actor: string;
  payload: string;
  update?: ArrayBuffer;
};

/** Decode one wire event (throws on an unknown stream: a newer server). */
export function fromWire(w: WireEvent): LogEvent {
  const base = { ts: w.ts, key: w.key, at: w.at, actor: w.actor };
  const stream = w.stream as Stream;
  switch (stream) {
    case "notes":
      return { ...base, stream, update: new Uint8Array(w.update ?? new ArrayBuffer(0)) };
    case "transcript":
      return { ...base, stream, chunk: JSON.parse(w.payload) as TranscriptChunk };
    case "meeting":
      return { ...base, stream, event: JSON.parse(w.payload) as MeetingEvent };
    case "chat":
      return { ...base, stream, event: JSON.parse(w.payload) as ChatEvent };
    default:
      throw new Error(`unknown stream ${w.stream}: update the client`);
  }
}
