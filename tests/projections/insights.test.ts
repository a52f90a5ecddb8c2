/**
 * Insights end to end on a recorded sample meeting: notes typed in TipTap's
 * fragment and a transcript, then MeetingEnded. The insights projector
 * schedules the generating action, which must name the action items actually
 * stated in the meeting, per participant, readable through the public queries.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { makeConvex } from "../harness/convex";
import { appendChunk, appendMeeting, appendNote, drain, withFakeScheduler } from "./fixtures";

const PEOPLE = [
  { key: "alice", name: "Alice Martin", role: "host" as const },
  { key: "bob", name: "Bob Chen", role: "participant" as const },
  { key: "cara", name: "Cara Diaz", role: "participant" as const },
];

withFakeScheduler();

describe("insights", () => {
  test("name the stated action items, per participant, after the meeting ends", async () => {
    const t = makeConvex();
    const ids = await t.run(async (ctx) => {
      const users: Record<string, Id<"users">> = {};
      for (const p of PEOPLE) {
        users[p.key] = await ctx.db.insert("users", {
          tokenIdentifier: `test|${p.key}`,
          subject: p.key,
          issuer: "test",
          name: p.name,
          createdAt: 0,
          updatedAt: 0,
        });
      }
      const meetingId = await ctx.db.insert("meetings", {
        title: "Q3 launch planning",
        scheduledAt: 0,
        durationMinutes: 30,
        hostId: users.alice!,
        status: "active",
        createdAt: 0,
      });
      for (const p of PEOPLE) {
        await ctx.db.insert("participants", {
          meetingId,
          userId: users[p.key]!,
          role: p.role,
          status: "joined",
          invitedAt: 0,
        });
      }
      return { meetingId, users };
    });
    const { meetingId, users } = ids;
    await appendMeeting(t, meetingId, { type: "MeetingStarted", at: 1000 });
    // Notes, typed as three paragraphs.
    const doc = new Y.Doc();
    doc.clientID = 77;
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    for (const line of [
      "Launch plan",
      "Action item: Bob to book the venue for the launch event by June 12",
      "We decided to launch the pricing page on July 1st.",
    ]) {
      const p = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      text.insert(0, line);
      p.insert(0, [text]);
      doc.getXmlFragment("default").push([p]);
    }
    for (const [i, u] of updates.entries()) await appendNote(t, meetingId, 2000 + i, u, 77, i + 1);
    const said: [string, string][] = [
      ["cara", "I'll draft the press release by Friday."],
      ["bob", "Alice, can you send the revised deck to the board next week?"],
      ["alice", "Sure. Let's circle back on hiring at the next meeting."],
    ];
    for (const [i, [who, text]] of said.entries()) {
      await appendChunk(t, meetingId, 3000 + i * 1000, {
        seq: i + 1,
        utteranceId: `utt-${i}`,
        speakerId: users[who]!,
        speaker: PEOPLE.find((p) => p.key === who)!.name,
        text,
        confidence: 0.95,
        startMs: i * 10_000,
        endMs: i * 10_000 + 4000,
        isFinal: true,
      });
    }
    await appendMeeting(t, meetingId, { type: "MeetingEnded", at: 60_000 });
    await drain(t);

    const asUser = (key: string) =>
      t.withIdentity({ subject: key, issuer: "test", tokenIdentifier: `test|${key}`, name: key });
    const alice = await asUser("alice").query(api.insights.forMeeting, { meetingId });
    expect(alice.status).toBe("done");
    expect(alice.all).toHaveLength(3);
    const items = alice.mine!.actionItems;
    // Alice's own item first: owner resolved from "Alice, can you…", due date resolved from "next week".
    expect(items[0]).toMatchObject({
      text: "Send the revised deck to the board next week",
      owner: users.alice,
      ownerName: "Alice Martin",
      due: "next week",
      source: { kind: "transcript", speakerId: users.bob },
      status: "open",
    });
    expect(items[0]!.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const bob = await asUser("bob").query(api.insights.forMeeting, { meetingId });
    expect(bob.all).toEqual([]); // only hosts see everyone's
    expect(bob.mine!.actionItems).toHaveLength(1);
    expect(bob.mine!.actionItems[0]).toMatchObject({
      text: "Book the venue for the launch event by June 12",
      owner: users.bob,
      ownerName: "Bob Chen",
      due: "by June 12",
      source: { kind: "note" },
    });
    expect(bob.mine!.decisions.map((d) => d.text)).toEqual([
      "We decided to launch the pricing page on July 1st",
    ]);
    // No raw id anywhere a person reads.
    const shown = JSON.stringify([bob.mine!.summary, bob.mine!.actionItems.map((a) => a.text)]);
    for (const id of Object.values(users)) expect(shown).not.toContain(id);
    const caraMine = await asUser("cara").query(api.insights.mine, {});
    expect(caraMine.map((r) => r.actionItems.map((a) => [a.text, a.ownerName, a.due]))).toEqual([
      [["Draft the press release by Friday", "Cara Diaz", "by Friday"]],
    ]);
    expect(caraMine[0]!.provider).toBe("local-wink-nlp");
    expect(caraMine[0]!.fallbackReason).toBeNull();
  });

  test("note edits after the end regenerate the insights, keeping what people edited", async () => {
    const t = makeConvex();
    const { meetingId, users } = await t.run(async (ctx) => {
      const u: Record<string, Id<"users">> = {};
      for (const p of PEOPLE) {
        u[p.key] = await ctx.db.insert("users", {
          tokenIdentifier: `test|${p.key}`,
          subject: p.key,
          issuer: "test",
          name: p.name,
          createdAt: 0,
          updatedAt: 0,
        });
      }
      const id = await ctx.db.insert("meetings", {
        title: "Retro",
        scheduledAt: 0,
        durationMinutes: 30,
        hostId: u.alice!,
        status: "active",
        createdAt: 0,
      });
      for (const p of PEOPLE)
        await ctx.db.insert("participants", {
          meetingId: id,
          userId: u[p.key]!,
          role: p.role,
          status: "joined",
          invitedAt: 0,
        });
      return { meetingId: id, users: u };
    });
    await appendMeeting(t, meetingId, { type: "MeetingStarted", at: 1000 });
    await appendChunk(t, meetingId, 2000, {
      seq: 1,
      utteranceId: "u1",
      speakerId: users.bob!,
      speaker: "Bob Chen",
      text: "I'll book the venue by Friday.",
      confidence: 0.9,
      startMs: 0,
      endMs: 3000,
      isFinal: true,
    });
    await appendMeeting(t, meetingId, { type: "MeetingEnded", at: 10_000 });
    await drain(t);
    const asCara = t.withIdentity({
      subject: "cara",
      issuer: "test",
      tokenIdentifier: "test|cara",
      name: "cara",
    });
    const before = await asCara.query(api.insights.forMeeting, { meetingId });
    expect(before.status).toBe("done");
    expect(before.mine!.actionItems).toEqual([]);
    // Cara finishes the notes after the call.
    const doc = new Y.Doc();
    doc.clientID = 91;
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("Cara: send the recap to the sponsors by Monday")]);
    doc.getXmlFragment("default").push([p]);
    for (const [i, u] of updates.entries())
      await appendNote(t, meetingId, 20_000 + i, u, 91, i + 1);
    await drain(t);
    const after = await asCara.query(api.insights.forMeeting, { meetingId });
    expect(after.status).toBe("done");
    expect(after.mine!.actionItems.map((a) => [a.text, a.ownerName])).toEqual([
      ["Send the recap to the sponsors by Monday", "Cara Diaz"],
    ]);
    const run = await t.run(async (ctx) => await ctx.db.query("insightRuns").collect());
    expect(run.map((r) => r.seq)).toEqual([2]);
  });
});
