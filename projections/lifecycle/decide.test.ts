/** Given-When-Then specifications of every lifecycle command (pure decider). */
import { describe, test } from "vitest";
import { given } from "../../tests/projections/lifecycleSpec";
import type { MeetingEvent } from "../events/meeting";

const H = "host";
const C = "cohost";
const P = "pia";
const O = "olga";
const X = "stranger";
const at = 1000;

const scheduled: MeetingEvent = {
  type: "MeetingScheduled",
  at: 1,
  hostId: H,
  title: "Sync",
  scheduledAt: 5000,
  durationMinutes: 30,
};
const invited = (userId: string, role: "cohost" | "participant" | "observer"): MeetingEvent => ({
  type: "ParticipantInvited",
  at: 2,
  userId,
  role,
});
const team = [scheduled, invited(C, "cohost"), invited(P, "participant"), invited(O, "observer")];
const started: MeetingEvent[] = [
  { type: "MeetingStarted", at: 3 },
  { type: "ParticipantJoined", at: 3, userId: H },
];
const live = [...team, ...started];

describe("Schedule", () => {
  test("given nothing, then MeetingScheduled and one ParticipantInvited per invitee", () => {
    given()
      .when({
        type: "Schedule",
        by: H,
        at: 1,
        title: "  Sync ",
        scheduledAt: 5000,
        durationMinutes: 30,
        invitees: [{ userId: P, role: "participant" }],
      })
      .thenEmits(scheduled, { type: "ParticipantInvited", at: 1, userId: P, role: "participant" });
  });
  test("given a scheduled meeting, then CONFLICT", () => {
    given(scheduled)
      .when({
        type: "Schedule",
        by: H,
        at,
        title: "x",
        scheduledAt: 1,
        durationMinutes: 1,
        invitees: [],
      })
      .thenRefused("CONFLICT");
  });
  test.each([
    ["empty title", { title: "  " }],
    ["long title", { title: "x".repeat(201) }],
    ["zero duration", { durationMinutes: 0 }],
    ["fractional duration", { durationMinutes: 1.5 }],
    ["over a day", { durationMinutes: 24 * 60 + 1 }],
    ["negative time", { scheduledAt: -1 }],
    ["host as invitee", { invitees: [{ userId: H, role: "participant" as const }] }],
    [
      "duplicate invitee",
      {
        invitees: [
          { userId: P, role: "participant" as const },
          { userId: P, role: "observer" as const },
        ],
      },
    ],
  ])("given nothing, when scheduling with %s, then VALIDATION_ERROR", (_, over) => {
    given()
      .when({
        type: "Schedule",
        by: H,
        at,
        title: "ok",
        scheduledAt: 1,
        durationMinutes: 30,
        invitees: [],
        ...over,
      })
      .thenRefused("VALIDATION_ERROR");
  });
});

describe("Start", () => {
  test("given scheduled, when the host starts, then MeetingStarted and the host joins", () => {
    given(...team)
      .when({ type: "Start", by: H, at })
      .thenEmits({ type: "MeetingStarted", at }, { type: "ParticipantJoined", at, userId: H });
  });
  test("a co-host may start", () => {
    given(...team)
      .when({ type: "Start", by: C, at })
      .thenEmits({ type: "MeetingStarted", at }, { type: "ParticipantJoined", at, userId: C });
  });
  test("a participant may not", () =>
    given(...team)
      .when({ type: "Start", by: P, at })
      .thenRefused("FORBIDDEN"));
  test("a stranger may not", () =>
    given(...team)
      .when({ type: "Start", by: X, at })
      .thenRefused("FORBIDDEN"));
  test("twice is a CONFLICT", () =>
    given(...live)
      .when({ type: "Start", by: H, at })
      .thenRefused("CONFLICT"));
  test("no meeting is NOT_FOUND", () =>
    given().when({ type: "Start", by: H, at }).thenRefused("NOT_FOUND"));
});

describe("End", () => {
  test("given live, when the host ends, then everyone present leaves and MeetingEnded", () => {
    given(...live, { type: "ParticipantJoined", at: 4, userId: P })
      .when({ type: "End", by: H, at })
      .thenEmits(
        { type: "ParticipantLeft", at, userId: H },
        { type: "ParticipantLeft", at, userId: P },
        { type: "MeetingEnded", at },
      );
  });
  test("ending a meeting that never started is MEETING_NOT_ACTIVE", () =>
    given(...team)
      .when({ type: "End", by: H, at })
      .thenRefused("MEETING_NOT_ACTIVE"));
  test("a participant may not end", () =>
    given(...live)
      .when({ type: "End", by: P, at })
      .thenRefused("FORBIDDEN"));
});

