/**
 * Connections and direct messages: request/accept/decline/remove, mutual
 * requests, the decline cool-down, blocks; messages only between
 * connections, idempotent by client key, bounded, paginated, read only by
 * the two people; suggestions from matches and meetings.
 */
import { describe, expect, test } from "vitest";
import { makeConvex, type TestBackend } from "../tests/harness/convex";
import { onboard } from "../tests/matching/people";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";

async function three(t: TestBackend) {
  return {
    ann: await onboard(t, "Ann"),
    ben: await onboard(t, "Ben"),
    cat: await onboard(t, "Cat"),
  };
}

describe("connections", () => {
  test("request, accept, list on both sides, remove", async () => {
    const t = makeConvex();
    const { ann, ben } = await three(t);
    const r = await ann.client.mutation(api.connections.request, {
      userId: ben.userId,
      note: "Hi!",
    });
    expect(r).toMatchObject({ ok: true, status: "pending" });
    const again = await ann.client.mutation(api.connections.request, { userId: ben.userId });
    expect(again).toMatchObject({ ok: true, status: "pending" });
    const pend = await ben.client.query(api.connections.pending, {});
    expect(pend.incoming.map((p) => [p.person.userId, p.note])).toEqual([[ann.userId, "Hi!"]]);
    expect((await ann.client.query(api.connections.pending, {})).outgoing).toHaveLength(1);
    const id = r.ok ? r.connectionId : ("" as Id<"connections">);
    expect(
      await ann.client.mutation(api.connections.respond, { connectionId: id, accept: true }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(
      await ben.client.mutation(api.connections.respond, { connectionId: id, accept: true }),
    ).toEqual({
      ok: true,
      status: "accepted",
    });
    for (const [c, other] of [
      [ann.client, ben.userId],
      [ben.client, ann.userId],
    ] as const)
      expect((await c.query(api.connections.list, {})).map((x) => x.person.userId)).toEqual([
        other,
      ]);
    expect(
      await ben.client.mutation(api.connections.request, { userId: ann.userId }),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    expect(await ben.client.mutation(api.connections.remove, { userId: ann.userId })).toEqual({
      ok: true,
      removed: true,
    });
    expect(await ann.client.query(api.connections.list, {})).toEqual([]);
  });

  test("a request to someone who asked first connects at once; a decline has a cool-down", async () => {
    const t = makeConvex();
    const { ann, ben, cat } = await three(t);
    await ann.client.mutation(api.connections.request, { userId: ben.userId });
    expect(
      await ben.client.mutation(api.connections.request, { userId: ann.userId }),
    ).toMatchObject({
      ok: true,
      status: "accepted",
    });
    const r = await ann.client.mutation(api.connections.request, { userId: cat.userId });
    await cat.client.mutation(api.connections.respond, {
      connectionId: r.ok ? r.connectionId : ("" as Id<"connections">),
      accept: false,
    });
    expect(
      await ann.client.mutation(api.connections.request, { userId: cat.userId }),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    expect(
      await ann.client.mutation(api.connections.request, { userId: ann.userId }),
    ).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
  });

  test("a block refuses requests either way and removes the connection", async () => {
    const t = makeConvex();
    const { ann, ben } = await three(t);
    await ann.client.mutation(api.connections.request, { userId: ben.userId });
    await ben.client.mutation(api.connections.request, { userId: ann.userId });
    await ben.client.mutation(api.matching.block, { userId: ann.userId, kind: "block" });
    expect(await ann.client.query(api.connections.list, {})).toEqual([]);
    for (const [c, other] of [
      [ann.client, ben.userId],
      [ben.client, ann.userId],
    ] as const)
      expect(await c.mutation(api.connections.request, { userId: other })).toMatchObject({
        ok: false,
        code: "FORBIDDEN",
      });
  });

  test("suggestions: people met in meetings, minus connections and blocks", async () => {
    const t = makeConvex();
    const { ann, ben, cat } = await three(t);
    const m = await ann.client.mutation(api.meetings.schedule, {
      title: "Design review",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [
        { userId: ben.userId, role: "participant" },
        { userId: cat.userId, role: "participant" },
      ],
    });
    expect(m.ok).toBe(true);
    const s = await ann.client.query(api.connections.suggestions, {});
    expect(s.map((x) => [x.person.userId, x.source, x.reason]).sort()).toEqual(
      [
        [ben.userId, "meeting", 'You met in "Design review"'],
        [cat.userId, "meeting", 'You met in "Design review"'],
      ].sort(),
    );
    await ann.client.mutation(api.connections.request, { userId: ben.userId });
    await cat.client.mutation(api.matching.block, { userId: ann.userId, kind: "block" });
    expect(await ann.client.query(api.connections.suggestions, {})).toEqual([]);
  });
});

describe("direct messages", () => {
  async function connected(t: TestBackend) {
    const people = await three(t);
    await people.ann.client.mutation(api.connections.request, { userId: people.ben.userId });
    await people.ben.client.mutation(api.connections.request, { userId: people.ann.userId });
    return people;
  }

  test("only connections write; a resend is stored once; only the two read", async () => {
    const t = makeConvex();
    const { ann, ben, cat } = await connected(t);
    expect(
      await ann.client.mutation(api.directMessages.send, { to: cat.userId, text: "hi" }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    const sent = await ann.client.mutation(api.directMessages.send, {
      to: ben.userId,
      text: "  Hello Ben  ",
      clientKey: "k1",
    });
    expect(sent).toMatchObject({ ok: true, duplicate: false });
    const resent = await ann.client.mutation(api.directMessages.send, {
      to: ben.userId,
      text: "Hello Ben",
      clientKey: "k1",
    });
    expect(resent).toMatchObject({ ok: true, duplicate: true });
    const threadId = sent.ok ? sent.threadId : ("" as Id<"dmThreads">);
    const page = await ben.client.query(api.directMessages.list, {
      threadId,
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(page.page.map((m) => [m.text, m.mine])).toEqual([["Hello Ben", false]]);
    await expect(
      cat.client.query(api.directMessages.list, {
        threadId,
        paginationOpts: { numItems: 10, cursor: null },
      }),
    ).rejects.toThrow(/not yours/);
    const threads = await ben.client.query(api.directMessages.threads, {});
    expect(threads).toMatchObject([
      { threadId, lastPreview: "Hello Ben", unread: true, lastFromMe: false },
    ]);
    expect(await cat.client.mutation(api.directMessages.markRead, { threadId })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    await ben.client.mutation(api.directMessages.markRead, { threadId });
    expect((await ben.client.query(api.directMessages.threads, {}))[0]?.unread).toBe(false);
    expect(
      await ann.client.query(api.directMessages.withPerson, { userId: ben.userId }),
    ).toMatchObject({
      threadId,
      canSend: true,
    });
  });

  test("bounded texts, newest first in pages, and no sending after a removal or block", async () => {
    const t = makeConvex();
    const { ann, ben } = await connected(t);
    for (const text of ["", "x".repeat(2001)])
      expect(
        await ann.client.mutation(api.directMessages.send, { to: ben.userId, text }),
      ).toMatchObject({
        ok: false,
        code: "VALIDATION_ERROR",
      });
    let threadId: Id<"dmThreads"> | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await ann.client.mutation(api.directMessages.send, {
        to: ben.userId,
        text: `m${i}`,
      });
      if (r.ok) threadId = r.threadId;
    }
    const first = await ben.client.query(api.directMessages.list, {
      threadId: threadId!,
      paginationOpts: { numItems: 3, cursor: null },
    });
    expect(first.page.map((m) => m.text)).toEqual(["m4", "m3", "m2"]);
    const second = await ben.client.query(api.directMessages.list, {
      threadId: threadId!,
      paginationOpts: { numItems: 3, cursor: first.continueCursor },
    });
    expect(second.page.map((m) => m.text)).toEqual(["m1", "m0"]);
    expect(second.isDone).toBe(true);
    await ben.client.mutation(api.connections.remove, { userId: ann.userId });
    expect(
      await ann.client.mutation(api.directMessages.send, { to: ben.userId, text: "still?" }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    // The history stays readable to the two of them.
    expect(
      (
        await ann.client.query(api.directMessages.list, {
          threadId: threadId!,
          paginationOpts: { numItems: 10, cursor: null },
        })
      ).page,
    ).toHaveLength(5);
  });
});
