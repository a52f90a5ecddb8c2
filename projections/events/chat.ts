/**
 * Chat events (stored in `chatEvents`) and the pure fold into messages.
 * No Convex imports. A message is identified by `messageId` (the idempotency
 * key of the post that created it, unique per meeting).
 */

import { liftPayload, type UpcasterTable } from "./upcast";

/** Payload version of every chat event kind. */
export const CHAT_EVENT_VERSION = 1;

/** Every chat event, as the domain sees it. */
export type ChatEvent =
  | {
      type: "MessagePosted";
      at: number;
      messageId: string;
      authorId: string;
      text: string;
      replyTo?: string;
    }
  | { type: "MessageEdited"; at: number; messageId: string; authorId: string; text: string }
  | { type: "MessageDeleted"; at: number; messageId: string; authorId: string };

/** A chat message as clients see it. */
export type ChatMessage = {
  messageId: string;
  authorId: string;
  /** Empty once deleted. */
  text: string;
  replyTo?: string;
  postedAt: number;
  editedAt?: number;
  deleted: boolean;
};

/** Apply one chat event to the messages by id (pure; returns a new map). */
export function evolveChat(
  messages: ReadonlyMap<string, ChatMessage>,
  event: ChatEvent,
): Map<string, ChatMessage> {
  const next = new Map(messages);
  const prev = messages.get(event.messageId);
  switch (event.type) {
    case "MessagePosted": {
      if (prev) return next;
      const m: ChatMessage = {
        messageId: event.messageId,
        authorId: event.authorId,
        text: event.text,
        postedAt: event.at,
        deleted: false,
      };
      if (event.replyTo !== undefined) m.replyTo = event.replyTo;
      next.set(event.messageId, m);
      return next;
    }
    case "MessageEdited":
      if (prev && !prev.deleted)
        next.set(event.messageId, { ...prev, text: event.text, editedAt: event.at });
      return next;
    case "MessageDeleted":
      if (prev) next.set(event.messageId, { ...prev, text: "", deleted: true });
      return next;
  }
}

/** How a chat event is stored: envelope fields, top-level ids, and the payload. */
export type StoredChatEvent = {
  kind: ChatEvent["type"];
  schemaVersion: number;
  at: number;
  messageId: string;
  authorId: string;
  data: Record<string, unknown>;
};

/** The `type` of a chat event (= the `kind` of its row). */
export type ChatEventType = ChatEvent["type"];

/** All chat event kinds, for validators and exhaustive checks. */
export const CHAT_EVENT_TYPES = [
  "MessagePosted",
  "MessageEdited",
  "MessageDeleted",
] as const satisfies readonly ChatEventType[];

/** Split a chat event into its stored shape (current version). */
export function toStoredChatEvent(event: ChatEvent): StoredChatEvent & {
  data: { text?: string; replyTo?: string };
} {
  const { type, at, messageId, authorId, ...data } = event;
  return { kind: type, schemaVersion: CHAT_EVENT_VERSION, at, messageId, authorId, data };
}

/** Upcasting steps of chat events (none yet: every kind is at version 1). */
export const CHAT_UPCASTERS: UpcasterTable<ChatEvent["type"]> = {};

/** Bring a stored chat event to the current shape (throws on a future version). */
export function upcastChatEvent(
  row: StoredChatEvent,
  upcasters: UpcasterTable<ChatEvent["type"]> = CHAT_UPCASTERS,
  currentVersion: number = CHAT_EVENT_VERSION,
): ChatEvent {
  if (!(CHAT_EVENT_TYPES as readonly string[]).includes(row.kind)) {
    throw new Error(`unknown chat event kind ${String(row.kind)}: deploy the code that knows it`);
  }
  const data = liftPayload(
    "chat event",
    row.kind,
    row.schemaVersion,
    row.data,
    upcasters,
    currentVersion,
  );
  const base = { at: row.at, messageId: row.messageId, authorId: row.authorId };
  switch (row.kind) {
    case "MessagePosted": {
      const e: ChatEvent = { type: "MessagePosted", ...base, text: String(data.text ?? "") };
      if (typeof data.replyTo === "string") e.replyTo = data.replyTo;
      return e;
    }
    case "MessageEdited":
      return { type: "MessageEdited", ...base, text: String(data.text ?? "") };
    case "MessageDeleted":
      return { type: "MessageDeleted", ...base };
  }
}
