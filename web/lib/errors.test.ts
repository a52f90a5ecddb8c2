/** Plan refusals read as what the plan allows and what to do about it. */
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { plainError, refusalText } from "./errors";

describe("plan refusals in plain words", () => {
  test("ENTITLEMENT_REQUIRED keeps the server's limit and says how to upgrade", () => {
    const text = refusalText({
      ok: false,
      code: "ENTITLEMENT_REQUIRED",
      message: "the free plan allows 25 people per meeting; the pro plan allows more",
    });
    expect(text).toBe(
      "The free plan allows 25 people per meeting; the pro plan allows more. Ask an admin of your organization to upgrade the plan.",
    );
  });

  test("QUOTA_EXCEEDED thrown by a query, and without a message", () => {
    const thrown = new ConvexError({ code: "QUOTA_EXCEEDED", message: "" });
    expect(plainError(thrown)).toBe(
      "Your organization used up this month's allowance on its plan. Ask an admin of your organization to upgrade the plan.",
    );
    expect(refusalText({ ok: false, code: "FORBIDDEN", message: "x" })).not.toMatch(/upgrade/);
  });
});
