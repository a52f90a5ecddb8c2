/** Chat fold: posts, edits, deletes, replays idempotently. */
import { describe, expect, test } from "vitest";
import { type ChatEvent, type ChatMessage, evolveChat, upcastChatEvent } from "./chat";

const events: ChatEvent[] = [
  { type: "MessagePosted", at: 1, messageId: "m1", authorId: "a", text: "hi" },
  { type: "MessagePosted", at: 2, messageId: "m2", authorId: "b", text: "yo", replyTo: "m1" },
  { type: "MessageEdited", at: 3, messageId: "m1", authorId: "a", text: "hello" },
  { type: "MessageDeleted", at: 4, messageId: "m2", authorId: "b" },
  { type: "MessageEdited", at: 5, messageId: "m2", authorId: "b", text: "too late" },
];
const fold = (es: ChatEvent[]) => es.reduce(evolveChat, new Map<string, ChatMessage>());

describe("chat fold", () => {
  test("edits apply, deletes blank the text and win over later edits", () => {
    expect([...fold(events).values()]).toEqual([
      { messageId: "m1", authorId: "a", text: "hello", postedAt: 1, editedAt: 3, deleted: false },
      { messageId: "m2", authorId: "b", text: "", replyTo: "m1", postedAt: 2, deleted: true },
    ]);
  });

  test("replaying the log twice gives the same messages (a re-posted id is ignored)", () => {
    expect(fold([...events, ...events])).toEqual(fold(events));
  });
});

describe("chat upcasting", () => {
  test("a stored post reads back; a future version throws", () => {
    const row = {
      kind: "MessagePosted" as const,
      at: 1,
      messageId: "m",
      authorId: "a",
      data: { text: "t", replyTo: "p" },
    };
    expect(upcastChatEvent({ ...row, schemaVersion: 1 })).toEqual({
      type: "MessagePosted",
      at: 1,
      messageId: "m",
      authorId: "a",
      text: "t",
      replyTo: "p",
    });
    expect(() => upcastChatEvent({ ...row, schemaVersion: 2 })).toThrow(/newer/);
  });
});
