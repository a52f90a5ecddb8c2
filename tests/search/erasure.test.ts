/**
 * Erasure (issue 18). The proof: after Pia is erased, a scan of every table
 * of the schema (bytes decoded as UTF-8, so Yjs updates, sealed note
 * segments and projection blobs are searched too), of the scheduled
 * functions' arguments and of the stored files finds none of her name, email
 * or the marker strings she typed (notes, transcript, chat, direct message,
 * profile). Hana's notes, transcript, chat and the replay still read. A
 * re-run changes nothing and keeps the proof; nobody but the person (or an
 * operator with the token) can erase them.
 *
 * The harness is convex-test (in memory): there is no engine data directory
 * to scan here; the engine stores exactly these documents.
 */
import { describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import type { TableNames } from "../../convex/_generated/dataModel";
import { ERASE_CONFIRMATION } from "../../convex/erasure";
import { MEETING_STAGES, ROWS_PER_STEP } from "../../convex/erasure/meeting";
import { ERASED_NAME, ERASED_TEXT } from "../../convex/lib/personalData";
import schema from "../../convex/schema";
import { meetingFixture } from "../core/fixtures";
import { roomArgs } from "../harness/roomKey";
import { appendChunk, drain, withFakeScheduler } from "../projections/fixtures";
import { content, type Fixture } from "./fixtures";

withFakeScheduler();

/** What Pia is and typed: none of it may survive her erasure. */
const PIA = ["Pia", "pia@example.com", "zebra", "pia chat line", "private hello", "quokka"];

function decodeBytes(_key: string, value: unknown): unknown {
  if (value instanceof ArrayBuffer) return new TextDecoder().decode(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** Every stored string (documents, scheduled arguments, files) with the markers it holds. */
async function scan(f: Fixture, markers: readonly string[]) {
  return await f.t.run(async (ctx) => {
    const hits: string[] = [];
    const look = (where: string, text: string) => {
      for (const m of markers) if (text.includes(m)) hits.push(`${where}: ${m}`);
    };
    for (const table of Object.keys(schema.tables) as TableNames[]) {
      for (const row of await ctx.db.query(table).collect())
        look(table, JSON.stringify(row, decodeBytes));
    }
    for (const s of await ctx.db.system.query("_scheduled_functions").collect())
      look("_scheduled_functions", JSON.stringify(s, decodeBytes));
    for (const file of await ctx.db.system.query("_storage").collect()) {
      const blob = await ctx.storage.get(file._id);
      if (blob) look("_storage", await blob.text());
    }
    return hits;
  });
}

/** Pia and Hana meet: notes, transcript, chat; Pia has a profile and DMs Hana; the meeting ends. */
async function world() {
  const f = await meetingFixture({ live: true });
  await content(f);
  await f.clients.participant.mutation(api.profiles.update, {
    bio: "quokka keeper",
    headline: "zebra wrangler",
  });
  const req = await f.clients.participant.mutation(api.connections.request, {
    userId: f.ids.host,
    note: "hi from the zebra memo author",
  });
  if (!req.ok) throw new Error(req.message);
  await f.clients.host.mutation(api.connections.respond, {
    connectionId: req.connectionId,
    accept: true,
  });
  await f.clients.participant.mutation(api.directMessages.send, {
    to: f.ids.host,
    text: "private hello from pia",
  });
  await f.clients.host.mutation(api.directMessages.send, {
    to: f.ids.participant,
    text: "hello back from hana",
  });
  // Hana invites Pia by email to next week's meeting: invitation and reminder mails, their plan.
  const next = await f.clients.host.mutation(api.meetings.schedule, {
    title: "Next week",
    scheduledAt: Date.now() + 7 * 24 * 3_600_000,
    durationMinutes: 30,
  });
  if (!next.ok) throw new Error(next.message);
  const invited = await f.clients.host.mutation(api.participants.invite, {
    meetingId: next.meetingId,
    email: "pia@example.com",
    role: "participant",
  });
  if (!invited.ok) throw new Error(invited.message);
  await f.clients.host.mutation(api.meetings.end, { meetingId: f.meetingId });
  await drain(f.t);
  // Pia downloads her data: the file stays in storage for an hour unless she is erased first.
  await f.clients.participant.action(api.exportData.mine, {});
  return f;
}

async function erasePia(f: Fixture) {
  const r = await f.clients.participant.mutation(api.erasure.eraseMe, {
    confirm: ERASE_CONFIRMATION,
  });
  await drain(f.t);
  return r;
}

/** What Hana sees of the meeting now. */
async function hanasView(f: Fixture) {
  const host = f.clients.host;
  const notes = await host.query(api.meetingNotes.get, { meetingId: f.meetingId });
  const transcript = await host.query(api.transcripts.stream, {
    ...(await roomArgs(host, f.meetingId)),
  });
  const chat = await host.query(api.chat.list, { meetingId: f.meetingId });
  const replay = await host.query(api.timeline.stateAt, { meetingId: f.meetingId, t: Date.now() });
  return { notes, transcript, chat, replay };
}

describe("erasure", () => {
  test("before: Pia's data is where the scan looks (the scan finds what is there)", async () => {
    const f = await world();
    const hits = await scan(f, PIA);
    for (const table of [
      "users",
      "profiles",
      "noteUpdates",
      "meetingNotes",
      "transcriptSegments",
      "reminderPlans",
      "mailOutbox",
      "_storage",
    ])
      expect(hits.some((h) => h.startsWith(`${table}:`))).toBe(true);
    // Sealed at rest: the event rows hold none of her words.
    expect(hits.filter((h) => /^(transcriptEvents|chatEvents|directMessages):/.test(h))).toEqual(
      [],
    );
  });

  test("after erasure no table, scheduled argument or file holds Pia's name, email or words; Hana's content and the replay still read", async () => {
    const f = await world();
    const before = await hanasView(f);
    expect(before.notes?.text).toContain("Pia wrote the zebra plan");
    await erasePia(f);
    expect(await f.clients.participant.query(api.erasure.status, {})).toMatchObject({
      phase: "done",
      meetingsDone: 2,
    });
    expect(await scan(f, PIA)).toEqual([]);

    const after = await hanasView(f);
    expect(after.notes?.text).toContain("Hana added the yak budget");
    expect(after.notes?.text).not.toContain("zebra");
    const lines = after.transcript.chunks.map((c) => [c.speaker, c.text]);
    expect(lines).toContainEqual(["Hana", "thanks, yak numbers next"]);
    expect(lines).toContainEqual([ERASED_NAME, ERASED_TEXT]);
    expect(after.chat.map((m) => m.text)).toEqual([ERASED_TEXT, "hana chat line"]);
    expect(after.replay.notes.text).toContain("Hana added the yak budget");
    expect(after.replay.notes.text).not.toContain("zebra");
    expect(after.replay.transcript.segments.map((s) => s.text).join(" ")).toContain(
      "thanks, yak numbers next",
    );
    // The regenerated insights take nothing from the placeholders (no "erased" topic or item).
    const insights = await f.clients.host.query(api.insights.forMeeting, {
      meetingId: f.meetingId,
    });
    expect(insights.status).toBe("done");
    for (const row of insights.all) expect(row.summary).not.toMatch(/covered[^.]*\berased\b/i);
    // Hana's side of the conversation stays; Pia's message is the placeholder.
    const threads = await f.clients.host.query(api.directMessages.threads, {});
    const messages = await f.clients.host.query(api.directMessages.list, {
      threadId: threads[0]!.threadId,
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(messages.page.map((m) => m.text).sort()).toEqual(
      [ERASED_TEXT, "hello back from hana"].sort(),
    );
    // Her keys are shredded; her profile is gone.
    const left = await f.t.run(async (ctx) => ({
      keys: await ctx.db.query("personKeys").collect(),
      profiles: await ctx.db.query("profiles").collect(),
    }));
    expect(left.keys.map((k) => k.userId)).not.toContain(f.ids.participant);
    expect(left.profiles.map((p) => p.userId)).not.toContain(f.ids.participant);
  });

  test("a re-run is idempotent: it finishes, changes none of Hana's content, and the scan stays clean", async () => {
    const f = await world();
    await erasePia(f);
    const first = await hanasView(f);
    process.env.CONNVO_ADMIN_TOKEN = "erasure-test-token";
    try {
      await f.anonymous.mutation(api.erasure.eraseUser, {
        adminToken: "erasure-test-token",
        userId: f.ids.participant,
        operator: "support-1",
        reason: "re-run after a fix",
      });
    } finally {
      delete process.env.CONNVO_ADMIN_TOKEN;
    }
    await drain(f.t);
    const rerun = await f.t.run(async (ctx) =>
      ctx.db
        .query("erasures")
        .withIndex("by_user", (q) => q.eq("userId", f.ids.participant))
        .collect(),
    );
    expect(rerun.map((e) => e.phase)).toEqual(["done"]);
    expect(await scan(f, PIA)).toEqual([]);
    const second = await hanasView(f);
    expect(second.notes?.text).toBe(first.notes?.text);
    expect(second.transcript.chunks).toEqual(first.transcript.chunks);
    expect(second.chat).toEqual(first.chat);
  });

  test("while the erasure runs her own calls write nothing back; once done, signing in again starts a fresh, empty account", async () => {
    const f = await world();
    await f.clients.participant.mutation(api.erasure.eraseMe, { confirm: ERASE_CONFIRMATION });
    // Mid-run: her next call finds the row being erased and leaves it as it is.
    const midRun = await f.clients.participant.mutation(api.users.ensure, {});
    expect(midRun._id).toBe(f.ids.participant);
    // No new export either: the file would hold what is being erased.
    const filesBefore = await f.t.run(async (ctx) => ctx.db.system.query("_storage").collect());
    await expect(f.clients.participant.action(api.exportData.mine, {})).rejects.toThrow(
      /being erased/,
    );
    const filesAfter = await f.t.run(async (ctx) => ctx.db.system.query("_storage").collect());
    expect(filesAfter.length).toBe(filesBefore.length);
    await drain(f.t);
    expect(await scan(f, PIA)).toEqual([]);
    expect((await f.clients.participant.query(api.erasure.status, {}))?.phase).toBe("done");

    // She signs in again: a new account, not the tombstone, with nothing of the old one.
    const fresh = await f.clients.participant.mutation(api.users.ensure, {});
    expect(fresh._id).not.toBe(f.ids.participant);
    expect(fresh.name).toBe("Pia");
    const me = await f.clients.participant.query(api.users.me, {});
    expect(me.user._id).toBe(fresh._id);
    expect(me.profile).toBeNull();
    expect(await f.clients.participant.query(api.erasure.status, {})).toBeNull();
    const rows = await f.t.run(async (ctx) => ({
      tombstone: await ctx.db.get("users", f.ids.participant),
      fresh: await ctx.db.get("users", fresh._id),
    }));
    expect(rows.tombstone).toMatchObject({ name: ERASED_NAME, issuer: "erased" });
    expect(rows.tombstone?.email).toBeUndefined();
    // The new account is a person like any other: insights and matching see it again.
    expect(rows.fresh?.erasedAt).toBeUndefined();
    // Hana's meeting still shows the erased person, not the new account.
    const view = await hanasView(f);
    expect(JSON.stringify(view)).not.toContain("Pia");
  });

  test("nobody erases someone else: eraseMe has no user argument, eraseUser needs the operator token, confirmation is required", async () => {
    const f = await world();
    process.env.CONNVO_ADMIN_TOKEN = "erasure-test-token";
    try {
      await expect(
        f.clients.host.mutation(api.erasure.eraseUser, {
          adminToken: "guess",
          userId: f.ids.participant,
          operator: "hana",
          reason: "I do not like her",
        }),
      ).rejects.toThrow(/wrong operator token/);
      await expect(
        f.clients.participant.mutation(api.erasure.eraseMe, { confirm: "yes" }),
      ).rejects.toThrow(/to confirm/);
      await expect(
        f.anonymous.mutation(api.erasure.eraseMe, { confirm: ERASE_CONFIRMATION }),
      ).rejects.toThrow(/sign in/);
      await drain(f.t);
      expect(await scan(f, ["zebra"])).not.toEqual([]);

      await f.anonymous.mutation(api.erasure.eraseUser, {
        adminToken: "erasure-test-token",
        userId: f.ids.participant,
        operator: "support-1",
        reason: "ticket 42: the person asked by mail",
      });
      await drain(f.t);
      expect(await scan(f, PIA)).toEqual([]);
      const audit = await f.t.run(async (ctx) =>
        (await ctx.db.query("auditLog").collect()).filter((a) => a.action === "user.erase"),
      );
      expect(audit).toContainEqual(
        expect.objectContaining({
          outcome: "admin",
          operator: "support-1",
          actorId: f.ids.participant,
        }),
      );
    } finally {
      delete process.env.CONNVO_ADMIN_TOKEN;
    }
  });

  test("more rows than one step takes: the run pages through them in bounded, rescheduled steps", async () => {
    const f = await meetingFixture({ live: true });
    const chunks = ROWS_PER_STEP * 2 + 50;
    // Appended on the one append path (sealed as any chunk), past the ingest rate limit.
    for (let i = 0; i < chunks; i++)
      await appendChunk(f.t, f.meetingId, Date.now(), {
        seq: i + 1,
        utteranceId: `u${i}`,
        speakerId: f.ids.participant,
        speaker: "Pia",
        text: `zebra line ${i}`,
        confidence: 0.9,
        startMs: i * 1000,
        endMs: i * 1000 + 900,
        isFinal: true,
      });
    await drain(f.t);
    await erasePia(f);
    const run = await f.t.run(async (ctx) => await ctx.db.query("erasures").first());
    // Three pages of transcript alone, besides one step per other stage.
    expect(run).toMatchObject({ phase: "done", meetingsDone: 1 });
    expect(run!.steps).toBeGreaterThan(MEETING_STAGES.length + 3);
    expect(await scan(f, PIA)).toEqual([]);
    const left = await f.clients.host.query(api.transcripts.stream, {
      ...(await roomArgs(f.clients.host, f.meetingId)),
    });
    expect(new Set(left.chunks.map((c) => c.text))).toEqual(new Set([ERASED_TEXT]));
  });
});
