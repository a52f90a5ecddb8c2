/**
 * Feature flags. Property (fast-check): for any flag key and user id, the
 * rollout bucket is in 0–99 and stable, and raising the percentage never
 * turns a flag off for anyone (monotonic rollout).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { as, person } from "../tests/core/identities";
import { makeConvex } from "../tests/harness/convex";
import { api, internal } from "./_generated/api";
import { isEnabledFor, rolloutBucket } from "./lib/rollout";

describe("feature flags", () => {
  test("rollout is deterministic and monotonic in the percentage", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (key, userId, p1, p2) => {
          const b = rolloutBucket(key, userId);
          expect(b).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThan(100);
          expect(rolloutBucket(key, userId)).toBe(b);
          const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
          if (isEnabledFor({ key, enabled: true, rolloutPercent: lo }, userId)) {
            expect(isEnabledFor({ key, enabled: true, rolloutPercent: hi }, userId)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a 30% rollout reaches roughly 30% of 2,000 users", () => {
    let on = 0;
    for (let i = 0; i < 2000; i++)
      if (isEnabledFor({ key: "new-ui", enabled: true, rolloutPercent: 30 }, `u${i}`)) on++;
    // Binomial(2000, 0.3): sd ≈ 20.5; ±5 sd is a generous deterministic bound.
    expect(on).toBeGreaterThan(600 - 103);
    expect(on).toBeLessThan(600 + 103);
  });

  test("flags read through the query follow set(), and unknown flags are off", async () => {
    const t = makeConvex();
    const me = as(t, person("Flo"));
    await me.mutation(api.users.ensure, {});
    expect(await me.query(api.featureFlags.isEnabled, { key: "nope" })).toBe(false);
    await t.mutation(internal.featureFlags.set, {
      key: "insights",
      enabled: true,
      rolloutPercent: 100,
    });
    expect(await me.query(api.featureFlags.isEnabled, { key: "insights" })).toBe(true);
    await t.mutation(internal.featureFlags.set, {
      key: "insights",
      enabled: true,
      rolloutPercent: 0,
    });
    expect(await me.query(api.featureFlags.listMine, {})).toEqual([
      { key: "insights", enabled: false },
    ]);
    await expect(
      t.mutation(internal.featureFlags.set, { key: "x", enabled: true, rolloutPercent: 101 }),
    ).rejects.toThrow(/rolloutPercent/);
  });
});
