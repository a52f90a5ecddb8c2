/**
 * The matching queue end to end on convex-test (fake timers run the debounced
 * embeds, kicked cycles and shard chains): two fitting people are proposed
 * to each other with reasons, both accept and find the meeting in their
 * lists; declines and expiry return both to the queue in their place;
 * blocks, do-not-match, hard constraints and "no repeats" keep pairs apart;
 * leaving cancels; ratings and decisions feed the weights.
 */
import { describe, expect, test, vi } from "vitest";
import { RESPONSE_MS } from "../projections/matching/queueInput";
import { person } from "../tests/core/identities";
import { makeConvex, type TestBackend } from "../tests/harness/convex";
import { onboard, runCycle, settle, windowFrom, withFakeTimers } from "../tests/matching/people";
import { api, internal } from "./_generated/api";

withFakeTimers();

type Client = Awaited<ReturnType<typeof onboard>>["client"];

async function enter(c: Client, over: Record<string, unknown> = {}) {
  const r = await c.mutation(api.matching.enter, {
    window: windowFrom(Date.now()),
    durationMinutes: 30,
    ...over,
  } as never);
  if (!r.ok) throw new Error(r.message);
  return r;
}

async function pair(t: TestBackend, overA = {}, overB = {}) {
  const ann = await onboard(t, "Ann", {
    skills: ["Fundraising"],
    learning: ["TypeScript"],
    ...overA,
  });
  const ben = await onboard(t, "Ben", overB);
  return { ann, ben };
}

describe("matching: the happy path", () => {
  test("two fitting people are proposed with reasons, accept, and find the meeting", async () => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    const start = Date.now();
    await enter(ann.client);
    await enter(ben.client);
    expect((await ann.client.query(api.matching.status, {})).entry?.status).toBe("waiting");
    await settle(t); // embeds, then the cycle entering kicked
    const a = await ann.client.query(api.matching.status, {});
    const b = await ben.client.query(api.matching.status, {});
    expect(a.entry?.status).toBe("proposed");
    expect(a.proposal?.other.userId).toBe(ben.userId);
    expect(b.proposal?._id).toBe(a.proposal?._id);
    const reasons = a.proposal!.reasons.map((r) => r.text);
    expect(reasons).toContain("You share 2 interests: Climate and Design");
    expect(reasons).toContain("They know TypeScript, which you want to learn");
    expect(b.proposal!.reasons.map((r) => r.text)).toContain(
      "You know TypeScript, which they want to learn",
    );
    const slot = a.proposal!.slot;
    expect(slot.start).toBeGreaterThanOrEqual(start + RESPONSE_MS);
    expect(slot.end - slot.start).toBe(30 * 60_000);
    const first = await ann.client.mutation(api.matching.respond, {
      proposalId: a.proposal!._id,
      accept: true,
    });
    expect(first).toEqual({ ok: true, status: "pending", meetingId: null });
    const second = await ben.client.mutation(api.matching.respond, {
      proposalId: a.proposal!._id,
      accept: true,
    });
    expect(second).toMatchObject({ ok: true, status: "accepted" });
    const meetingId = second.ok ? second.meetingId : null;
    for (const c of [ann.client, ben.client]) {
      const mine = await c.query(api.meetings.listMine, {});
      expect(mine.upcoming.map((m) => m._id)).toEqual([meetingId]);
      expect(mine.upcoming[0]!.scheduledAt).toBe(slot.start);
      expect((await c.query(api.matching.status, {})).entry?.status).toBe("matched");
    }
    const meeting = await ann.client.query(api.meetings.get, { meetingId: meetingId! });
    expect(meeting.title).toBe("Connvo match: Ann & Ben");
    expect(meeting.description).toContain("Climate");
    // Accepting again is answered, not repeated.
    expect(
      await ben.client.mutation(api.matching.respond, {
        proposalId: a.proposal!._id,
        accept: true,
      }),
    ).toEqual({ ok: true, status: "accepted", meetingId });
    expect(await t.run(async (ctx) => (await ctx.db.query("meetings").collect()).length)).toBe(1);
    // Pre-call ideas follow (the local provider: no LLM configured), from both profiles.
    await settle(t);
    const ideas = await ann.client.query(api.ai.prompts.list, {
      meetingId: meetingId!,
      kind: "precall",
    });
    expect(ideas.prompts.map((p) => p.content).join("\n")).toContain("Climate");
  });
});

