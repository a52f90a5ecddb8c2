/** How the call client reads a refused join (`refusedJoin`): full at a cap, with the plan's upgrade hint; error otherwise. */
import { describe, expect, test } from "vitest";
import { refusedJoin } from "./callClient";

describe("refusedJoin", () => {
  test("the mesh's cap and the plan's cap are a full call; the plan's says how to upgrade", () => {
    expect(
      refusedJoin({ ok: false, code: "CONFLICT", message: "the call is full: 6 people are in it" }),
    ).toEqual({ status: "full", message: "The call is full: 6 people are in it" });
    const plan = refusedJoin({
      ok: false,
      code: "ENTITLEMENT_REQUIRED",
      message: "the free plan allows 2 people in a call at once, and 2 are in it",
    });
    expect(plan.status).toBe("full");
    expect(plan.message).toMatch(/^The free plan allows 2 people .*upgrade the plan\.$/);
  });

  test("any other refusal is an error with the server's message", () => {
    expect(
      refusedJoin({ ok: false, code: "FORBIDDEN", message: "join the meeting first" }),
    ).toEqual({ status: "error", message: "join the meeting first" });
  });
});
