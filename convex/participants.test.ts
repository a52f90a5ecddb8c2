/** Function-level Given-When-Then specs of the participant commands. */
import { describe, expect, test } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { as, person } from "../tests/core/identities";
import { api } from "./_generated/api";

describe("participants", () => {
  test("given a meeting, when the host invites by email (any case), then the user is invited", async () => {
    const { clients, meetingId, ids } = await meetingFixture();
    const r = await clients.host.mutation(api.participants.invite, {
      meetingId,
      email: "NINA@example.com",
      role: "observer",
    });
    // By email the answer never tells whether an account exists (issue 12 finding 6).
    expect(r).toEqual({ ok: true, meetingId, events: [], duplicate: false });
    const list = await clients.nonParticipant.query(api.participants.list, { meetingId });
    expect(list.find((p) => p.userId === ids.nonParticipant)).toMatchObject({
      role: "observer",
      status: "invited",
    });
  });

  test("finding 6: an unknown or unverified email is answered like a known one and invites no one; neither id nor email is VALIDATION_ERROR", async () => {
    const { t, clients, meetingId } = await meetingFixture();
    const unverified = person("Mallory");
    await as(t, { ...unverified, emailVerified: false }).mutation(api.users.ensure, {});
    const answers = [];
    for (const email of ["ghost@example.com", unverified.email]) {
      answers.push(
        await clients.host.mutation(api.participants.invite, {
          meetingId,
          email,
          role: "participant",
        }),
      );
    }
    expect(answers).toEqual([
      { ok: true, meetingId, events: [], duplicate: false },
      { ok: true, meetingId, events: [], duplicate: false },
    ]);
    const names = (await clients.host.query(api.participants.list, { meetingId })).map(
      (p) => p.name,
    );
    expect(names).not.toContain("Mallory");
    expect(
      await clients.host.mutation(api.participants.invite, { meetingId, role: "participant" }),
    ).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
  });

  test("given a live meeting, when the host transfers host, then roles swap and the new host manages", async () => {
    const { clients, meetingId, ids } = await meetingFixture({ live: true });
    expect(
      await clients.host.mutation(api.participants.changeRole, {
        meetingId,
        userId: ids.participant,
        role: "host",
      }),
    ).toMatchObject({ ok: true, events: ["ParticipantRoleChanged", "ParticipantRoleChanged"] });
    expect(await clients.participant.query(api.meetings.get, { meetingId })).toMatchObject({
      hostId: ids.participant,
      myRole: "host",
    });
    expect(await clients.host.mutation(api.meetings.cancel, { meetingId })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await clients.participant.mutation(api.meetings.end, { meetingId })).toMatchObject({
      ok: true,
    });
  });

  test("given a joined participant, when they leave, then they keep read access and may rejoin", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    expect(await clients.participant.mutation(api.participants.leave, { meetingId })).toMatchObject(
      {
        ok: true,
        events: ["ParticipantLeft"],
      },
    );
    expect(await clients.participant.query(api.meetings.get, { meetingId })).toMatchObject({
      myStatus: "left",
    });
    expect(await clients.participant.mutation(api.participants.join, { meetingId })).toMatchObject({
      ok: true,
      events: ["ParticipantJoined"],
    });
  });

  test("a removed participant disappears from the list and can be invited back", async () => {
    const { clients, meetingId, ids } = await meetingFixture();
    const names = async () =>
      (await clients.host.query(api.participants.list, { meetingId })).map((p) => p.name);
    expect(await names()).not.toContain("Rex");
    expect(
      await clients.host.mutation(api.participants.invite, {
        meetingId,
        userId: ids.removed,
        role: "participant",
      }),
    ).toMatchObject({ ok: true });
    expect(await names()).toContain("Rex");
  });
});