describe("matching: back to the queue", () => {
  test("a decline returns both, in their place; the pair is not proposed again", async () => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    await enter(ann.client);
    await enter(ben.client);
    await settle(t);
    const before = await ann.client.query(api.matching.status, {});
    const r = await ben.client.mutation(api.matching.respond, {
      proposalId: before.proposal!._id,
      accept: false,
    });
    expect(r).toMatchObject({ ok: true, status: "declined" });
    const after = await ann.client.query(api.matching.status, {});
    expect(after.entry?.status).toBe("waiting");
    expect(after.entry?.waitingSince).toBe(before.entry?.waitingSince);
    expect(after.recent[0]?.status).toBe("declined");
    await runCycle(t);
    expect((await ann.client.query(api.matching.status, {})).entry?.status).toBe("waiting");
    // Both allowing repeats brings them together again.
    await enter(ann.client, { constraints: { allowRepeat: true } });
    await enter(ben.client, { constraints: { allowRepeat: true } });
    await runCycle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal?.other.userId).toBe(
      ben.userId,
    );
  });

  test("an unanswered proposal expires and returns both; entries expire with their window", async () => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    await enter(ann.client, { window: windowFrom(Date.now(), 0, 1) });
    await enter(ben.client);
    await settle(t);
    const p = (await ann.client.query(api.matching.status, {})).proposal!;
    vi.setSystemTime(p.deadline + 1);
    expect(await t.mutation(internal.matching.sweep.expire, {})).toEqual({
      proposals: 1,
      entries: 0,
    });
    expect((await ben.client.query(api.matching.status, {})).entry?.status).toBe("waiting");
    expect(
      await ann.client.mutation(api.matching.respond, { proposalId: p._id, accept: true }),
    ).toMatchObject({ ok: false, code: "CONFLICT" });
    vi.setSystemTime(Date.now() + 2 * 3_600_000);
    expect(await t.mutation(internal.matching.sweep.expire, {})).toEqual({
      proposals: 0,
      entries: 1,
    });
    expect((await ann.client.query(api.matching.status, {})).entry?.status).toBe("expired");
  });

  test("leaving cancels a pending proposal and puts the other person back", async () => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    await enter(ann.client);
    await enter(ben.client);
    await settle(t);
    expect(await ann.client.mutation(api.matching.leave, {})).toEqual({ ok: true });
    expect((await ann.client.query(api.matching.status, {})).entry?.status).toBe("left");
    const b = await ben.client.query(api.matching.status, {});
    expect(b.entry?.status).toBe("waiting");
    expect(b.recent[0]?.status).toBe("cancelled");
  });
});

describe("matching: pairs that must not meet", () => {
  test.each(["block", "doNotMatch"] as const)("a %s keeps the pair apart", async (kind) => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    await ben.client.mutation(api.matching.block, { userId: ann.userId, kind });
    await enter(ann.client);
    await enter(ben.client);
    await settle(t);
    await runCycle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal).toBeNull();
  });

  test("a block during a pending proposal cancels it", async () => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    await enter(ann.client);
    await enter(ben.client);
    await settle(t);
    await ann.client.mutation(api.matching.block, { userId: ben.userId, kind: "block" });
    const b = await ben.client.query(api.matching.status, {});
    expect(b.proposal).toBeNull();
    expect(b.entry?.status).toBe("waiting");
  });

  test("hard constraints: roles, organisation, languages and windows", async () => {
    const t = makeConvex();
    const ann = await onboard(t, "Ann");
    const ben = await onboard(t, "Ben", { role: "design" });
    await enter(ann.client, { constraints: { roles: ["investor"] } });
    await enter(ben.client);
    await settle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal).toBeNull();
    await enter(ann.client, { constraints: { roles: ["design"], org: "otherOrgs" } });
    await runCycle(t);
    // Both are in org_acme: "other organisations only" refuses the pair.
    expect((await ann.client.query(api.matching.status, {})).proposal).toBeNull();
    await enter(ann.client, { constraints: { languages: ["de"] } });
    await runCycle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal).toBeNull();
    const later = windowFrom(Date.now(), 6 * 60, 2);
    await enter(ann.client, { window: later });
    await runCycle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal).toBeNull();
    await enter(ann.client, { constraints: { roles: ["design"], org: "sameOrg" } });
    await runCycle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal?.other.userId).toBe(
      ben.userId,
    );
  });

  test("people of another organisation meet when both allow it", async () => {
    const t = makeConvex();
    const ann = await onboard(t, "Ann");
    const otto = await onboard(t, "Otto", {}, person("Otto", "org_other"));
    await enter(ann.client, { constraints: { org: "sameOrg" } });
    await enter(otto.client);
    await settle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal).toBeNull();
    await enter(ann.client, { constraints: { org: "otherOrgs" } });
    await runCycle(t);
    expect((await ann.client.query(api.matching.status, {})).proposal?.other.userId).toBe(
      otto.userId,
    );
  });
});

