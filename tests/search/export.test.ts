/**
 * Export (issue 18): a person's data as JSON (only their own contributions:
 * another person's notes, turns, chat and messages are not in it), a meeting
 * as Markdown (members only), and a host's recap mailed to the members.
 */

import { describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { readVersionOf } from "../../convex/projectors/control";
import { meetingFixture } from "../core/fixtures";
import { drain, withFakeScheduler } from "../projections/fixtures";
import { content } from "./fixtures";

withFakeScheduler();

describe("export", () => {
  test("a person's JSON holds their profile, meetings and own contributions, connections and DMs", async () => {
    const f = await meetingFixture({ live: true });
    await content(f);
    const req = await f.clients.participant.mutation(api.connections.request, {
      userId: f.ids.host,
    });
    if (!req.ok) throw new Error(req.message);
    await f.clients.host.mutation(api.connections.respond, {
      connectionId: req.connectionId,
      accept: true,
    });
    const dm = await f.clients.participant.mutation(api.directMessages.send, {
      to: f.ids.host,
      text: "private hello from pia",
    });
    expect(dm.ok).toBe(true);
    await f.clients.host.mutation(api.directMessages.send, {
      to: f.ids.participant,
      text: "hello back from hana",
    });

    const out = await f.clients.participant.action(api.exportData.mine, {});
    expect(out.url).toMatch(/^https?:\/\//);
    const text = await f.t.run(async (ctx) => {
      const blob = await ctx.storage.get(out.storageId);
      return blob ? await blob.text() : null;
    });
    if (text === null) throw new Error("export file missing");
    expect(text.length).toBe(out.bytes);
    const data = JSON.parse(text);
    expect(data.account).toMatchObject({ name: "Pia", email: "pia@example.com" });
    expect(data.meetings).toHaveLength(1);
    const m = data.meetings[0];
    expect(m).toMatchObject({ title: "Fixture", role: "participant" });
    expect(m.notes).toEqual(["Pia wrote the zebra plan"]);
    expect(m.transcript.map((x: { text: string }) => x.text)).toEqual([
      "I will draft the zebra memo",
    ]);
    expect(m.chat.map((x: { text: string }) => x.text)).toEqual(["pia chat line"]);
    expect(data.connections).toEqual([
      expect.objectContaining({ with: "Hana", status: "accepted", requestedByMe: true }),
    ]);
    expect(data.directMessages).toEqual([
      {
        with: "Hana",
        messages: [
          expect.objectContaining({ fromMe: true, text: "private hello from pia" }),
          expect.objectContaining({ fromMe: false, text: "hello back from hana" }),
        ],
      },
    ]);
    expect(text).not.toContain("hana chat line");
    expect(text).not.toContain("yak");
    // The file is deleted after its hour.
    await drain(f.t);
    const gone = await f.t.run(async (ctx) => await ctx.storage.get(out.storageId));
    expect(gone).toBeNull();
  });

  test("a meeting as Markdown: notes, decisions, action items, transcript; members only", async () => {
    const f = await meetingFixture({ live: true });
    await content(f);
    await f.t.run(async (ctx) => {
      const version = await readVersionOf(ctx, "insights");
      await ctx.db.insert("insights", {
        meetingId: f.meetingId,
        version,
        provider: "test",
        generatedAt: 0,
        userId: f.ids.observer,
        summary: "Zebra and yak were planned.",
        actionItems: [
          {
            id: "a1",
            text: "Draft the zebra memo",
            owner: f.ids.participant,
            ownerName: "Pia",
            due: "friday",
            dueDate: null,
            source: null,
            status: "open",
            edited: false,
          },
        ],
        keyTakeaways: [],
        decisions: [
          { id: "d1", text: "Ship zebra first", source: null, status: "open", edited: false },
        ],
        followUps: [],
        recommendations: [],
      });
    });
    const md = await f.clients.observer.action(api.exportMeeting.markdown, {
      meetingId: f.meetingId,
    });
    expect(md.fileName).toBe("fixture.md");
    const text = md.markdown;
    expect(text).toMatch(/^# Fixture\n/);
    expect(text).toContain("## Notes\n\nPia wrote the zebra plan\n\nHana added the yak budget");
    expect(text).toContain("## Decisions\n\n- Ship zebra first");
    expect(text).toContain("- [ ] Draft the zebra memo — Pia (due friday)");
    expect(text).toContain("- **Pia** [");
    expect(text).toContain("]: I will draft the zebra memo");
    expect(text.indexOf("zebra memo\n")).toBeLessThan(text.indexOf("yak numbers next"));
    for (const who of ["nonParticipant", "removed", "otherOrg"] as const) {
      await expect(
        f.clients[who].action(api.exportMeeting.markdown, { meetingId: f.meetingId }),
      ).rejects.toThrow(/FORBIDDEN|not a participant/);
    }
  });

  test("the host mails the recap to members with a verified email; others may not", async () => {
    const f = await meetingFixture({ live: true });
    await content(f);
    await expect(
      f.clients.participant.action(api.exportMeeting.shareRecap, { meetingId: f.meetingId }),
    ).rejects.toThrow(/host/);
    const r = await f.clients.host.action(api.exportMeeting.shareRecap, {
      meetingId: f.meetingId,
    });
    // Host, participant, invited and observer (the removed one gets nothing).
    expect(r.sent).toBe(4);
    const mails = await f.t.run((ctx) =>
      ctx.db
        .query("mailOutbox")
        .withIndex("by_meeting", (q) => q.eq("meetingId", f.meetingId))
        .take(20),
    );
    const recaps = mails.filter((m) => m.kind === "recap");
    expect(recaps.map((m) => m.to).sort()).toEqual([
      "hana@example.com",
      "ivan@example.com",
      "olga@example.com",
      "pia@example.com",
    ]);
    expect(recaps[0]?.text).toContain("Pia wrote the zebra plan");
    expect(recaps[0]?.status).toBe("dev");
  });
});
