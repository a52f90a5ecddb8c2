/**
 * The one append path: duplicate appends (same idempotency key) store one
 * event, whether retried later or sent concurrently; commitTs resolves to a
 * bigint in commit order.
 */
import { describe, expect, test } from "vitest";
import { meetingFixture } from "../../tests/core/fixtures";
import { api } from "../_generated/api";
import { type AppendHook, appendEvent } from "./events";
import { openChatRow } from "./personalData";

/** A hook that records what it was told (in place of the projectors' kick). */
function recorder() {
  const calls: string[] = [];
  const hook: AppendHook = async (_ctx, { stream }) => {
    calls.push(stream);
  };
  return { calls, hook };
}

describe("appendEvent", () => {
  test("a retry with the same key in a later transaction returns the original row", async () => {
    const { t, meetingId, ids } = await meetingFixture({ live: true });
    const row = {
      meetingId,
      actor: ids.participant,
      idempotencyKey: "k-1",
      schemaVersion: 1,
      at: 1,
      kind: "MessagePosted" as const,
      messageId: "m-1",
      authorId: ids.participant,
      data: { text: "hello" },
    };
    const { calls, hook } = recorder();
    const first = await t.run(async (ctx) => await appendEvent(ctx, "chatEvents", row, hook));
    const second = await t.run(
      async (ctx) =>
        await appendEvent(ctx, "chatEvents", { ...row, data: { text: "changed" } }, hook),
    );
    // The hook runs for the new row only, told its stream.
    expect(calls).toEqual(["chat"]);
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ eventId: first.eventId, duplicate: true });
    const rows = await t.run(async (ctx) => await ctx.db.query("chatEvents").collect());
    // Stored sealed under the author's key (never as plaintext), opened by the one helper.
    expect(rows.map((r) => [r.piiSeal, r.data.text?.includes("hello")])).toEqual([[1, false]]);
    const opened = await t.run(async (ctx) => await openChatRow(ctx, rows[0]!));
    expect(opened.data.text).toBe("hello");
  });

  test("a duplicate within one transaction is caught too", async () => {
    const { t, meetingId, ids } = await meetingFixture();
    const n = await t.run(async (ctx) => {
      const row = {
        meetingId,
        actor: ids.host,
        idempotencyKey: "same",
        schemaVersion: 1,
        at: 1,
        kind: "MessagePosted" as const,
        messageId: "m",
        authorId: ids.host,
        data: { text: "x" },
      };
      const { hook } = recorder();
      await appendEvent(ctx, "chatEvents", row, hook);
      await appendEvent(ctx, "chatEvents", row, hook);
      return (await ctx.db.query("chatEvents").collect()).length;
    });
    expect(n).toBe(1);
  });

  test("concurrent duplicates (same client key) store one event each kind", async () => {
    const { t, clients, meetingId } = await meetingFixture({ live: true });
    const send = () =>
      clients.participant.mutation(api.chat.send, {
        meetingId,
        text: "once",
        idempotencyKey: "dup",
      });
    const chunk = () =>
      clients.participant.mutation(api.transcripts.append, {
        meetingId,
        interim: false,
        text: "once",
        confidence: 1,
        startMs: 0,
        endMs: 10,
        idempotencyKey: "dup",
      });
    const results = await Promise.all([send(), send(), send(), chunk(), chunk(), chunk()]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && "duplicate" in r && r.duplicate === false)).toHaveLength(
      1,
    );
    const seqs = results
      .filter((r) => r.ok && "sequences" in r)
      .map((r) => (r.ok && "sequences" in r ? r.sequences : []));
    expect(seqs).toEqual([[1], [1], [1]]);
    const counts = await t.run(async (ctx) => ({
      chat: (await ctx.db.query("chatEvents").collect()).length,
      transcript: (await ctx.db.query("transcriptEvents").collect()).length,
    }));
    expect(counts).toEqual({ chat: 1, transcript: 1 });
  });

  test("concurrent lifecycle commands with one key apply once", async () => {
    const { t, clients, meetingId } = await meetingFixture();
    const start = () =>
      clients.host.mutation(api.meetings.start, { meetingId, idempotencyKey: "go" });
    const results = await Promise.all([start(), start()]);
    expect(results.map((r) => r.ok && r.duplicate).sort()).toEqual([false, true]);
    const started = await t.run(
      async (ctx) =>
        (await ctx.db.query("meetingEvents").collect()).filter((e) => e.kind === "MeetingStarted")
          .length,
    );
    expect(started).toBe(1);
  });

  test("commitTs resolves to increasing bigints in commit order", async () => {
    const { t, meetingId } = await meetingFixture({ live: true });
    const rows = await t.run(
      async (ctx) =>
        await ctx.db
          .query("meetingEvents")
          .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
          .collect(),
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(typeof r.commitTs).toBe("bigint");
    const ts = rows.map((r) => r.commitTs as bigint);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! >= ts[i - 1]!).toBe(true);
  });
});
