/**
 * Prompts through the real functions: pre-call ideas appear when a meeting
 * is scheduled (from profiles, interests and shared history), are not
 * regenerated for the same input (request hash) and are regenerated when the
 * people change; feedback changes ranking (in this meeting, and through tag
 * affinity in later ones); bad input is refused without leaking anything.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { as, person } from "../core/identities";
import { makeConvex, type TestBackend } from "../harness/convex";
import { waitFor } from "./fakeOpenAi";

afterEach(() => {
  vi.unstubAllEnvs();
});

async function people(t: TestBackend) {
  const ann = as(t, person("Ann Lee"));
  const ben = as(t, person("Ben Ortiz"));
  const cat = as(t, person("Cat Moreau"));
  const annUser = await ann.mutation(api.users.ensure, {});
  const benUser = await ben.mutation(api.users.ensure, {});
  const catUser = await cat.mutation(api.users.ensure, {});
  await ann.mutation(api.profiles.update, { jobTitle: "Head of Data", company: "Acme" });
  await ann.mutation(api.profiles.update, { interests: ["Climate tech", "Sailing"] });
  await ben.mutation(api.profiles.update, { interests: ["Climate tech"] });
  return { ann, ben, cat, annUser, benUser, catUser };
}

async function precall(
  t: TestBackend,
  who: ReturnType<typeof as>,
  meetingId: Id<"meetings">,
  count = 1,
) {
  return await waitFor(async () => {
    const r = await who.query(api.ai.prompts.list, { meetingId, kind: "precall" });
    return r.prompts.length > 0 && !r.generating && (await runs(t, meetingId)) >= count ? r : null;
  });
}
async function runs(t: TestBackend, meetingId: Id<"meetings">) {
  return await t.run(
    async (ctx) =>
      (
        await ctx.db
          .query("promptRuns")
          .withIndex("by_meeting_kind_requested", (q) =>
            q.eq("meetingId", meetingId).eq("kind", "precall"),
          )
          .collect()
      ).filter((r) => r.status === "done").length,
  );
}

describe("pre-call ideas", () => {
  test("appear when a meeting is scheduled, from shared interests; same input is not regenerated; new people regenerate", async () => {
    const t = makeConvex();
    const { ann, ben, annUser, benUser, catUser } = await people(t);
    const r = await ann.mutation(api.meetings.schedule, {
      title: "Climate data partnership",
      scheduledAt: Date.now() + 3_600_000,
      durationMinutes: 30,
      invitees: [{ userId: benUser._id, role: "participant" }],
    });
    if (!r.ok) throw new Error(r.message);
    const first = await precall(t, ben, r.meetingId);
    const text = first.prompts.map((p) => p.content).join("\n");
    expect(text).toMatch(/Ann and Ben share an interest in Climate tech/);
    expect(text).toMatch(/Head of Data at Acme/);
    expect(first.prompts.some((p) => p.tags.includes("agenda"))).toBe(true);
    expect(first.prompts[0]!.provider).toBe("local-templates");
    for (const id of [annUser._id, benUser._id]) expect(text).not.toContain(id);

    // Same input again (a refresh): the request hash matches, nothing new is generated.
    await t.action(internal.ai.precallJobs.generate, {
      meetingId: r.meetingId,
      trigger: "request",
      forceLocal: false,
    });
    expect(await runs(t, r.meetingId)).toBe(1);

    // A new participant changes the input: a new set replaces the old one.
    const inv = await ann.mutation(api.participants.invite, {
      meetingId: r.meetingId,
      userId: catUser._id,
      role: "participant",
    });
    expect(inv.ok).toBe(true);
    const second = await precall(t, ben, r.meetingId, 2);
    expect(second.prompts.map((p) => p.content).join("\n")).toMatch(/Cat/);
    expect(await runs(t, r.meetingId)).toBe(2);
  }, 30_000);
});

describe("feedback", () => {
  test("upvotes and dismissals change ranking here; feedback records the tag affinity later rankings read", async () => {
    const t = makeConvex();
    const { ann, ben, benUser } = await people(t);
    const r = await ann.mutation(api.meetings.schedule, {
      title: "Sync",
      scheduledAt: Date.now() + 3_600_000,
      durationMinutes: 30,
      invitees: [{ userId: benUser._id, role: "participant" }],
    });
    if (!r.ok) throw new Error(r.message);
    const before = (await precall(t, ann, r.meetingId)).prompts;
    expect(before.length).toBeGreaterThan(2);
    const last = before.at(-1)!;
    const up = await ann.mutation(api.ai.prompts.feedback, {
      meetingId: r.meetingId,
      promptId: last._id,
      kind: "upvoted",
    });
    expect(up).toEqual({ ok: true, recorded: true });
    await ben.mutation(api.ai.prompts.feedback, {
      meetingId: r.meetingId,
      promptId: last._id,
      kind: "upvoted",
    });
    // Once per person and kind: a repeat is acknowledged, not counted.
    expect(
      await ann.mutation(api.ai.prompts.feedback, {
        meetingId: r.meetingId,
        promptId: last._id,
        kind: "upvoted",
      }),
    ).toEqual({ ok: true, recorded: false });
    const after = (
      await ann.query(api.ai.prompts.list, { meetingId: r.meetingId, kind: "precall" })
    ).prompts;
    expect(after[0]!._id).toBe(last._id);
    expect(after[0]!.upvoted).toBe(2);
    expect(after[0]!.mine).toEqual(["upvoted"]);
    // Dismissed: gone from the dismisser's list, still there for others.
    const top = before[0]!;
    await ann.mutation(api.ai.prompts.feedback, {
      meetingId: r.meetingId,
      promptId: top._id,
      kind: "dismissed",
    });
    expect(
      (
        await ann.query(api.ai.prompts.list, { meetingId: r.meetingId, kind: "precall" })
      ).prompts.map((p) => p._id),
    ).not.toContain(top._id);
    expect(
      (
        await ben.query(api.ai.prompts.list, { meetingId: r.meetingId, kind: "precall" })
      ).prompts.map((p) => p._id),
    ).toContain(top._id);
    // Affinity: the upvoted prompt's tags now weigh for Ann and Ben everywhere.
    const affinity = await t.run(async (ctx) => await ctx.db.query("promptTagAffinity").collect());
    expect(affinity.filter((a) => last.tags.includes(a.tag) && a.score > 0).length).toBeGreaterThan(
      0,
    );
  }, 30_000);
});

describe("bad input", () => {
  test("feedback for another meeting's prompt is refused like a missing one, and changes nothing", async () => {
    const t = makeConvex();
    const { ann, ben, cat, benUser } = await people(t);
    const mine = await ann.mutation(api.meetings.schedule, {
      title: "Ann and Ben",
      scheduledAt: Date.now() + 3_600_000,
      durationMinutes: 30,
      invitees: [{ userId: benUser._id, role: "participant" }],
    });
    const other = await cat.mutation(api.meetings.schedule, {
      title: "Cat alone",
      scheduledAt: Date.now() + 3_600_000,
      durationMinutes: 30,
    });
    if (!mine.ok || !other.ok) throw new Error("schedule failed");
    const catPrompts = (await precall(t, cat, other.meetingId)).prompts;
    await precall(t, ann, mine.meetingId);
    const foreign = catPrompts[0]!;
    const r = await ann.mutation(api.ai.prompts.feedback, {
      meetingId: mine.meetingId,
      promptId: foreign._id,
      kind: "upvoted",
    });
    expect(r).toEqual({ ok: false, code: "NOT_FOUND", message: "no such prompt in this meeting" });
    // Naming the other meeting instead: not a participant.
    const r2 = await ben.mutation(api.ai.prompts.feedback, {
      meetingId: other.meetingId,
      promptId: foreign._id,
      kind: "upvoted",
    });
    expect(r2).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(JSON.stringify([r, r2])).not.toContain(foreign.content);
    const row = await t.run(async (ctx) => await ctx.db.get("prompts", foreign._id));
    expect(row!.upvoted).toBe(0);
    await expect(
      ben.query(api.ai.prompts.list, { meetingId: other.meetingId, kind: "precall" }),
    ).rejects.toThrow(/not a participant/);
  }, 30_000);

  test("oversize and control-character edits of insight items are refused; the trigger refuses ended meetings and bad reasons", async () => {
    const t = makeConvex();
    const { ann, benUser } = await people(t);
    const r = await ann.mutation(api.meetings.schedule, {
      title: "Short",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [{ userId: benUser._id, role: "participant" }],
    });
    if (!r.ok) throw new Error(r.message);
    const big = await ann.mutation(api.insightItems.update, {
      meetingId: r.meetingId,
      section: "actionItems",
      itemId: "x",
      text: "y".repeat(5_000),
    });
    expect(big).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    const blank = await ann.mutation(api.insightItems.update, {
      meetingId: r.meetingId,
      section: "actionItems",
      itemId: "x",
      text: "\u0000\u0007  ",
    });
    expect(blank).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    const missing = await ann.mutation(api.insightItems.update, {
      meetingId: r.meetingId,
      section: "actionItems",
      itemId: "x",
      status: "dismissed",
    });
    expect(missing).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const notLive = await ann.mutation(api.ai.prompts.trigger, {
      meetingId: r.meetingId,
      reason: "request",
    });
    expect(notLive).toMatchObject({ ok: false, code: "MEETING_NOT_ACTIVE" });
    await expect(
      ann.mutation(api.ai.prompts.trigger, {
        meetingId: r.meetingId,
        reason: "format the disk" as never,
      }),
    ).rejects.toThrow(/Validator|validator|reason/);
  }, 30_000);

  test("a participant edits and dismisses their own items; regeneration keeps the edits", async () => {
    const t = makeConvex();
    const { ann, ben, benUser } = await people(t);
    const r = await ann.mutation(api.meetings.schedule, {
      title: "Edits",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [{ userId: benUser._id, role: "participant" }],
    });
    if (!r.ok) throw new Error(r.message);
    await ann.mutation(api.meetings.start, { meetingId: r.meetingId });
    await ben.mutation(api.participants.join, { meetingId: r.meetingId });
    await ann.mutation(api.transcripts.ingest, {
      meetingId: r.meetingId,
      chunks: [
        {
          utteranceId: "a1",
          idempotencyKey: "a1",
          text: "Ben, could you send the survey results by Friday?",
          startMs: 0,
          endMs: 3000,
          isFinal: true,
          confidence: 0.9,
        },
      ],
    });
    await ben.mutation(api.transcripts.ingest, {
      meetingId: r.meetingId,
      chunks: [
        {
          utteranceId: "b1",
          idempotencyKey: "b1",
          text: "Sure, will do.",
          startMs: 4000,
          endMs: 5000,
          isFinal: true,
          confidence: 0.9,
        },
      ],
    });
    await ann.mutation(api.meetings.end, { meetingId: r.meetingId });
    const mine = await waitFor(async () => {
      const x = await ben.query(api.insights.forMeeting, { meetingId: r.meetingId });
      return x.status === "done" ? x.mine : null;
    });
    const item = mine!.actionItems[0]!;
    expect(item.ownerName).toBe("Ben Ortiz");
    const edited = await ben.mutation(api.insightItems.update, {
      meetingId: r.meetingId,
      section: "actionItems",
      itemId: item.id,
      text: "Send the survey results and the raw data",
    });
    expect(edited).toEqual({ ok: true });
    const takeaway = mine!.keyTakeaways[0] ?? mine!.recommendations[0]!;
    const section = mine!.keyTakeaways[0] ? "keyTakeaways" : "recommendations";
    expect(
      await ben.mutation(api.insightItems.update, {
        meetingId: r.meetingId,
        section,
        itemId: takeaway.id,
        status: "dismissed",
      }),
    ).toEqual({ ok: true });
    // Ann's own insights are untouched; as host she sees Ben's copy with his edit.
    const annView = await ann.query(api.insights.forMeeting, { meetingId: r.meetingId });
    expect(JSON.stringify(annView.mine)).not.toContain("raw data");
    expect(annView.all.find((x) => x.userId === String(benUser._id))!.actionItems[0]!.edited).toBe(
      true,
    );
    // Regenerate (as notes changed after the end would): the edit survives.
    await t.action(internal.insightsGenerate.generate, {
      meetingId: r.meetingId,
      version: 2,
      seq: 99,
      forceLocal: true,
    });
    const again = (await ben.query(api.insights.forMeeting, { meetingId: r.meetingId })).mine!;
    expect(again.actionItems[0]).toMatchObject({
      text: "Send the survey results and the raw data",
      edited: true,
    });
  }, 30_000);
});
