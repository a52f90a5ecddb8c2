/**
 * Search across meetings (issue 18), through the real functions and
 * projectors. The backend has the embedded engine's search installed
 * (`engine/text-search.ts`: Convex's tokenizer, BM25, last-term prefix):
 * plain convex-test matches whitespace-split prefixes of every term and
 * returns insertion order, so it could not show relevance order.
 *
 * Invariants: (S1) hits come best first; (S2) nobody but the meeting's
 * current readers ever gets a hit from it — not the removed, not outsiders,
 * not a removed person before the fan-out ran; (S3) content is searchable
 * once its projection (and the fan-out it queues) has landed; (S4) a reader
 * added later finds what was said before; a deleted message is gone.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { installHooks } from "../../engine/internals";
import { meetingFixture } from "../core/fixtures";
import { drain, withFakeScheduler } from "../projections/fixtures";

beforeAll(() => installHooks());
withFakeScheduler();

type Fixture = Awaited<ReturnType<typeof meetingFixture>>;

async function say(f: Fixture, text: string, key: string, startMs = 0) {
  const r = await f.clients.participant.mutation(api.transcripts.append, {
    meetingId: f.meetingId,
    interim: false,
    text,
    confidence: 0.9,
    startMs,
    endMs: startMs + 1000,
    idempotencyKey: key,
  });
  if (!r.ok) throw new Error(r.message);
}

async function chat(f: Fixture, who: "host" | "participant", text: string, key: string) {
  const r = await f.clients[who].mutation(api.chat.send, {
    meetingId: f.meetingId,
    text,
    idempotencyKey: key,
  });
  if (!r.ok) throw new Error(r.message);
  return r.messageId;
}

describe("search", () => {
  test("S1 hits come in relevance order; the last term matches as a prefix", async () => {
    const f = await meetingFixture({ live: true });
    await chat(
      f,
      "participant",
      "we talked about lunch and the weather and many other things",
      "a",
    );
    // The weaker match is posted first, so insertion order would put it first.
    await chat(f, "participant", "one line on the budget among many other words here", "c");
    await chat(f, "host", "budget budget: the budget for next quarter", "b");
    await drain(f.t);
    const hits = await f.clients.participant.query(api.search.meetings, { query: "budget" });
    expect(hits.map((h) => h.snippet)).toEqual([
      "budget budget: the budget for next quarter",
      "one line on the budget among many other words here",
    ]);
    const prefix = await f.clients.participant.query(api.search.meetings, { query: "quart" });
    expect(prefix.map((h) => h.key)).toHaveLength(1);
    // Only the last term is a prefix: "quart" before another term must match a whole token.
    const notPrefix = await f.clients.participant.query(api.search.meetings, {
      query: "quart zzz",
    });
    expect(notPrefix).toEqual([]);
  });

  test("S2 non-members never see a hit; a removed person sees none even before the fan-out", async () => {
    const f = await meetingFixture({ live: true });
    await chat(f, "host", "the secret launch codename is bluebird", "s");
    await drain(f.t);
    for (const who of ["host", "participant", "observer", "invited"] as const) {
      const hits = await f.clients[who].query(api.search.meetings, { query: "bluebird" });
      expect(hits.map((h) => h.meetingTitle)).toEqual(["Fixture"]);
    }
    for (const who of ["removed", "nonParticipant", "otherOrg"] as const) {
      expect(await f.clients[who].query(api.search.meetings, { query: "bluebird" })).toEqual([]);
      expect(await f.clients[who].query(api.search.meetings, { query: "Fixture" })).toEqual([]);
    }
    // Removing the participant: their rows still exist until the fan-out runs, yet no hit.
    const removed = await f.clients.host.mutation(api.participants.remove, {
      meetingId: f.meetingId,
      userId: f.ids.participant,
    });
    expect(removed.ok).toBe(true);
    const rowsBefore = await f.t.run((ctx) =>
      ctx.db
        .query("searchRows")
        .withIndex("by_user", (q) => q.eq("userId", f.ids.participant))
        .take(100),
    );
    expect(rowsBefore.length).toBeGreaterThan(0);
    expect(await f.clients.participant.query(api.search.meetings, { query: "bluebird" })).toEqual(
      [],
    );
    await drain(f.t);
    const rowsAfter = await f.t.run((ctx) =>
      ctx.db
        .query("searchRows")
        .withIndex("by_user", (q) => q.eq("userId", f.ids.participant))
        .take(100),
    );
    expect(rowsAfter).toEqual([]);
  });

  test("S3 chat, transcript, notes and titles are searchable once their projections land, with replay links", async () => {
    const f = await meetingFixture({ live: true });
    await chat(f, "participant", "pelican deadline is friday", "c1");
    await say(f, "the pelican migration needs two more weeks", "t1", 5_000);
    await f.t.mutation(internal.notes.importText, {
      meetingId: f.meetingId,
      actor: "system:test",
      text: "Decisions\nPelican ships after the audit",
    });
    expect(await f.clients.host.query(api.search.meetings, { query: "pelican" })).toEqual([]);
    await drain(f.t);
    const hits = await f.clients.host.query(api.search.meetings, { query: "pelican" });
    expect(hits.map((h) => h.kind).sort()).toEqual(["chat", "notes", "transcript"]);
    for (const h of hits) {
      expect(h.href).toBe(`/meetings/${f.meetingId}/replay?t=${h.at}`);
      expect(h.at).toBeGreaterThan(0);
    }
    expect(hits.find((h) => h.kind === "chat")?.by).toBe("Pia");
    expect(hits.find((h) => h.kind === "transcript")?.by).toBe("Pia");
    const onlyNotes = await f.clients.host.query(api.search.meetings, {
      query: "pelican",
      kind: "notes",
    });
    expect(onlyNotes.map((h) => h.snippet)).toEqual(["Decisions\nPelican ships after the audit"]);
    const title = await f.clients.observer.query(api.search.meetings, { query: "fixt" });
    expect(title.map((h) => h.kind)).toEqual(["title"]);
  });

  test("S4 a reader invited later finds earlier content; deleted and edited messages follow", async () => {
    const f = await meetingFixture({ live: true });
    const m1 = await chat(f, "host", "albatross plan approved", "m1");
    const m2 = await chat(f, "host", "albatross typo here", "m2");
    await drain(f.t);
    const invited = await f.clients.host.mutation(api.participants.invite, {
      meetingId: f.meetingId,
      userId: f.ids.nonParticipant,
      role: "participant",
    });
    expect(invited.ok).toBe(true);
    await f.clients.host.mutation(api.chat.remove, { meetingId: f.meetingId, messageId: m2 });
    await f.clients.host.mutation(api.chat.edit, {
      meetingId: f.meetingId,
      messageId: m1,
      text: "albatross plan approved and funded",
    });
    await drain(f.t);
    const hits = await f.clients.nonParticipant.query(api.search.meetings, {
      query: "albatross",
    });
    expect(hits.map((h) => h.snippet)).toEqual(["albatross plan approved and funded"]);
    const rows = await f.t.run((ctx) =>
      ctx.db
        .query("searchRows")
        .withIndex("by_meeting_key_user", (q) =>
          q.eq("meetingId", f.meetingId as Id<"meetings">).eq("key", `chat:${m2}`),
        )
        .take(10),
    );
    expect(rows).toEqual([]);
  });

  test("bad input is refused with VALIDATION_ERROR", async () => {
    const f = await meetingFixture();
    await expect(
      f.clients.host.query(api.search.meetings, { query: "x", limit: 0 }),
    ).rejects.toThrow(/limit/);
    await expect(
      f.clients.host.query(api.search.meetings, { query: "x".repeat(500) }),
    ).rejects.toThrow(/at most/);
    expect(await f.clients.host.query(api.search.meetings, { query: "   " })).toEqual([]);
  });
});
