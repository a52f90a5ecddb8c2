/**
 * Retention (issue 18) on a meeting with synthetic old data (its end moved
 * back in time): a dry run counts and changes nothing; a pass removes what
 * is past its period and keeps the rest; note updates are compacted so a
 * fold of the log from empty still gives the notes; replay still opens; a
 * second pass finds nothing (idempotent).
 */

import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { readNoteUpdates } from "../../convex/lib/noteLog";
import { decodeSegment } from "../../convex/lib/noteSegmentCodec";
import { COMPACTION_ACTOR } from "../../convex/retentionSteps";
import { deriveNotes } from "../../projections/meetingNotes/notesView";
import { DAY_MS } from "../../projections/retention/policy";
import { meetingFixture } from "../core/fixtures";
import { drain, withFakeScheduler } from "../projections/fixtures";

withFakeScheduler();

type Fixture = Awaited<ReturnType<typeof meetingFixture>>;

async function oldMeeting() {
  const f = await meetingFixture({ live: true });
  for (const [i, line] of ["Kickoff notes", "Ship the kestrel release", "Owner: Pia"].entries()) {
    const r = await f.t.mutation(internal.notes.importText, {
      meetingId: f.meetingId,
      actor: "system:test",
      text: line,
    });
    expect(r.ok, `note ${i}`).toBe(true);
    await drain(f.t);
  }
  for (const [i, text] of ["kestrel is on track", "the kestrel budget is fine"].entries()) {
    const r = await f.clients.participant.mutation(api.transcripts.append, {
      meetingId: f.meetingId,
      interim: false,
      text,
      confidence: 0.9,
      startMs: i * 2000,
      endMs: i * 2000 + 1500,
      idempotencyKey: `t${i}`,
    });
    expect(r.ok).toBe(true);
  }
  await f.clients.host.mutation(api.chat.send, {
    meetingId: f.meetingId,
    text: "kestrel chat",
    idempotencyKey: "c",
  });
  await f.clients.host.mutation(api.meetings.end, { meetingId: f.meetingId });
  await drain(f.t);
  return f;
}

/** Move the meeting's end `days` into the past (synthetic old data), plus audit rows. */
async function age(f: Fixture, days: number) {
  await f.t.run(async (ctx) => {
    const at = Date.now() - days * DAY_MS;
    await ctx.db.patch("meetings", f.meetingId, { scheduledAt: at - 3_600_000, endedAt: at });
    await ctx.db.insert("auditLog", {
      at: Date.now() - 400 * DAY_MS,
      action: "old",
      outcome: "transition",
    });
    await ctx.db.insert("auditLog", {
      at: Date.now() - DAY_MS,
      action: "recent",
      outcome: "transition",
    });
  });
}

async function counts(f: Fixture) {
  return await f.t.run(async (ctx) => {
    const m = f.meetingId as Id<"meetings">;
    const n = async (table: "transcriptEvents" | "chatEvents" | "noteUpdates") =>
      (
        await ctx.db
          .query(table)
          .withIndex("by_meeting_commit", (q) => q.eq("meetingId", m))
          .take(1000)
      ).length;
    const segs = await ctx.db
      .query("noteSegments")
      .withIndex("by_meeting_to", (q) => q.eq("meetingId", m))
      .take(100);
    return {
      chunks: await n("transcriptEvents"),
      chat: await n("chatEvents"),
      noteUpdates: await n("noteUpdates"),
      noteSegments: segs.map((s) => decodeSegment(new Uint8Array(s.entries)).map((e) => e.actor)),
      segments: (
        await ctx.db
          .query("transcriptSegments")
          .withIndex("by_meeting_version_index", (q) => q.eq("meetingId", m))
          .take(100)
      ).length,
      notes: (
        await ctx.db
          .query("meetingNotes")
          .withIndex("by_meeting_version", (q) => q.eq("meetingId", m))
          .take(10)
      ).map((r) => r.text),
      insights: (
        await ctx.db
          .query("insights")
          .withIndex("by_meeting_version_user", (q) => q.eq("meetingId", m))
          .take(10)
      ).length,
      audit: (await ctx.db.query("auditLog").withIndex("by_at").take(1000))
        .map((a) => a.action)
        .filter((a) => a === "old" || a === "recent"),
    };
  });
}

async function pass(f: Fixture, dryRun: boolean) {
  await f.t.mutation(internal.retention.start, { dryRun });
  await drain(f.t);
  const run = await f.t.query(internal.retention.lastRun, {});
  if (!run) throw new Error("no run");
  expect(run.status).toBe("done");
  return run;
}

