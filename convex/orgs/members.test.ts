/**
 * Orgs from WorkOS claims and invitations: the `org_id` / `role` claims make
 * and update memberships on any mutation; a removed member is not revived by
 * a stale claim; invitations are accepted only with the invited email
 * verified by the token; every org read re-checks membership.
 */
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { as, person, TEST_ISSUER } from "../../tests/core/identities";
import { makeConvex, type TestBackend } from "../../tests/harness/convex";
import { api } from "../_generated/api";

function verified(t: TestBackend, name: string, email: string, verifiedEmail: boolean) {
  const subject = `user_${name.toLowerCase()}`;
  return t.withIdentity({
    subject,
    issuer: TEST_ISSUER,
    tokenIdentifier: `${TEST_ISSUER}|${subject}`,
    name,
    email,
    emailVerified: verifiedEmail,
  });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    const r = await p;
    if (r && typeof r === "object" && "ok" in r && r.ok === false)
      return String((r as unknown as { code: string }).code);
    return "ok";
  } catch (e) {
    if (e instanceof ConvexError) return String((e.data as { code: string }).code);
    throw e;
  }
}

describe("orgs from claims", () => {
  test("the org_id and role claims make the org and the membership; role follows the claim", async () => {
    const t = makeConvex();
    const ada = as(t, { ...person("Ada"), role: "admin" });
    const bob = as(t, person("Bob"));
    await ada.mutation(api.users.ensure, {});
    const bobUser = await bob.mutation(api.users.ensure, {});
    const [org] = await ada.query(api.orgs.members.mine, {});
    expect(org).toMatchObject({ externalId: "org_acme", role: "admin" });
    const members = await ada.query(api.orgs.members.list, { orgId: org!.orgId });
    expect(members.map((m) => [m.name, m.role]).sort()).toEqual([
      ["Ada", "admin"],
      ["Bob", "member"],
    ]);
    // Admins see emails, members do not.
    expect(members.find((m) => m.name === "Bob")?.email).toBe("bob@example.com");
    const asMember = await bob.query(api.orgs.members.list, { orgId: org!.orgId });
    expect(asMember.every((m) => m.email === undefined)).toBe(true);
    // WorkOS promotes Bob: his next mutation carries role=admin.
    await as(t, { ...person("Bob"), role: "admin" }).mutation(api.users.ensure, {});
    expect((await bob.query(api.orgs.members.mine, {}))[0]?.role).toBe("admin");
    expect(bobUser.orgId).toBe("org_acme");
  });

  test("an admin removes a member: reads refuse at once and a stale claim does not revive them", async () => {
    const t = makeConvex();
    const ada = as(t, { ...person("Ada"), role: "admin" });
    const bob = as(t, person("Bob"));
    await ada.mutation(api.users.ensure, {});
    const bobId = (await bob.mutation(api.users.ensure, {}))._id;
    const [org] = await ada.query(api.orgs.members.mine, {});
    const orgId = org!.orgId;
    expect(await code(bob.query(api.orgs.members.list, { orgId }))).toBe("ok");
    expect(await code(bob.mutation(api.orgs.members.remove, { orgId, userId: bobId }))).toBe(
      "FORBIDDEN",
    );
    await ada.mutation(api.orgs.members.remove, { orgId, userId: bobId });
    expect(await code(bob.query(api.orgs.members.list, { orgId }))).toBe("FORBIDDEN");
    await bob.mutation(api.users.ensure, {});
    expect(await code(bob.query(api.orgs.members.list, { orgId }))).toBe("FORBIDDEN");
    expect(await bob.query(api.orgs.members.mine, {})).toEqual([]);
  });

  test("a user of another org cannot read, and gets the same answer as for an unknown org", async () => {
    const t = makeConvex();
    const ada = as(t, { ...person("Ada"), role: "admin" });
    const otto = as(t, { ...person("Otto", "org_other"), role: "admin" });
    await ada.mutation(api.users.ensure, {});
    await otto.mutation(api.users.ensure, {});
    const [acme] = await ada.query(api.orgs.members.mine, {});
    const [other] = await otto.query(api.orgs.members.mine, {});
    expect(await code(otto.query(api.orgs.members.list, { orgId: acme!.orgId }))).toBe("FORBIDDEN");
    expect(
      await code(otto.mutation(api.orgs.members.update, { orgId: acme!.orgId, name: "Mine" })),
    ).toBe("FORBIDDEN");
    await ada.mutation(api.orgs.members.update, { orgId: acme!.orgId, name: "Acme Inc." });
    expect((await ada.query(api.orgs.members.mine, {}))[0]?.name).toBe("Acme Inc.");
    expect(other!.name).toBe("org_other");
  });
});

