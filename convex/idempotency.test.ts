/** Idempotency keys for external effects: claim → complete; retries see the result. */
import { describe, expect, test } from "vitest";
import { makeConvex } from "../tests/harness/convex";
import { internal } from "./_generated/api";

describe("idempotency keys", () => {
  test("a second claim sees pending, then done with the stored result", async () => {
    const t = makeConvex();
    const k = { scope: "stream.room", key: "meeting-1" };
    expect(await t.mutation(internal.idempotency.claim, k)).toEqual({ status: "claimed" });
    expect(await t.mutation(internal.idempotency.claim, k)).toMatchObject({ status: "pending" });
    await t.mutation(internal.idempotency.complete, {
      ...k,
      result: JSON.stringify({ roomId: "r1" }),
    });
    expect(await t.mutation(internal.idempotency.claim, k)).toEqual({
      status: "done",
      result: JSON.stringify({ roomId: "r1" }),
    });
  });

  test("a released or expired claim can be claimed again; sweep deletes expired keys", async () => {
    const t = makeConvex();
    const k = { scope: "email", key: "welcome:u1" };
    await t.mutation(internal.idempotency.claim, k);
    await t.mutation(internal.idempotency.release, k);
    expect(await t.mutation(internal.idempotency.claim, k)).toEqual({ status: "claimed" });
    const short = { scope: "email", key: "short" };
    await t.mutation(internal.idempotency.claim, { ...short, ttlMs: -1 });
    expect(await t.mutation(internal.idempotency.claim, short)).toEqual({ status: "claimed" });
    await t.run(async (ctx) => {
      for (const r of await ctx.db.query("idempotencyKeys").collect())
        await ctx.db.patch("idempotencyKeys", r._id, { expiresAt: 0 });
    });
    expect(await t.mutation(internal.idempotency.sweep, {})).toBe(2);
  });
});
