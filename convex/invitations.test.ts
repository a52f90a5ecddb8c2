/**
 * Issue 21: invitations by email (pending until a verified account claims them),
 * invite links (hashed, expiring, revocable, role, N uses), RSVPs, the invitation
 * mail with its calendar invitation, and reminders.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { as, type Person, person } from "../tests/core/identities";
import { makeConvex } from "../tests/harness/convex";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";

afterEach(() => {
  vi.useRealTimers();
});

const newcomer: Person = {
  subject: "user_newcomer",
  name: "Newt Comer",
  email: "newt@outside.example",
  emailVerified: true,
};

async function inviteNewcomer() {
  const f = await meetingFixture();
  const r = await f.clients.host.mutation(api.participants.invite, {
    meetingId: f.meetingId,
    email: "  Newt@Outside.Example ",
    role: "participant",
  });
  expect(r).toEqual({ ok: true, meetingId: f.meetingId, events: [], duplicate: false });
  return f;
}

describe("invitations by email", () => {
  test("an address without an account gets a pending invitation, a mail with a calendar invitation, and shows as pending to hosts only", async () => {
    const f = await inviteNewcomer();
    const pending = await f.clients.host.query(api.invitations.pending, { meetingId: f.meetingId });
    expect(pending.map((p) => [p.email, p.role])).toEqual([
      ["newt@outside.example", "participant"],
    ]);
    await expect(
      f.clients.participant.query(api.invitations.pending, { meetingId: f.meetingId }),
    ).rejects.toThrow(/host or a co-host/);
    const box = await f.clients.host.query(api.mail.devMailbox, {});
    expect(box.provider).toBe("dev-mailbox");
    const mail = box.mails.find((m) => m.to === "newt@outside.example")!;
    expect(mail).toMatchObject({ kind: "invitation", status: "dev", sentByMe: true });
    expect(mail.text).toContain(`/meetings/${f.meetingId}`);
    expect(mail.ics).toContain("METHOD:REQUEST");
    expect(mail.ics).toContain(`UID:${f.meetingId}@connvo`);
    // A second invitation of the same address neither duplicates the row nor mails again.
    await f.clients.host.mutation(api.participants.invite, {
      meetingId: f.meetingId,
      email: "newt@outside.example",
      role: "participant",
    });
    expect(
      await f.clients.host.query(api.invitations.pending, { meetingId: f.meetingId }),
    ).toHaveLength(1);
    const again = await f.clients.host.query(api.mail.devMailbox, {});
    expect(again.mails.filter((m) => m.to === "newt@outside.example")).toHaveLength(1);
  });

  test("signing in with that email verified claims it: the person is a participant and sees the meeting", async () => {
    const f = await inviteNewcomer();
    const me = await as(f.t, newcomer).mutation(api.users.ensure, {});
    const meeting = await as(f.t, newcomer).query(api.meetings.get, { meetingId: f.meetingId });
    expect(meeting).toMatchObject({ myRole: "participant", myStatus: "invited" });
    const list = await f.clients.host.query(api.participants.list, { meetingId: f.meetingId });
    expect(list.find((p) => p.userId === me._id)).toMatchObject({ status: "invited" });
    expect(await f.clients.host.query(api.invitations.pending, { meetingId: f.meetingId })).toEqual(
      [],
    );
    // The newcomer now reads their own mail in the dev mailbox.
    const box = await as(f.t, newcomer).query(api.mail.devMailbox, {});
    expect(box.mails.map((m) => m.kind)).toContain("invitation");
  });

  test("hostile: an unverified account with the same email gets nothing, cannot read the mail, and the invitation waits for the owner", async () => {
    const f = await inviteNewcomer();
    const impostor = { ...newcomer, subject: "user_impostor", emailVerified: false };
    await as(f.t, impostor).mutation(api.users.ensure, {});
    await expect(
      as(f.t, impostor).query(api.meetings.get, { meetingId: f.meetingId }),
    ).rejects.toThrow(/not a participant/);
    expect((await as(f.t, impostor).query(api.mail.devMailbox, {})).mails).toEqual([]);
    expect(
      await f.clients.host.query(api.invitations.pending, { meetingId: f.meetingId }),
    ).toHaveLength(1);
    // The owner of the address, verified, still claims it.
    await as(f.t, newcomer).mutation(api.users.ensure, {});
    expect(
      await as(f.t, newcomer).query(api.meetings.get, { meetingId: f.meetingId }),
    ).toMatchObject({
      myRole: "participant",
    });
  });

  test("hostile: a different email claims nothing; a revoked invitation is not claimed", async () => {
    const f = await inviteNewcomer();
    const other = { ...newcomer, subject: "user_other", email: "newt@outside.example.evil" };
    await as(f.t, other).mutation(api.users.ensure, {});
    await expect(
      as(f.t, other).query(api.meetings.get, { meetingId: f.meetingId }),
    ).rejects.toThrow();
    const [inv] = await f.clients.host.query(api.invitations.pending, { meetingId: f.meetingId });
    expect(
      await f.clients.participant.mutation(api.invitations.revokeEmail, { invitationId: inv!._id }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await f.clients.host.mutation(api.invitations.revokeEmail, { invitationId: inv!._id }),
    ).toEqual({ ok: true });
    await as(f.t, newcomer).mutation(api.users.ensure, {});
    await expect(
      as(f.t, newcomer).query(api.meetings.get, { meetingId: f.meetingId }),
    ).rejects.toThrow();
  });

  test("a token that once said verified does not claim later without email_verified", async () => {
    const f = await inviteNewcomer();
    // First sign-in unverified (the row is not verified), then the claim needs the token's claim.
    await as(f.t, { ...newcomer, emailVerified: false }).mutation(api.users.ensure, {});
    await expect(
      as(f.t, newcomer).query(api.meetings.get, { meetingId: f.meetingId }),
    ).rejects.toThrow();
    await as(f.t, newcomer).mutation(api.users.ensure, {});
    expect(
      await as(f.t, newcomer).query(api.meetings.get, { meetingId: f.meetingId }),
    ).toMatchObject({
      myStatus: "invited",
    });
  });

  test("refusals: not an address, host role, a participant inviting, an ended meeting", async () => {
    const f = await meetingFixture({ live: true });
    const invite = (
      c: keyof typeof f.clients,
      email: string,
      role: "participant" | "host" = "participant",
    ) => f.clients[c].mutation(api.participants.invite, { meetingId: f.meetingId, email, role });
    expect(await invite("host", "no at sign")).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    expect(await invite("host", "a@b.c, d@e.f")).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    expect(await invite("host", "x@y.example", "host")).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    expect(await invite("participant", "x@y.example")).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    await f.clients.host.mutation(api.meetings.end, { meetingId: f.meetingId });
    expect(await invite("host", "x@y.example")).toMatchObject({ ok: false, code: "CONFLICT" });
  });

  test("an invitation claimed after the meeting ended is void, not a participant", async () => {
    const f = await meetingFixture({ live: true });
    await f.clients.host.mutation(api.participants.invite, {
      meetingId: f.meetingId,
      email: newcomer.email,
      role: "participant",
    });
    await f.clients.host.mutation(api.meetings.end, { meetingId: f.meetingId });
    await as(f.t, newcomer).mutation(api.users.ensure, {});
    await expect(
      as(f.t, newcomer).query(api.meetings.get, { meetingId: f.meetingId }),
    ).rejects.toThrow();
    const rows = await f.t.run(async (ctx) => await ctx.db.query("emailInvitations").collect());
    expect(rows.find((r) => r.email === newcomer.email)).toMatchObject({ status: "void" });
  });
});

/** A host and a meeting `ahead` ms from now, with `emails` invited. */
async function hostedMeeting(title: string, ahead: number, emails: string[]) {
  const t = makeConvex();
  const host = as(t, person("Hana"));
  await host.mutation(api.users.ensure, {});
  const start = Date.now() + ahead;
  const s = await host.mutation(api.meetings.schedule, {
    title,
    scheduledAt: start,
    durationMinutes: 30,
  });
  if (!s.ok) throw new Error(s.message);
  for (const email of emails)
    await host.mutation(api.participants.invite, {
      meetingId: s.meetingId,
      email,
      role: "participant",
    });
  return { t, host, start, meetingId: s.meetingId };
}

