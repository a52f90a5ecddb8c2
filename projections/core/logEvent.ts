/**
 * The one event shape every read-model fold consumes: a stored event of any
 * stream, upcast to its current domain type, with its position in the log.
 *
 * Order: events are folded in `(ts, stream rank, key)` order, where `ts` is the
 * row's `commitTs` (gap-free commit order), the stream rank breaks ties
 * between tables written in one transaction, and `key` (the row `_id`, or
 * `clientId:clientSeq` for notes) breaks ties inside one transaction. The
 * server projectors, the web timeline and the tests all use this order, so
 * an incremental fold and a fold of the whole log see the same sequence.
 */
import type { ChatEvent } from "../events/chat";
import type { MeetingEvent } from "../events/meeting";
import type { TranscriptChunk } from "../events/transcript";

/** The event streams, in tie-break rank order (one per event table). */
export const STREAMS = ["meeting", "transcript", "chat", "notes"] as const;
/** One event stream. */
export type Stream = (typeof STREAMS)[number];

/** Where one event sits in the log. */
export type LogPosition = { ts: bigint; stream: Stream; key: string };

type Base = { ts: bigint; key: string; at: number; actor: string };

/** An upcast event of any stream, with its log position and wall-clock `at` (ms). */
export type LogEvent =
  | (Base & { stream: "meeting"; event: MeetingEvent })
  | (Base & { stream: "transcript"; chunk: TranscriptChunk })
  | (Base & { stream: "chat"; event: ChatEvent })
  | (Base & { stream: "notes"; update: Uint8Array });

const RANK: Record<Stream, number> = { meeting: 0, transcript: 1, chat: 2, notes: 3 };

/** Total order of the log: commit ts, then stream rank, then key. */
export function comparePosition(a: LogPosition, b: LogPosition): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  if (a.stream !== b.stream) return RANK[a.stream] - RANK[b.stream];
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Sort events into log order (a copy). */
export function sortLog<E extends LogPosition>(events: readonly E[]): E[] {
  return [...events].sort(comparePosition);
}

/** The position of `e` (drops the payload). */
export function positionOf(e: LogPosition): LogPosition {
  return { ts: e.ts, stream: e.stream, key: e.key };
}

/**
 * The prefix of a log-ordered list that a timeline shows at instant `t`:
 * events up to (not including) the first one appended after `t`.
 */
export function truncateAt<E extends { at: number }>(events: readonly E[], t: number): E[] {
  const out: E[] = [];
  for (const e of events) {
    if (e.at > t) break;
    out.push(e);
  }
  return out;
}
