/** Users from identity claims (profiles and interests: `profiles.test.ts`). */
import { describe, expect, test } from "vitest";
import { as, person, TEST_ISSUER } from "../tests/core/identities";
import { makeConvex } from "../tests/harness/convex";
import { api } from "./_generated/api";

describe("users", () => {
  test("ensure creates the user from WorkOS claims and refreshes changed claims only", async () => {
    const t = makeConvex();
    const p = { ...person("Zoe"), email: "Zoe@Example.com", orgId: "org_1", role: "admin" };
    const created = await as(t, p).mutation(api.users.ensure, {});
    expect(created).toMatchObject({
      name: "Zoe",
      email: "zoe@example.com",
      orgId: "org_1",
      orgRole: "admin",
    });
    const before = await t.run(async (ctx) => await ctx.db.get("users", created._id));
    await as(t, p).mutation(api.users.ensure, {});
    const same = await t.run(async (ctx) => await ctx.db.get("users", created._id));
    expect(same?.updatedAt).toBe(before?.updatedAt);
    const moved = await as(t, { ...p, orgId: "org_2" }).mutation(api.users.ensure, {});
    expect(moved).toMatchObject({ _id: created._id, orgId: "org_2" });
    const rows = await t.run(async (ctx) => await ctx.db.query("users").collect());
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenIdentifier).toBe(`${TEST_ISSUER}|${p.subject}`);
  });

  test("a claim that disappears from the token removes its field; a new email is not verified", async () => {
    const t = makeConvex();
    const p = { ...person("Ada"), orgId: "org_1", role: "admin" };
    const created = await as(t, p).mutation(api.users.ensure, {});
    const { orgId: _org, role: _role, ...withoutOrg } = p;
    const left = await as(t, withoutOrg).mutation(api.users.ensure, {});
    expect(left).toEqual({ _id: created._id, name: "Ada", email: "ada@example.com" });
    const row = await t.run(async (ctx) => await ctx.db.get("users", created._id));
    expect(row && "orgId" in row).toBe(false);
    expect(row?.emailVerified).toBe(true);
    await as(t, { ...withoutOrg, email: "other@example.com", emailVerified: false }).mutation(
      api.users.ensure,
      {},
    );
    const moved = await t.run(async (ctx) => await ctx.db.get("users", created._id));
    expect(moved).toMatchObject({ email: "other@example.com", emailVerified: false });
  });

  test("any mutation provisions the user, so schedule works before ensure", async () => {
    const t = makeConvex();
    const r = await as(t, person("Quick")).mutation(api.meetings.schedule, {
      title: "First",
      scheduledAt: Date.now(),
      durationMinutes: 10,
    });
    expect(r.ok).toBe(true);
  });
});