describe("reminders", () => {
  test("a meeting tomorrow gets reminders 24 h and 15 min before, only while the person is still invited", async () => {
    vi.useFakeTimers();
    const { t, host, start, meetingId } = await hostedMeeting("Tomorrow", 2 * 24 * 3_600_000, [
      "a@x.example",
      "b@x.example",
    ]);
    const [, b] = await host.query(api.invitations.pending, { meetingId });
    await host.mutation(api.invitations.revokeEmail, { invitationId: b!._id });
    const times = await t.run(async (ctx) => {
      const jobs = (await ctx.db.system.query("_scheduled_functions").collect()).filter((f) =>
        f.name.includes("remind"),
      );
      const out = [];
      for (const f of jobs) {
        // The job names its plan, never the address.
        expect(JSON.stringify(f.args)).not.toContain("@x.example");
        const plan = await ctx.db.get("reminderPlans", f.args[0].planId);
        out.push([plan?.email, f.scheduledTime - start]);
      }
      return out;
    });
    expect(times.sort()).toEqual(
      [
        ["a@x.example", -24 * 3_600_000],
        ["a@x.example", -15 * 60_000],
        ["b@x.example", -24 * 3_600_000],
        ["b@x.example", -15 * 60_000],
      ].sort(),
    );
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const mails = (await host.query(api.mail.devMailbox, {})).mails;
    const reminders = mails.filter((m) => m.kind === "reminder");
    // b's invitation was revoked: only a is reminded, twice.
    expect(reminders.map((m) => m.to)).toEqual(["a@x.example", "a@x.example"]);
    expect(reminders.every((m) => m.subject.startsWith("Reminder: Tomorrow starts in"))).toBe(true);
  });

  test("invited again, a person still gets one reminder per lead", async () => {
    vi.useFakeTimers();
    const { t, host, meetingId } = await hostedMeeting("Twice", 2 * 24 * 3_600_000, [
      "a@x.example",
    ]);
    const [first] = await host.query(api.invitations.pending, { meetingId });
    await host.mutation(api.invitations.revokeEmail, { invitationId: first!._id });
    await host.mutation(api.participants.invite, {
      meetingId,
      email: "a@x.example",
      role: "participant",
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const mails = (await host.query(api.mail.devMailbox, {})).mails;
    expect(mails.filter((m) => m.kind === "reminder").map((m) => m.to)).toEqual([
      "a@x.example",
      "a@x.example",
    ]);
  });

  test("no reminder once the meeting was cancelled", async () => {
    const { t, host, start, meetingId } = await hostedMeeting("Soon", 3_600_000, ["a@x.example"]);
    await host.mutation(api.meetings.cancel, { meetingId });
    expect(
      await t.mutation(internal.mail.remind, {
        meetingId,
        email: "a@x.example",
        scheduledAt: start,
      }),
    ).toBe(false);
  });
});

async function makeLink(
  f: Awaited<ReturnType<typeof meetingFixture>>,
  args: { role?: "participant" | "observer"; maxUses?: number; expiresInHours?: number } = {},
) {
  const r = await f.clients.host.action(api.invitations.createLink, {
    meetingId: f.meetingId,
    role: args.role ?? "participant",
    maxUses: args.maxUses,
    expiresInHours: args.expiresInHours,
  });
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe("invite links", () => {
  test("the token is stored only as a hash; a link admits one person with its role, and the same person again uses nothing", async () => {
    const f = await meetingFixture({ live: true });
    const link = await makeLink(f, { role: "observer" });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.url).toMatch(new RegExp(`/invite/${link.token}$`));
    const stored = await f.t.run(async (ctx) => await ctx.db.get("inviteLinks", link.linkId));
    expect(JSON.stringify(stored)).not.toContain(link.token);
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const guest = as(f.t, person("Gus"));
    const r = await guest.mutation(api.invitations.redeemLink, { token: link.token });
    expect(r).toEqual({ ok: true, meetingId: f.meetingId, alreadyIn: false });
    expect(await guest.query(api.meetings.get, { meetingId: f.meetingId })).toMatchObject({
      myRole: "observer",
    });
    expect(await guest.mutation(api.invitations.redeemLink, { token: link.token })).toMatchObject({
      ok: true,
      alreadyIn: true,
    });
    // Reused by a second person: refused.
    const second = as(f.t, person("Sam"));
    expect(await second.mutation(api.invitations.redeemLink, { token: link.token })).toEqual({
      ok: false,
      code: "FORBIDDEN",
      message: "this invite link has already been used",
    });
    await expect(second.query(api.meetings.get, { meetingId: f.meetingId })).rejects.toThrow();
    const links = await f.clients.host.query(api.invitations.links, { meetingId: f.meetingId });
    expect(links[0]).toMatchObject({ uses: 1, maxUses: 1, state: "used" });
  });

  test("N uses admit N different people", async () => {
    const f = await meetingFixture({ live: true });
    const link = await makeLink(f, { maxUses: 2 });
    const answers = [];
    for (const n of ["A1", "A2", "A3"])
      answers.push(
        (await as(f.t, person(n)).mutation(api.invitations.redeemLink, { token: link.token })).ok,
      );
    expect(answers).toEqual([true, true, false]);
  });

  test("hostile: revoked, expired, unknown and malformed tokens are refused", async () => {
    const f = await meetingFixture({ live: true });
    const revoked = await makeLink(f, { maxUses: 5 });
    expect(
      await f.clients.host.mutation(api.invitations.revokeLink, { linkId: revoked.linkId }),
    ).toEqual({ ok: true });
    const guest = as(f.t, person("Gus"));
    expect(
      await guest.mutation(api.invitations.redeemLink, { token: revoked.token }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
      message: "this invite link was revoked by the host",
    });
    const expiring = await makeLink(f, { expiresInHours: 1 });
    await f.t.run(async (ctx) => {
      await ctx.db.patch("inviteLinks", expiring.linkId, { expiresAt: Date.now() - 1 });
    });
    expect(
      await guest.mutation(api.invitations.redeemLink, { token: expiring.token }),
    ).toMatchObject({
      ok: false,
      message: "this invite link has expired",
    });
    const flipped = revoked.token.slice(0, -1) + (revoked.token.endsWith("A") ? "B" : "A");
    for (const token of [
      flipped,
      "",
      "x".repeat(43),
      "../../etc/passwd",
      revoked.token.toUpperCase(),
    ])
      expect(await guest.mutation(api.invitations.redeemLink, { token })).toMatchObject({
        ok: false,
        code: "NOT_FOUND",
      });
    await expect(guest.query(api.meetings.get, { meetingId: f.meetingId })).rejects.toThrow();
  });

  test("hostile: a removed person cannot come back with a link; only managers make or revoke links; bounds are checked", async () => {
    const f = await meetingFixture({ live: true });
    const link = await makeLink(f, { maxUses: 5 });
    expect(
      await f.clients.removed.mutation(api.invitations.redeemLink, { token: link.token }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
      message: "you were removed from this meeting",
    });
    expect(
      await f.clients.participant.action(api.invitations.createLink, {
        meetingId: f.meetingId,
        role: "participant",
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await f.clients.participant.mutation(api.invitations.revokeLink, { linkId: link.linkId }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    for (const bad of [
      { maxUses: 0 },
      { maxUses: 1.5 },
      { maxUses: 101 },
      { expiresInHours: 0 },
      { expiresInHours: Number.NaN },
    ])
      expect(
        await f.clients.host.action(api.invitations.createLink, {
          meetingId: f.meetingId,
          role: "participant",
          ...bad,
        }),
      ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
  });
});

describe("RSVP", () => {
  test("a participant accepts then declines; the people list shows it; a non-participant cannot answer", async () => {
    const f = await meetingFixture();
    const rsvpOf = async (userId: Id<"users">) =>
      (await f.clients.host.query(api.participants.list, { meetingId: f.meetingId })).find(
        (p) => p.userId === userId,
      )?.rsvp;
    expect(await rsvpOf(f.ids.invited)).toBeUndefined();
    expect(
      await f.clients.invited.mutation(api.invitations.respond, {
        meetingId: f.meetingId,
        response: "accepted",
      }),
    ).toEqual({ ok: true });
    expect(await rsvpOf(f.ids.invited)).toBe("accepted");
    await f.clients.invited.mutation(api.invitations.respond, {
      meetingId: f.meetingId,
      response: "declined",
    });
    expect(await rsvpOf(f.ids.invited)).toBe("declined");
    expect(
      await f.clients.nonParticipant.mutation(api.invitations.respond, {
        meetingId: f.meetingId,
        response: "accepted",
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await f.clients.removed.mutation(api.invitations.respond, {
        meetingId: f.meetingId,
        response: "accepted",
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});

describe("roles are never changed by an invitation", () => {
  test("a host who left and opens a link to their own meeting stays host", async () => {
    const f = await meetingFixture({ live: true });
    const link = await makeLink(f, { maxUses: 5 });
    await f.clients.host.mutation(api.participants.leave, { meetingId: f.meetingId });
    expect(
      await f.clients.host.mutation(api.invitations.redeemLink, { token: link.token }),
    ).toMatchObject({
      ok: true,
      alreadyIn: true,
    });
    expect(await f.clients.host.query(api.meetings.get, { meetingId: f.meetingId })).toMatchObject({
      myRole: "host",
    });
  });
});
