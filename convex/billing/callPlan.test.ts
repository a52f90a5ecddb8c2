/**
 * The call's participant cap comes from the org's entitlement
 * (`maxParticipants`), read where the call is joined: an org whose
 * entitlement allows 2 people refuses the third with ENTITLEMENT_REQUIRED and
 * stores no session; the room info says the same; an operator's plan change
 * re-derives the entitlement and the same join is admitted.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { meetingFixture } from "../../tests/core/fixtures";
import { api, internal } from "../_generated/api";
import { orgByExternalId } from "../lib/orgAccess";
import { MAX_CALL_PARTICIPANTS } from "../lib/rtcRules";
import { entitlementsOf } from "./plans";

const AV = { audio: true, video: true };
beforeEach(() => vi.stubEnv("CONNVO_ADMIN_TOKEN", "op-token-for-tests"));
afterEach(() => vi.unstubAllEnvs());

describe("the call's cap from the plan", () => {
  test("an entitlement of 2 people refuses the third join (ENTITLEMENT_REQUIRED); pro admits it", async () => {
    const f = await meetingFixture({ live: true });
    // Given the org's entitlement allows 2 people in a call (a plan shape below the mesh's 6).
    await f.t.run(async (ctx) => {
      const org = await orgByExternalId(ctx, "org_acme");
      if (!org) throw new Error("the fixture's org was not synced from the claims");
      await ctx.db.insert("entitlements", {
        orgId: org._id,
        ...entitlementsOf("free"),
        maxParticipants: 2,
        derivedAt: 0,
      });
    });
    const join = (c: (typeof f.clients)["host"]) =>
      c.mutation(api.rtcSessions.join, { meetingId: f.meetingId, deviceId: "tab", media: AV });
    const info = () => f.clients.host.query(api.rtcSessions.callInfo, { meetingId: f.meetingId });
    expect(await info()).toMatchObject({ maxParticipants: 2, limitedBy: "plan", plan: "free" });
    expect(await join(f.clients.host)).toMatchObject({ ok: true, maxParticipants: 2 });
    expect(await join(f.clients.participant)).toMatchObject({ ok: true });
    const third = await join(f.clients.observer);
    expect(third).toMatchObject({ ok: false, code: "ENTITLEMENT_REQUIRED" });
    expect(third.ok === false && third.message).toMatch(/free plan allows 2 people in a call/);
    const sessions = await f.t.run(async (ctx) =>
      ctx.db
        .query("rtcSessions")
        .withIndex("by_meeting", (q) => q.eq("meetingId", f.meetingId))
        .collect(),
    );
    expect(sessions.map((s) => s.userId).sort()).toEqual([f.ids.host, f.ids.participant].sort());
    expect(await info()).toMatchObject({ inCall: 2, maxParticipants: 2 });

    // When an operator moves the org to pro, the entitlement is re-derived and the join is admitted.
    await f.t.mutation(internal.billing.operator.setPlanInternal, {
      orgExternalId: "org_acme",
      plan: "pro",
      operator: "test-operator",
      reason: "bigger calls",
    });
    expect(await info()).toMatchObject({
      maxParticipants: MAX_CALL_PARTICIPANTS,
      limitedBy: "provider",
      plan: "pro",
    });
    expect(await join(f.clients.observer)).toMatchObject({ ok: true, receiveOnly: true });
  });
});