describe("Cancel", () => {
  test("given scheduled, when the host cancels, then MeetingCancelled", () => {
    given(...team)
      .when({ type: "Cancel", by: H, at, reason: "ill" })
      .thenEmits({ type: "MeetingCancelled", at, reason: "ill" });
  });
  test("a co-host may not cancel", () =>
    given(...team)
      .when({ type: "Cancel", by: C, at })
      .thenRefused("FORBIDDEN"));
  test("a live meeting is ended, not cancelled", () =>
    given(...live)
      .when({ type: "Cancel", by: H, at })
      .thenRefused("CONFLICT", /end it/));
  test("twice is a CONFLICT", () =>
    given(...team, { type: "MeetingCancelled", at: 5 })
      .when({ type: "Cancel", by: H, at })
      .thenRefused("CONFLICT"));
});

describe("Invite", () => {
  test("a host who left cannot re-invite themself with another role (the meeting keeps its host)", () =>
    given(...live, { type: "ParticipantLeft", at: 4, userId: H })
      .when({ type: "Invite", by: H, at, userId: H, role: "cohost" })
      .thenRefused("CONFLICT"));
  test("a co-host cannot demote a co-host who left by re-inviting them", () =>
    given(...team, invited(O, "cohost"), ...started, { type: "ParticipantLeft", at: 4, userId: O })
      .when({ type: "Invite", by: C, at, userId: O, role: "participant" })
      .thenRefused("FORBIDDEN"));
  test("a co-host invites a participant", () =>
    given(...team)
      .when({ type: "Invite", by: C, at, userId: X, role: "participant" })
      .thenEmits({ type: "ParticipantInvited", at, userId: X, role: "participant" }));
  test("only the host invites a co-host", () =>
    given(...team)
      .when({ type: "Invite", by: C, at, userId: X, role: "cohost" })
      .thenRefused("FORBIDDEN"));
  test("nobody is invited as host", () =>
    given(...team)
      .when({ type: "Invite", by: H, at, userId: X, role: "host" })
      .thenRefused("VALIDATION_ERROR"));
  test("a participant may not invite", () =>
    given(...team)
      .when({ type: "Invite", by: P, at, userId: X, role: "participant" })
      .thenRefused("FORBIDDEN"));
  test("inviting a current participant is a CONFLICT", () =>
    given(...team)
      .when({ type: "Invite", by: H, at, userId: P, role: "observer" })
      .thenRefused("CONFLICT"));
  test("a removed participant may be invited again", () =>
    given(...team, { type: "ParticipantRemoved", at: 4, userId: P })
      .when({ type: "Invite", by: H, at, userId: P, role: "observer" })
      .thenEmits({ type: "ParticipantInvited", at, userId: P, role: "observer" }));
  test("no invites to an ended meeting", () =>
    given(...live, { type: "MeetingEnded", at: 9 })
      .when({ type: "Invite", by: H, at, userId: X, role: "participant" })
      .thenRefused("CONFLICT"));
});

describe("Join and Leave", () => {
  test("an invited participant joins a live meeting", () =>
    given(...live)
      .when({ type: "Join", by: P, at })
      .thenEmits({ type: "ParticipantJoined", at, userId: P }));
  test("joining a scheduled meeting is MEETING_NOT_ACTIVE", () =>
    given(...team)
      .when({ type: "Join", by: P, at })
      .thenRefused("MEETING_NOT_ACTIVE"));
  test("joining a cancelled meeting is MEETING_NOT_ACTIVE", () =>
    given(...team, { type: "MeetingCancelled", at: 5 })
      .when({ type: "Join", by: P, at })
      .thenRefused("MEETING_NOT_ACTIVE"));
  test("a stranger cannot join", () =>
    given(...live)
      .when({ type: "Join", by: X, at })
      .thenRefused("FORBIDDEN"));
  test("a removed participant cannot join", () =>
    given(...live, { type: "ParticipantRemoved", at: 4, userId: P })
      .when({ type: "Join", by: P, at })
      .thenRefused("FORBIDDEN"));
  test("joining twice changes nothing", () =>
    given(...live, { type: "ParticipantJoined", at: 4, userId: P })
      .when({ type: "Join", by: P, at })
      .thenNothing());
  test("a joined participant leaves and may rejoin", () => {
    given(...live, { type: "ParticipantJoined", at: 4, userId: P })
      .when({ type: "Leave", by: P, at })
      .thenEmits({ type: "ParticipantLeft", at, userId: P });
    given(
      ...live,
      { type: "ParticipantJoined", at: 4, userId: P },
      { type: "ParticipantLeft", at: 5, userId: P },
    )
      .when({ type: "Join", by: P, at })
      .thenEmits({ type: "ParticipantJoined", at, userId: P });
  });
  test("leaving when not joined changes nothing", () =>
    given(...live)
      .when({ type: "Leave", by: P, at })
      .thenNothing());
});

