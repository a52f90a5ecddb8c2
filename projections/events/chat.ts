/**
 * Chat events (stored in `chatEvents`) and the pure fold into messages.
 * No Convex imports. A message is identified by `messageId` (the idempotency
 * key of the post that created it, unique per meeting).
 */

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