describe("matching: refusals", () => {
  test("entering needs a finished profile and a window with room; a pending proposal blocks re-entry", async () => {
    const t = makeConvex();
    const { as } = await import("../tests/core/identities");
    const fresh = as(t, person("New"));
    await fresh.mutation(api.users.ensure, {});
    expect(
      await fresh.mutation(api.matching.enter, {
        window: windowFrom(Date.now()),
        durationMinutes: 30,
      }),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    const { ann, ben } = await pair(t);
    const now = Date.now();
    for (const bad of [
      { window: { start: now, end: now + 20 * 60_000 }, durationMinutes: 30 },
      { window: windowFrom(now), durationMinutes: 17 },
      { window: { start: now, end: now + 30 * 24 * 3_600_000 }, durationMinutes: 30 },
      { window: windowFrom(now), durationMinutes: 30, constraints: { languages: ["english"] } },
    ])
      expect(await ann.client.mutation(api.matching.enter, bad), JSON.stringify(bad)).toMatchObject(
        {
          ok: false,
          code: "VALIDATION_ERROR",
        },
      );
    await enter(ann.client);
    await enter(ben.client);
    await settle(t);
    expect(
      await ann.client.mutation(api.matching.enter, {
        window: windowFrom(Date.now()),
        durationMinutes: 30,
      }),
    ).toMatchObject({ ok: false, code: "CONFLICT" });
  });
});

describe("matching: outcomes feed the weights", () => {
  test("ratings once per person, only for accepted proposals; the learner moves the weights", async () => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    await enter(ann.client);
    await enter(ben.client);
    await settle(t);
    const p = (await ann.client.query(api.matching.status, {})).proposal!;
    expect(
      await ann.client.mutation(api.matching.rate, { proposalId: p._id, rating: 5 }),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    await ann.client.mutation(api.matching.respond, { proposalId: p._id, accept: true });
    await ben.client.mutation(api.matching.respond, { proposalId: p._id, accept: true });
    expect(
      await ann.client.mutation(api.matching.rate, { proposalId: p._id, rating: 6 }),
    ).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    expect(
      await ann.client.mutation(api.matching.rate, {
        proposalId: p._id,
        rating: 5,
        comment: "Great chat",
      }),
    ).toEqual({ ok: true });
    expect(
      await ann.client.mutation(api.matching.rate, { proposalId: p._id, rating: 4 }),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    const rows = await t.run(async (ctx) => await ctx.db.query("matchOutcomes").collect());
    expect(rows.map((r) => [r.kind, r.outcome, r.label])).toEqual([
      ["decision", "accepted", 1],
      ["rating", "accepted", 1],
    ]);
    expect(rows[1]).toMatchObject({ rating: 5, comment: "Great chat", weightsVersion: 0 });
    expect(rows[1]!.features).toHaveLength(4);
    const learned = await t.mutation(internal.matching.learn.learn, {});
    expect(learned).toEqual({ samples: 2, version: 1 });
    const w = await t.run(async (ctx) => await ctx.db.query("matchWeights").first());
    const sum = Object.values(w!.weights).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 9);
    expect(await t.mutation(internal.matching.learn.learn, {})).toEqual({ samples: 0, version: 1 });
    expect(
      (await ann.client.query(api.matching.status, {})).recent.find((x) => x._id === p._id)
        ?.myRating,
    ).toBe(5);
  });
});

describe("matching: the feature flag", () => {
  test("off, the queue refuses, status says so, and no cycle proposes anyone; on again, it works", async () => {
    const t = makeConvex();
    const { ann, ben } = await pair(t);
    await enter(ann.client);
    const flag = {
      key: "matching",
      rolloutPercent: 0,
      operator: "ops",
      reason: "incident",
    };
    await t.mutation(internal.featureFlags.set, { ...flag, enabled: false });
    expect((await ann.client.query(api.matching.status, {})).enabled).toBe(false);
    expect(
      await ben.client.mutation(api.matching.enter, {
        window: windowFrom(Date.now()),
        durationMinutes: 30,
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await t.mutation(internal.matching.cycle.start, { reason: "test", force: true }),
    ).toEqual({
      started: false,
      why: "the matching flag is off",
    });
    await t.mutation(internal.featureFlags.set, { ...flag, enabled: true, rolloutPercent: 100 });
    expect((await ann.client.query(api.matching.status, {})).enabled).toBe(true);
    await enter(ben.client);
    await settle(t);
    expect((await ann.client.query(api.matching.status, {})).entry?.status).toBe("proposed");
  });
});
