/**
 * The call plan decision (pure): the cap is the smaller of the plan's
 * `maxParticipants` and what the provider connects, and what sets it decides
 * the refusal's code (ENTITLEMENT_REQUIRED for the plan, CONFLICT for the
 * provider). Malformed limits admit nobody.
 */
import { describe, expect, test } from "vitest";
import { admitToCall, decideCallPlan } from "./callProvider";
import { MAX_CALL_PARTICIPANTS } from "./rtcRules";

describe("decideCallPlan", () => {
  test("a plan below the mesh's capacity sets the cap", () => {
    expect(decideCallPlan({ plan: "team", callProvider: "webrtc", maxParticipants: 3 })).toEqual({
      provider: "mesh",
      maxParticipants: 3,
      limitedBy: "plan",
      plan: "team",
    });
  });

  test("a plan at or above the mesh's capacity is capped by the mesh", () => {
    for (const max of [MAX_CALL_PARTICIPANTS, MAX_CALL_PARTICIPANTS + 1, 100])
      expect(
        decideCallPlan({ plan: "free", callProvider: "webrtc", maxParticipants: max }),
      ).toMatchObject({ maxParticipants: MAX_CALL_PARTICIPANTS, limitedBy: "provider" });
  });

  test("a getstream entitlement uses GetStream while its call is pending or ready, the mesh otherwise", () => {
    const pro = { plan: "pro", callProvider: "getstream", maxParticipants: 100 } as const;
    for (const paid of ["pending", "ready"] as const)
      expect(decideCallPlan(pro, paid)).toEqual({
        provider: "stream",
        maxParticipants: 100,
        limitedBy: "plan",
        plan: "pro",
      });
    for (const paid of ["none", "fallback"] as const)
      expect(decideCallPlan(pro, paid)).toMatchObject({
        provider: "mesh",
        maxParticipants: MAX_CALL_PARTICIPANTS,
        limitedBy: "provider",
      });
    // A free plan never gets GetStream, whatever a stale row says.
    expect(
      decideCallPlan({ plan: "free", callProvider: "webrtc", maxParticipants: 6 }, "ready"),
    ).toMatchObject({ provider: "mesh" });
  });

  test("malformed limits admit nobody", () => {
    for (const max of [Number.NaN, -1, 2.5, Number.NEGATIVE_INFINITY])
      expect(
        decideCallPlan({ plan: "free", callProvider: "webrtc", maxParticipants: max }),
      ).toMatchObject({ maxParticipants: 0, limitedBy: "plan" });
  });
});

describe("admitToCall", () => {
  test("admits below the cap and refuses at it, coded by what sets it", () => {
    const byPlan = decideCallPlan({ plan: "team", callProvider: "webrtc", maxParticipants: 2 });
    expect(admitToCall(byPlan, 1)).toEqual({ ok: true });
    const refusedByPlan = admitToCall(byPlan, 2);
    expect(refusedByPlan).toMatchObject({ ok: false, code: "ENTITLEMENT_REQUIRED" });
    expect(refusedByPlan.ok === false && refusedByPlan.message).toMatch(/team plan allows 2/);
    const byMesh = decideCallPlan({ plan: "pro", callProvider: "getstream", maxParticipants: 100 });
    expect(admitToCall(byMesh, MAX_CALL_PARTICIPANTS - 1)).toEqual({ ok: true });
    expect(admitToCall(byMesh, MAX_CALL_PARTICIPANTS)).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
  });
});
