/**
 * Function-level Given-When-Then specs of the meeting lifecycle commands
 * through convex-test (the decider's own specs are in projections/lifecycle).
 */
import { describe, expect, test } from "vitest";
import { as, person } from "../tests/core/identities";
import { makeConvex } from "../tests/harness/convex";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";

async function setup() {
  const t = makeConvex();
  const host = as(t, person("Hana"));
  const bob = as(t, person("Bob"));
  const hostUser = await host.mutation(api.users.ensure, {});
  const bobUser = await bob.mutation(api.users.ensure, {});
  const r = await host.mutation(api.meetings.schedule, {
    title: "Weekly sync",
    scheduledAt: Date.now() + 24 * 3_600_000,
    durationMinutes: 30,
    invitees: [{ userId: bobUser._id, role: "participant" }],
  });
  if (!r.ok) throw new Error(r.message);
  return { t, host, bob, hostUser, bobUser, meetingId: r.meetingId };
}

async function eventKinds(t: ReturnType<typeof makeConvex>, meetingId: Id<"meetings">) {
  return await t.run(async (ctx) =>
    (
      await ctx.db
        .query("meetingEvents")
        .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
        .collect()
    ).map((e) => e.kind),
  );
}

describe("meetings lifecycle", () => {
  test("given nothing, when a user schedules, then the meeting exists with host and invitees", async () => {
    const { t, host, bob, meetingId, hostUser } = await setup();
    expect(await eventKinds(t, meetingId)).toEqual(["MeetingScheduled", "ParticipantInvited"]);
    const m = await host.query(api.meetings.get, { meetingId });
    expect(m).toMatchObject({ status: "scheduled", hostId: hostUser._id, myRole: "host" });
    const mine = await bob.query(api.meetings.listMine, {});
    expect(mine.upcoming.map((x) => x._id)).toEqual([meetingId]);
  });

  test("given a scheduled meeting, when the host starts and a participant joins, then it is live", async () => {
    const { t, host, bob, meetingId } = await setup();
    expect(await host.mutation(api.meetings.start, { meetingId })).toMatchObject({ ok: true });
    expect(await bob.mutation(api.participants.join, { meetingId })).toMatchObject({ ok: true });
    const list = await bob.query(api.participants.list, { meetingId });
    expect(list.map((p) => [p.name, p.role, p.status])).toEqual([
      ["Hana", "host", "joined"],
      ["Bob", "participant", "joined"],
    ]);
    expect(await eventKinds(t, meetingId)).toEqual([
      "MeetingScheduled",
      "ParticipantInvited",
      "MeetingStarted",
      "ParticipantJoined",
      "ParticipantJoined",
    ]);
  });

  test("given a scheduled meeting, when a participant tries to start it, then FORBIDDEN and an audit row", async () => {
    const { t, bob, meetingId, bobUser } = await setup();
    expect(await bob.mutation(api.meetings.start, { meetingId })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    const audit = await t.run(async (ctx) => await ctx.db.query("auditLog").collect());
    expect(audit.filter((a) => a.outcome === "denied")).toMatchObject([
      { actorId: bobUser._id, action: "meeting.Start", code: "FORBIDDEN", meetingId },
    ]);
  });

  test("given a scheduled meeting, when the host ends it, then MEETING_NOT_ACTIVE", async () => {
    const { host, meetingId } = await setup();
    expect(await host.mutation(api.meetings.end, { meetingId })).toMatchObject({
      ok: false,
      code: "MEETING_NOT_ACTIVE",
    });
  });

  test("given a cancelled meeting, when a participant joins, then MEETING_NOT_ACTIVE", async () => {
    const { host, bob, meetingId } = await setup();
    expect(await host.mutation(api.meetings.cancel, { meetingId, reason: "ill" })).toMatchObject({
      ok: true,
    });
    expect(await bob.mutation(api.participants.join, { meetingId })).toMatchObject({
      ok: false,
      code: "MEETING_NOT_ACTIVE",
    });
    expect((await bob.query(api.meetings.listMine, {})).past.map((m) => m.status)).toEqual([
      "cancelled",
    ]);
  });

  test("given a live meeting, when the host ends it, then everyone present has left", async () => {
    const { host, bob, meetingId } = await setup();
    await host.mutation(api.meetings.start, { meetingId });
    await bob.mutation(api.participants.join, { meetingId });
    expect(await host.mutation(api.meetings.end, { meetingId })).toMatchObject({
      ok: true,
      events: ["ParticipantLeft", "ParticipantLeft", "MeetingEnded"],
    });
    const list = await bob.query(api.participants.list, { meetingId });
    expect(list.map((p) => p.status)).toEqual(["left", "left"]);
  });

  test("given a participant, when the host removes them, then their queries are refused at once", async () => {
    const { host, bob, meetingId, bobUser } = await setup();
    expect(
      await host.mutation(api.participants.remove, { meetingId, userId: bobUser._id }),
    ).toMatchObject({
      ok: true,
    });
    await expect(bob.query(api.meetings.get, { meetingId })).rejects.toThrow(/not a participant/);
    expect((await bob.query(api.meetings.listMine, {})).upcoming).toEqual([]);
  });

  test("given a retried command with the same key, then one set of events is stored", async () => {
    const { t, host, meetingId } = await setup();
    const first = await host.mutation(api.meetings.start, { meetingId, idempotencyKey: "k1" });
    const retry = await host.mutation(api.meetings.start, { meetingId, idempotencyKey: "k1" });
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(retry).toMatchObject({ ok: true, duplicate: true, events: [] });
    expect((await eventKinds(t, meetingId)).filter((k) => k === "MeetingStarted")).toHaveLength(1);
  });

  test("given a retried schedule with the same key, then one meeting exists", async () => {
    const { host } = await setup();
    const args = {
      title: "Retro",
      scheduledAt: Date.now(),
      durationMinutes: 15,
      idempotencyKey: "sched-1",
    };
    const a = await host.mutation(api.meetings.schedule, args);
    const b = await host.mutation(api.meetings.schedule, args);
    expect(a.ok && b.ok && a.meetingId === b.meetingId).toBe(true);
    expect(b).toMatchObject({ duplicate: true });
  });

  test("issue 21: scheduling in the past is refused with a clear message; a few minutes ago is fine", async () => {
    const { host } = await setup();
    const in2020 = await host.mutation(api.meetings.schedule, {
      title: "Too late",
      scheduledAt: Date.UTC(2020, 0, 1),
      durationMinutes: 30,
    });
    expect(in2020).toEqual({
      ok: false,
      code: "VALIDATION_ERROR",
      message:
        "a meeting cannot be scheduled in the past (2020-01-01T00:00:00.000Z has gone by); pick a time from now on",
    });
    expect(
      await host.mutation(api.meetings.schedule, {
        title: "Hour ago",
        scheduledAt: Date.now() - 3_600_000,
        durationMinutes: 30,
      }),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(
      await host.mutation(api.meetings.schedule, {
        title: "Just now",
        scheduledAt: Date.now() - 60_000,
        durationMinutes: 30,
      }),
    ).toMatchObject({ ok: true });
  });

  test("issue 21: a malformed meeting id is NOT_FOUND; a well-formed id of someone else's meeting stays FORBIDDEN", async () => {
    const { t, host, meetingId } = await setup();
    for (const bad of ["not-an-id", "", "../../etc", `${meetingId}x`, meetingId.slice(0, -2)])
      await expect(host.query(api.meetings.get, { meetingId: bad })).rejects.toMatchObject({
        data: { code: "NOT_FOUND" },
      });
    const stranger = as(t, person("Stranger"));
    await stranger.mutation(api.users.ensure, {});
    await expect(stranger.query(api.meetings.get, { meetingId })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
  });

  test("given no identity, then every call is UNAUTHORIZED", async () => {
    const { t, meetingId } = await setup();
    await expect(t.query(api.meetings.get, { meetingId })).rejects.toThrow(/sign in/);
    await expect(t.mutation(api.meetings.start, { meetingId })).rejects.toThrow(/sign in/);
  });

  test("given an identity without a user row, then queries ask to call users.ensure", async () => {
    const t = makeConvex();
    await expect(as(t, person("New")).query(api.meetings.listMine, {})).rejects.toThrow(
      /users\.ensure/,
    );
  });
});