describe("ChangeRole", () => {
  const change = (userId: string, role: string, previousRole: string): MeetingEvent =>
    ({ type: "ParticipantRoleChanged", at, userId, role, previousRole }) as MeetingEvent;
  test("the host promotes a participant to co-host", () =>
    given(...team)
      .when({ type: "ChangeRole", by: H, at, userId: P, role: "cohost" })
      .thenEmits(change(P, "cohost", "participant")));
  test("a co-host turns a participant into an observer", () =>
    given(...team)
      .when({ type: "ChangeRole", by: C, at, userId: P, role: "observer" })
      .thenEmits(change(P, "observer", "participant")));
  test("a co-host cannot promote to co-host", () =>
    given(...team)
      .when({ type: "ChangeRole", by: C, at, userId: P, role: "cohost" })
      .thenRefused("FORBIDDEN"));
  test("transferring host makes the old host a co-host", () =>
    given(...team)
      .when({ type: "ChangeRole", by: H, at, userId: P, role: "host" })
      .thenEmits(change(P, "host", "participant"), change(H, "cohost", "host")));
  test("a co-host cannot transfer host", () =>
    given(...team)
      .when({ type: "ChangeRole", by: C, at, userId: P, role: "host" })
      .thenRefused("FORBIDDEN"));
  test("nobody demotes the host directly", () =>
    given(...team)
      .when({ type: "ChangeRole", by: C, at, userId: H, role: "participant" })
      .thenRefused("FORBIDDEN"));
  test("a participant cannot change roles", () =>
    given(...team)
      .when({ type: "ChangeRole", by: P, at, userId: O, role: "participant" })
      .thenRefused("FORBIDDEN"));
  test("an unknown target is NOT_FOUND", () =>
    given(...team)
      .when({ type: "ChangeRole", by: H, at, userId: X, role: "participant" })
      .thenRefused("NOT_FOUND"));
  test("the same role changes nothing", () =>
    given(...team)
      .when({ type: "ChangeRole", by: H, at, userId: P, role: "participant" })
      .thenNothing());
});

describe("Remove", () => {
  test("a co-host removes a participant", () =>
    given(...team)
      .when({ type: "Remove", by: C, at, userId: P })
      .thenEmits({ type: "ParticipantRemoved", at, userId: P }));
  test("the host cannot be removed", () =>
    given(...team)
      .when({ type: "Remove", by: C, at, userId: H })
      .thenRefused("FORBIDDEN"));
  test("only the host removes a co-host", () => {
    given(...team, invited("c2", "cohost"))
      .when({ type: "Remove", by: C, at, userId: "c2" })
      .thenRefused("FORBIDDEN");
    given(...team)
      .when({ type: "Remove", by: H, at, userId: C })
      .thenEmits({ type: "ParticipantRemoved", at, userId: C });
  });
  test("removing yourself is refused (leave instead)", () =>
    given(...team)
      .when({ type: "Remove", by: C, at, userId: C })
      .thenRefused("VALIDATION_ERROR"));
  test("a participant cannot remove", () =>
    given(...team)
      .when({ type: "Remove", by: P, at, userId: O })
      .thenRefused("FORBIDDEN"));
  test("removing twice changes nothing", () =>
    given(...team, { type: "ParticipantRemoved", at: 4, userId: P })
      .when({ type: "Remove", by: H, at, userId: P })
      .thenNothing());
  test("a removed co-host has no powers left", () =>
    given(...team, { type: "ParticipantRemoved", at: 4, userId: C })
      .when({ type: "Start", by: C, at })
      .thenRefused("FORBIDDEN"));
});

describe("bounds", () => {
  test("a meeting holds at most 100 live participants", () => {
    const many = Array.from({ length: 99 }, (_, i) => invited(`u${i}`, "participant"));
    given(scheduled, ...many)
      .when({ type: "Invite", by: H, at, userId: "one-more", role: "participant" })
      .thenRefused("VALIDATION_ERROR", /at most 100/);
  });
  test("at most 500 people are ever invited (removed rows count)", () => {
    const churn = Array.from({ length: 499 }, (_, i): MeetingEvent[] => [
      invited(`u${i}`, "participant"),
      { type: "ParticipantRemoved", at: 3, userId: `u${i}` },
    ]).flat();
    given(scheduled, ...churn)
      .when({ type: "Invite", by: H, at, userId: "next", role: "participant" })
      .thenRefused("VALIDATION_ERROR", /500/);
    given(scheduled, ...churn)
      .when({ type: "Invite", by: H, at, userId: "u1", role: "participant" })
      .thenEmits({ type: "ParticipantInvited", at, userId: "u1", role: "participant" });
  });
});
