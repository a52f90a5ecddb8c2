/**
 * Feature flags. Property (fast-check): for any flag key and user id, the
 * rollout bucket is in 0–99 and stable, and raising the percentage never
 * turns a flag off for anyone (monotonic rollout).
 */
import fc from "fast-check";
import { describe, expect, test, vi } from "vitest";
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
    const who = { operator: "ops", reason: "testing flags" };
    const t = makeConvex();
    const me = as(t, person("Flo"));
    await me.mutation(api.users.ensure, {});
    expect(await me.query(api.featureFlags.isEnabled, { key: "nope" })).toBe(false);
    await t.mutation(internal.featureFlags.set, {
      key: "insights",
      enabled: true,
      rolloutPercent: 100,
      ...who,
    });
    expect(await me.query(api.featureFlags.isEnabled, { key: "insights" })).toBe(true);
    await t.mutation(internal.featureFlags.set, {
      key: "insights",
      enabled: true,
      rolloutPercent: 0,
      ...who,
    });
    const mine = await me.query(api.featureFlags.listMine, {});
    expect(mine.find((f) => f.key === "insights")).toEqual({ key: "insights", enabled: false });
    // The capability flags are listed (and on) while no row exists.
    expect(mine.filter((f) => f.key !== "insights").map((f) => [f.key, f.enabled])).toEqual([
      ["ai.incall", true],
      ["ai.insights", true],
      ["ai.precall", true],
      ["matching", true],
      ["recording", true],
    ]);
    await expect(
      t.mutation(internal.featureFlags.set, {
        key: "x",
        enabled: true,
        rolloutPercent: 101,
        ...who,
      }),
    ).rejects.toThrow(/rolloutPercent/);
  });

  test("a row for this environment wins over the environment-less one; other environments do not apply", async () => {
    const t = makeConvex();
    const me = as(t, person("Flo"));
    await me.mutation(api.users.ensure, {});
    const who = { operator: "ops", reason: "environment test" };
    const on = (key: string) => me.query(api.featureFlags.isEnabled, { key });
    vi.stubEnv("CONNVO_ENVIRONMENT", "staging");
    try {
      expect(await on("matching")).toBe(true);
      await t.mutation(internal.featureFlags.set, {
        key: "matching",
        enabled: false,
        rolloutPercent: 0,
        environment: "production",
        ...who,
      });
      expect(await on("matching")).toBe(true);
      await t.mutation(internal.featureFlags.set, {
        key: "matching",
        enabled: false,
        rolloutPercent: 0,
        ...who,
      });
      expect(await on("matching")).toBe(false);
      await t.mutation(internal.featureFlags.set, {
        key: "matching",
        enabled: true,
        rolloutPercent: 100,
        environment: "staging",
        ...who,
      });
      expect(await on("matching")).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test("operator changes need the token, a reason, and are audited with both", async () => {
    const t = makeConvex();
    vi.stubEnv("CONNVO_ADMIN_TOKEN", "flag-op-token");
    try {
      const base = { key: "ai.incall", enabled: false, rolloutPercent: 0, operator: "ada" };
      await expect(
        t.mutation(api.featureFlags.change, { adminToken: "wrong", ...base, reason: "outage" }),
      ).rejects.toThrow(/operator token/);
      await expect(
        t.mutation(api.featureFlags.change, { adminToken: "flag-op-token", ...base, reason: " " }),
      ).rejects.toThrow(/reason/);
      await t.mutation(api.featureFlags.change, {
        adminToken: "flag-op-token",
        ...base,
        reason: "LLM outage",
      });
      const me = as(t, person("Flo"));
      await me.mutation(api.users.ensure, {});
      expect(await me.query(api.featureFlags.isEnabled, { key: "ai.incall" })).toBe(false);
      const audit = await t.run(async (ctx) => ctx.db.query("auditLog").collect());
      expect(audit.at(-1)).toMatchObject({
        action: "featureFlags.set",
        operator: "ada",
        reason: "LLM outage",
        detail: "ai.incall@all: unset → enabled=false rollout=0%",
      });
      const rows = await t.query(api.featureFlags.listAll, { adminToken: "flag-op-token" });
      expect(rows).toEqual([
        {
          key: "ai.incall",
          enabled: false,
          rolloutPercent: 0,
          registered: true,
          effectiveHere: true,
        },
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
