/** Given-When-Then specs of meeting chat (post, reply, edit, delete, list). */
import { describe, expect, test } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { api } from "./_generated/api";

describe("chat", () => {
  test("given a meeting, when participants post, reply, edit and delete, then the list shows the folded result", async () => {
    const { clients, meetingId } = await meetingFixture();
    const a = await clients.participant.mutation(api.chat.send, {
      meetingId,
      text: "hi all",
      idempotencyKey: "m1",
    });
    if (!a.ok) throw new Error(a.message);
    const b = await clients.host.mutation(api.chat.send, {
      meetingId,
      text: "welcome",
      replyTo: a.messageId,
      idempotencyKey: "m2",
    });
    if (!b.ok) throw new Error(b.message);
    expect(
      await clients.participant.mutation(api.chat.edit, {
        meetingId,
        messageId: a.messageId,
        text: "hi everyone",
      }),
    ).toMatchObject({ ok: true });
    expect(
      await clients.host.mutation(api.chat.remove, { meetingId, messageId: b.messageId }),
    ).toMatchObject({
      ok: true,
    });
    const list = await clients.observer.query(api.chat.list, { meetingId });
    expect(list.map((m) => [m.authorName, m.text, m.deleted, m.replyTo === a.messageId])).toEqual([
      ["Pia", "hi everyone", false, false],
      ["Hana", "", true, true],
    ]);
    expect(list[0]?.editedAt).toBeTypeOf("number");
  });

  test("given a retried post, then one message is stored", async () => {
    const { t, clients, meetingId } = await meetingFixture();
    const args = { meetingId, text: "once", idempotencyKey: "same" };
    const first = await clients.participant.mutation(api.chat.send, args);
    const again = await clients.participant.mutation(api.chat.send, args);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(await t.run(async (ctx) => (await ctx.db.query("chatEvents").collect()).length)).toBe(1);
  });

  test("only the author edits; hosts may delete any; observers cannot post", async () => {
    const { clients, meetingId } = await meetingFixture();
    const a = await clients.participant.mutation(api.chat.send, {
      meetingId,
      text: "mine",
      idempotencyKey: "k",
    });
    if (!a.ok) throw new Error(a.message);
    expect(
      await clients.host.mutation(api.chat.edit, {
        meetingId,
        messageId: a.messageId,
        text: "host edit",
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await clients.invited.mutation(api.chat.remove, { meetingId, messageId: a.messageId }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(
      await clients.observer.mutation(api.chat.send, { meetingId, text: "x", idempotencyKey: "o" }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await clients.participant.mutation(api.chat.send, {
        meetingId,
        text: "x",
        replyTo: "nope",
        idempotencyKey: "r",
      }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  test("given an ended meeting, then chat is closed but history stays readable", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    await clients.participant.mutation(api.chat.send, {
      meetingId,
      text: "bye",
      idempotencyKey: "b",
    });
    await clients.host.mutation(api.meetings.end, { meetingId });
    expect(
      await clients.participant.mutation(api.chat.send, {
        meetingId,
        text: "late",
        idempotencyKey: "l",
      }),
    ).toMatchObject({ ok: false, code: "MEETING_NOT_ACTIVE" });
    expect(
      (await clients.participant.query(api.chat.list, { meetingId })).map((m) => m.text),
    ).toEqual(["bye"]);
  });
});
