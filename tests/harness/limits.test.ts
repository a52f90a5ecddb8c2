/** The harness enforces the Convex limits that convex-test does not. */
import { describe, expect, test } from "vitest";
import { makeConvex } from "./convex";
import { assertArgumentsWithinLimits, assertDocumentWithinLimits, CONVEX_LIMITS } from "./limits";

describe("Convex limits in tests", () => {
  test("a document over 1 MiB is refused at write time", async () => {
    const t = makeConvex();
    const big = "x".repeat(CONVEX_LIMITS.documentBytes + 10);
    await expect(
      t.run(async (ctx) => {
        await ctx.db.insert("users", {
          tokenIdentifier: "i|s",
          subject: "s",
          issuer: "i",
          name: big,
          createdAt: 0,
          updatedAt: 0,
        });
      }),
    ).rejects.toThrow(/too large/);
    // Nothing was stored.
    expect(await t.run(async (ctx) => (await ctx.db.query("users").take(1)).length)).toBe(0);
  });

  test("a document just under the limit is accepted", async () => {
    const t = makeConvex();
    const name = "x".repeat(CONVEX_LIMITS.documentBytes - 1000);
    await t.run(async (ctx) => {
      await ctx.db.insert("users", {
        tokenIdentifier: "i|s",
        subject: "s",
        issuer: "i",
        name,
        createdAt: 0,
        updatedAt: 0,
      });
    });
    expect(await t.run(async (ctx) => (await ctx.db.query("users").take(1)).length)).toBe(1);
  });

  test("a patch that removes a field (undefined) passes the checks and removes it", async () => {
    const t = makeConvex();
    const user = {
      tokenIdentifier: "i|s",
      subject: "s",
      issuer: "i",
      name: "n",
      email: "e@x.io",
      createdAt: 0,
      updatedAt: 0,
    };
    const row = await t.run(async (ctx) => {
      const id = await ctx.db.insert("users", user);
      await ctx.db.patch("users", id, { email: undefined, updatedAt: 1 });
      return await ctx.db.get("users", id);
    });
    expect(row).not.toHaveProperty("email");
    expect(row?.updatedAt).toBe(1);
  });

  test("arrays longer than 8,192 elements are refused, nested ones too", () => {
    expect(() => assertDocumentWithinLimits("t", { a: new Array(8192).fill(1) })).not.toThrow();
    expect(() => assertDocumentWithinLimits("t", { a: [{ b: new Array(8193).fill(1) }] })).toThrow(
      /8193 elements/,
    );
  });

  test("arguments over 16 MiB are refused", () => {
    expect(() =>
      assertArgumentsWithinLimits("f", { s: "x".repeat(CONVEX_LIMITS.argumentBytes + 1) }),
    ).toThrow(/too large/);
  });
});