describe("org invitations", () => {
  test("only the invited, verified email accepts; acceptance makes a member; revoke and reuse refused", async () => {
    const t = makeConvex();
    const ada = as(t, { ...person("Ada"), role: "admin" });
    await ada.mutation(api.users.ensure, {});
    const [org] = await ada.query(api.orgs.members.mine, {});
    const orgId = org!.orgId;
    const invitationId = await ada.mutation(api.orgs.invitations.invite, {
      orgId,
      email: " Carol@Example.com ",
      role: "member",
    });
    // Same address, unverified by the token: sees nothing, cannot accept.
    const carolUnverified = verified(t, "Carol", "carol@example.com", false);
    await carolUnverified.mutation(api.users.ensure, {});
    expect(await carolUnverified.query(api.orgs.invitations.mine, {})).toEqual([]);
    expect(
      await code(carolUnverified.mutation(api.orgs.invitations.accept, { invitationId })),
    ).toBe("FORBIDDEN");
    // Someone else, verified: refused with the same answer.
    const mallory = verified(t, "Mallory", "mallory@example.com", true);
    await mallory.mutation(api.users.ensure, {});
    expect(await code(mallory.mutation(api.orgs.invitations.accept, { invitationId }))).toBe(
      "FORBIDDEN",
    );
    const carol = verified(t, "Carol", "carol@example.com", true);
    expect((await carol.query(api.orgs.invitations.mine, {})).map((i) => i.orgId)).toEqual([orgId]);
    expect(await carol.mutation(api.orgs.invitations.accept, { invitationId })).toEqual({
      ok: true,
      orgId,
    });
    expect(await code(carol.query(api.orgs.members.list, { orgId }))).toBe("ok");
    expect(await code(carol.mutation(api.orgs.invitations.accept, { invitationId }))).toBe(
      "CONFLICT",
    );
    // A member cannot invite; a revoked invitation cannot be accepted.
    expect(
      await code(
        carol.mutation(api.orgs.invitations.invite, { orgId, email: "x@y.z", role: "admin" }),
      ),
    ).toBe("FORBIDDEN");
    const second = await ada.mutation(api.orgs.invitations.invite, {
      orgId,
      email: "mallory@example.com",
      role: "member",
    });
    await ada.mutation(api.orgs.invitations.revoke, { invitationId: second });
    expect(
      await code(mallory.mutation(api.orgs.invitations.accept, { invitationId: second })),
    ).toBe("CONFLICT");
    expect(await code(mallory.query(api.orgs.members.list, { orgId }))).toBe("FORBIDDEN");
  });

  test("an expired invitation is refused and marked expired", async () => {
    const t = makeConvex();
    const ada = as(t, { ...person("Ada"), role: "admin" });
    await ada.mutation(api.users.ensure, {});
    const [org] = await ada.query(api.orgs.members.mine, {});
    const invitationId = await ada.mutation(api.orgs.invitations.invite, {
      orgId: org!.orgId,
      email: "dan@example.com",
      role: "member",
    });
    await t.run(async (ctx) => {
      await ctx.db.patch("orgInvitations", invitationId, { expiresAt: Date.now() - 1 });
    });
    const dan = verified(t, "Dan", "dan@example.com", true);
    expect(await code(dan.mutation(api.orgs.invitations.accept, { invitationId }))).toBe(
      "CONFLICT",
    );
    const row = await t.run(async (ctx) => await ctx.db.get("orgInvitations", invitationId));
    expect(row?.status).toBe("expired");
  });
});
