/**
 * The one decode path of the event log: a stored event of any stream (a row
 * as it sits in its table, or a sealed note entry) becomes the {@link LogEvent}
 * every fold consumes, through the upcasters of its stream. The projectors
 * (`convex/projectors/sources.ts`), the queries that read events and the web
 * timeline (`projections/timeline/wire.ts`) all decode here, so an upcaster
 * added to `projections/events/` applies everywhere at once.
 *
 * Decoding throws on a corrupt row, an unknown kind or a version from the
 * future: projectors treat that as a poison event (see
 * `convex/projectors/SPEC.md`).
 */
import type { LogEvent, Stream } from "../core/logEvent";
import { upcastChatEvent } from "./chat";
import { type MeetingEventType, upcastMeetingEvent } from "./meeting";
import { upcastNoteEvent } from "./notes";
import { upcastTranscriptChunk } from "./transcript";

/** What every stored event carries besides its stream's own fields. */
export type StoredEventBase = {
  /** Log position: the row's `commitTs`. */
  ts: bigint;
  /** Tie-break inside one `ts`: the row `_id`, or `clientId:clientSeq` for notes. */
  key: string;
  at: number;
  actor: string;
  schemaVersion: number;
};

/** A stored event of any stream, before upcasting. */
export type StoredEvent =
  | (StoredEventBase & { stream: "meeting"; kind: string; data: Record<string, unknown> })
  | (StoredEventBase & {
      stream: "transcript";
      seq: number;
      utteranceId: string;
      data: Record<string, unknown>;
    })
  | (StoredEventBase & {
      stream: "chat";
      kind: string;
      messageId: string;
      authorId: string;
      data: Record<string, unknown>;
    })
  | (StoredEventBase & {
      stream: "notes";
      clientId: number;
      clientSeq: number;
      update: Uint8Array;
    });

/** A stored event of one stream. */
export type StoredEventOf<S extends Stream> = Extract<StoredEvent, { stream: S }>;

/** Decode one stored event through its stream's upcasters (throws on a poison event). */
export function decodeEvent(e: StoredEvent): LogEvent {
  const base = { ts: e.ts, key: e.key, at: e.at, actor: e.actor };
  switch (e.stream) {
    case "meeting":
      return {
        ...base,
        stream: "meeting",
        event: upcastMeetingEvent({
          kind: e.kind as MeetingEventType,
          schemaVersion: e.schemaVersion,
          at: e.at,
          data: e.data,
        }),
      };
    case "transcript":
      return { ...base, stream: "transcript", chunk: upcastTranscriptChunk(e) };
    case "chat":
      return {
        ...base,
        stream: "chat",
        event: upcastChatEvent({
          kind: e.kind as Parameters<typeof upcastChatEvent>[0]["kind"],
          schemaVersion: e.schemaVersion,
          at: e.at,
          messageId: e.messageId,
          authorId: e.authorId,
          data: e.data,
        }),
      };
    case "notes":
      return { ...base, stream: "notes", update: upcastNoteEvent(e).update };
  }
}
