/**
 * Entitlements enforced where they apply: participants per meeting
 * (ENTITLEMENT_REQUIRED on the free plan past 6, allowed on pro), transcription
 * minutes metered per org and month (QUOTA_EXCEEDED once used up, nothing
 * stored), the org's meetings-within-org policy, and operator plan changes
 * (token required, audited with operator and reason).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { as, person } from "../../tests/core/identities";
import { makeConvex, type TestBackend } from "../../tests/harness/convex";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { PLANS } from "./plans";

const OPERATOR_TOKEN = "op-token-for-tests";
beforeEach(() => vi.stubEnv("CONNVO_ADMIN_TOKEN", OPERATOR_TOKEN));
afterEach(() => vi.unstubAllEnvs());

async function people(t: TestBackend, n: number, org = "org_acme") {
  const ids: Id<"users">[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await as(t, person(`P${i}x${org}`, org)).mutation(api.users.ensure, {}))._id);
  return ids;
}

const setPlan = (t: TestBackend, plan: "free" | "pro") =>
  t.mutation(internal.billing.operator.setPlanInternal, {
    orgExternalId: "org_acme",
    plan,
    operator: "test-operator",
    reason: "testing limits",
  });

describe("entitlement limits", () => {
  test("the free plan caps a meeting at its maxMeetingSize; pro lifts it", async () => {
    const t = makeConvex();
    const host = as(t, { ...person("Hana"), role: "admin" });
    await host.mutation(api.users.ensure, {});
    const max = PLANS.free.maxMeetingSize;
    const ids = await people(t, max + 1);
    const invitees = ids.map((userId) => ({ userId, role: "participant" as const }));
    const tooMany = await host.mutation(api.meetings.schedule, {
      title: "Big",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: invitees.slice(0, max),
    });
    expect(tooMany).toMatchObject({ ok: false, code: "ENTITLEMENT_REQUIRED" });
    expect(String((tooMany as { message: string }).message)).toMatch(/free plan allows 25 .*pro/);
    const fits = await host.mutation(api.meetings.schedule, {
      title: "Fits",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: invitees.slice(0, max - 1),
    });
    if (!fits.ok) throw new Error(fits.message);
    const meetingId = fits.meetingId;
    const seventh = await host.mutation(api.participants.invite, {
      meetingId,
      userId: ids[max - 1]!,
      role: "participant",
    });
    expect(seventh).toMatchObject({ ok: false, code: "ENTITLEMENT_REQUIRED" });
    // Re-inviting someone already in does not count twice.
    expect(
      await host.mutation(api.participants.invite, {
        meetingId,
        userId: ids[0]!,
        role: "observer",
      }),
    ).not.toMatchObject({ code: "ENTITLEMENT_REQUIRED" });
    await setPlan(t, "pro");
    expect(
      await host.mutation(api.participants.invite, {
        meetingId,
        userId: ids[max - 1]!,
        role: "participant",
      }),
    ).toMatchObject({ ok: true });
    expect(await host.query(api.billing.entitlements.forMeeting, { meetingId })).toMatchObject({
      plan: "pro",
      callProvider: "getstream",
    });
  });

  test("a non-host inviting into a full meeting gets FORBIDDEN, not the plan's limit", async () => {
    const t = makeConvex();
    const host = as(t, person("Hana"));
    await host.mutation(api.users.ensure, {});
    const ids = await people(t, PLANS.free.maxMeetingSize);
    const s = await host.mutation(api.meetings.schedule, {
      title: "Full",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: ids
        .slice(0, PLANS.free.maxMeetingSize - 1)
        .map((userId) => ({ userId, role: "participant" as const })),
    });
    if (!s.ok) throw new Error(s.message);
    const guest = as(t, person("P0xorg_acme"));
    expect(
      await guest.mutation(api.participants.invite, {
        meetingId: s.meetingId,
        userId: ids[PLANS.free.maxMeetingSize - 1]!,
        role: "participant",
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  test("transcription minutes are metered per org and refused once used up", async () => {
    const t = makeConvex();
    const host = as(t, { ...person("Hana"), role: "admin" });
    await host.mutation(api.users.ensure, {});
    const s = await host.mutation(api.meetings.schedule, {
      title: "Talk",
      scheduledAt: Date.now(),
      durationMinutes: 30,
    });
    if (!s.ok) throw new Error(s.message);
    await host.mutation(api.meetings.start, { meetingId: s.meetingId });
    const [org] = await host.query(api.orgs.members.mine, {});
    const limitMin = PLANS.free.transcriptionMinutesPerMonth;
    const chunk = (i: number, minutes: number, isFinal = true) => ({
      meetingId: s.meetingId,
      chunks: [
        {
          text: `words ${i}`,
          confidence: 0.9,
          startMs: i * 300_000,
          endMs: i * 300_000 + minutes * 60_000,
          isFinal,
          idempotencyKey: `k${i}`,
        },
      ],
    });
    // Interim chunks are free; a retried chunk is metered once.
    expect(await host.mutation(api.transcripts.ingest, chunk(0, 4, false))).toMatchObject({
      ok: true,
    });
    expect(await host.mutation(api.transcripts.ingest, chunk(1, 4))).toMatchObject({ ok: true });
    expect(await host.mutation(api.transcripts.ingest, chunk(1, 4))).toMatchObject({ ok: true });
    await t.mutation(internal.billing.usage.rollup, {});
    let usage = await host.query(api.billing.entitlements.forOrg, { orgId: org!.orgId });
    expect(usage.usage.transcriptionMinutesUsed).toBe(4);
    let i = 2;
    while (usage.usage.transcriptionMinutesUsed < limitMin) {
      const r = await host.mutation(api.transcripts.ingest, chunk(i++, 5));
      expect(r).toMatchObject({ ok: true });
      await t.mutation(internal.billing.usage.rollup, {});
      usage = await host.query(api.billing.entitlements.forOrg, { orgId: org!.orgId });
    }
    // The meeting's own unrolled part counts at once; the org total after the rollup.
    const refused = await host.mutation(api.transcripts.ingest, chunk(i, 1));
    expect(refused).toMatchObject({ ok: false, code: "QUOTA_EXCEEDED" });
    const stored = await t.run(async (ctx) =>
      ctx.db
        .query("transcriptEvents")
        .withIndex("by_meeting_commit", (q) => q.eq("meetingId", s.meetingId))
        .collect(),
    );
    expect(stored.map((e) => e.data.text)).not.toContain(`words ${i}`);
    await setPlan(t, "pro");
    expect(await host.mutation(api.transcripts.ingest, chunk(i, 1))).toMatchObject({ ok: true });
  });

  test("an org that keeps meetings within the org refuses outside invitees", async () => {
    const t = makeConvex();
    const admin = as(t, { ...person("Hana"), role: "admin" });
    await admin.mutation(api.users.ensure, {});
    const [org] = await admin.query(api.orgs.members.mine, {});
    const [outsider] = await people(t, 1, "org_other");
    const [insider] = await people(t, 1);
    await admin.mutation(api.orgs.members.update, {
      orgId: org!.orgId,
      policy: { meetingsWithinOrg: true, matchingWithinOrg: false },
    });
    const refused = await admin.mutation(api.meetings.schedule, {
      title: "Inside",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [{ userId: outsider!, role: "participant" }],
    });
    expect(refused).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const ok = await admin.mutation(api.meetings.schedule, {
      title: "Inside",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [{ userId: insider!, role: "participant" }],
    });
    expect(ok).toMatchObject({ ok: true });
    if (!ok.ok) return;
    // By email, an outsider gets the answer an unknown email gets (no account oracle), and is not invited.
    const byEmail = (email: string) =>
      admin.mutation(api.participants.invite, {
        meetingId: ok.meetingId,
        email,
        role: "participant",
      });
    const unknown = await byEmail("nobody-here@example.com");
    expect(unknown).toMatchObject({ ok: true, events: [] });
    expect(await byEmail("p0xorg_other@example.com")).toEqual(unknown);
    const list = await admin.query(api.participants.list, { meetingId: ok.meetingId });
    expect(list.map((p) => p.userId)).not.toContain(outsider);
  });

  test("by email, a full meeting is refused before the email is looked up", async () => {
    const t = makeConvex();
    const host = as(t, person("Hana"));
    await host.mutation(api.users.ensure, {});
    const max = PLANS.free.maxMeetingSize;
    const ids = await people(t, max);
    const s = await host.mutation(api.meetings.schedule, {
      title: "Full",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: ids.slice(0, max - 1).map((userId) => ({ userId, role: "participant" as const })),
    });
    if (!s.ok) throw new Error(s.message);
    const byEmail = (email: string) =>
      host.mutation(api.participants.invite, {
        meetingId: s.meetingId,
        email,
        role: "participant",
      });
    const known = await byEmail(`p${max - 1}xorg_acme@example.com`);
    expect(known).toMatchObject({ ok: false, code: "ENTITLEMENT_REQUIRED" });
    expect(await byEmail("nobody-here@example.com")).toEqual(known);
  });

  test("operator plan changes need the token and are audited with operator and reason", async () => {
    const t = makeConvex();
    const admin = as(t, { ...person("Hana"), role: "admin" });
    await admin.mutation(api.users.ensure, {});
    const [org] = await admin.query(api.orgs.members.mine, {});
    const args = {
      orgExternalId: "org_acme",
      plan: "pro" as const,
      operator: "grace@ops",
      reason: "conference sponsor",
    };
    await expect(
      t.mutation(api.billing.operator.setPlan, { adminToken: "nope", ...args }),
    ).rejects.toThrow(/operator token/);
    await expect(
      t.mutation(api.billing.operator.setPlan, { adminToken: OPERATOR_TOKEN, ...args, reason: "" }),
    ).rejects.toThrow(/reason/);
    expect(
      (await admin.query(api.billing.entitlements.forOrg, { orgId: org!.orgId })).entitlements.plan,
    ).toBe("free");
    await t.mutation(api.billing.operator.setPlan, { adminToken: OPERATOR_TOKEN, ...args });
    const view = await admin.query(api.billing.entitlements.forOrg, { orgId: org!.orgId });
    expect(view).toMatchObject({
      entitlements: { plan: "pro" },
      subscription: { plan: "pro", status: "active", source: "operator" },
    });
    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("auditLog")
        .withIndex("by_org_at", (q) => q.eq("orgId", org!.orgId))
        .collect(),
    );
    expect(audit.at(-1)).toMatchObject({
      action: "billing.subscription",
      operator: "grace@ops",
      reason: "conference sponsor",
    });
  });
});