/** The notes a fold of the whole note log from empty gives. */
async function notesFromLog(f: Fixture) {
  const updates = await f.t.run(async (ctx) => {
    const r = await readNoteUpdates(ctx, f.meetingId, null, 10_000);
    return r.updates.map((u) =>
      u.update.buffer.slice(u.update.byteOffset, u.update.byteOffset + u.update.byteLength),
    );
  });
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, new Uint8Array(u));
  return deriveNotes(doc).text;
}

describe("retention", () => {
  test("at 100 days: chunks and chat go, note updates are compacted, the rest stays and replay opens", async () => {
    const f = await oldMeeting();
    const before = await counts(f);
    expect(before.chunks).toBe(2);
    expect(before.chat).toBe(1);
    expect(before.noteUpdates).toBe(3);
    expect(before.insights).toBeGreaterThan(0);
    const notesText = before.notes[0];
    expect(notesText).toContain("kestrel");
    await age(f, 100);

    const dry = await pass(f, true);
    expect(dry.dryRun).toBe(true);
    expect(dry.counts).toMatchObject({ transcriptChunks: 2, chat: 1, noteUpdates: 3, audit: 1 });
    expect(dry.counts.transcriptSegments + dry.counts.notes + dry.counts.ai).toBe(0);
    expect(dry.sample).toEqual([f.meetingId]);
    const afterDry = await counts(f);
    expect(afterDry.chunks).toBe(2);
    expect(afterDry.audit.sort()).toEqual(["old", "recent"]);

    await pass(f, false);
    const after = await counts(f);
    expect(after).toMatchObject({ chunks: 0, chat: 0, noteUpdates: 0 });
    expect(after.noteSegments).toEqual([[COMPACTION_ACTOR]]);
    expect(after.segments).toBe(before.segments);
    expect(after.notes).toEqual([notesText]);
    expect(after.insights).toBe(before.insights);
    expect(after.audit).toEqual(["recent"]);
    // A fold of the compacted log from empty gives the same notes.
    expect(await notesFromLog(f)).toBe(notesText);
    // Replay still opens, with the notes and the transcript (segments kept a year).
    const ended = await f.t.run(async (ctx) => (await ctx.db.get("meetings", f.meetingId))!);
    const frame = await f.clients.observer.query(api.timeline.stateAt, {
      meetingId: f.meetingId,
      t: Date.now(),
    });
    expect(frame.notes.text).toBe(notesText);
    expect(ended.status).toBe("ended");
    await f.clients.observer.query(api.timeline.events, { meetingId: f.meetingId });
    // Search follows: chat hits are gone, transcript and notes hits stay.
    const kinds = (await f.clients.host.query(api.search.meetings, { query: "kestrel" })).map(
      (h) => h.kind,
    );
    expect(kinds).not.toContain("chat");
    expect(kinds).toEqual(expect.arrayContaining(["notes", "transcript"]));

    // A second pass finds nothing to do.
    const again = await pass(f, false);
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
  });

  test("at 400 days: segments, notes, keyframes, insights and prompts go; the meeting and replay still open", async () => {
    const f = await oldMeeting();
    await age(f, 400);
    const run = await pass(f, false);
    expect(run.counts.transcriptSegments).toBeGreaterThan(0);
    expect(run.counts.notes).toBeGreaterThan(0);
    const after = await counts(f);
    expect(after).toMatchObject({
      chunks: 0,
      chat: 0,
      noteUpdates: 0,
      segments: 0,
      notes: [],
      insights: 0,
    });
    expect(after.noteSegments).toEqual([]);
    expect((await f.clients.host.query(api.meetings.get, { meetingId: f.meetingId })).title).toBe(
      "Fixture",
    );
    const frame = await f.clients.observer.query(api.timeline.stateAt, {
      meetingId: f.meetingId,
      t: Date.now(),
    });
    expect(frame.notes.text).toBe("");
    const kinds = (await f.clients.host.query(api.search.meetings, { query: "kestrel" })).map(
      (h) => h.kind,
    );
    expect(kinds).toEqual([]);
  });

  test("a meeting bigger than a step is removed over several bounded steps", async () => {
    const f = await oldMeeting();
    await f.t.run(async (ctx) => {
      const [row] = await ctx.db
        .query("transcriptEvents")
        .withIndex("by_meeting_commit", (q) => q.eq("meetingId", f.meetingId))
        .take(1);
      if (!row) throw new Error("no chunk");
      const { _id, _creationTime, ...fields } = row;
      for (let i = 0; i < 1000; i++)
        await ctx.db.insert("transcriptEvents", {
          ...fields,
          idempotencyKey: `bulk-${i}`,
          seq: 100 + i,
        });
    });
    await age(f, 100);
    const run = await pass(f, false);
    expect(run.counts.transcriptChunks).toBe(1002);
    // 1,002 chunks at 400 rows a step: at least three steps, none over the budget.
    expect(run.steps).toBeGreaterThanOrEqual(4);
    expect((await counts(f)).chunks).toBe(0);
  });
});
