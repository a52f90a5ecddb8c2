/**
 * The access matrix grows the org roles (issue 15): every public org and
 * billing function × {anonymous, org admin, org member, removed member, other
 * org's admin}. Each cell is allowed ("ok") or refused with the given code,
 * and a refusal never carries the org's data (its name or members' emails).
 * The matrix itself is documented in convex/lib/orgAccess.ts.
 */
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { makeConvex } from "../harness/convex";
import { as, person } from "./identities";

type Who = "anonymous" | "orgAdmin" | "orgMember" | "removedMember" | "otherOrg";
type Expect = "ok" | "FORBIDDEN" | "UNAUTHORIZED";

async function fixture() {
  const t = makeConvex();
  const clients = {
    orgAdmin: as(t, { ...person("Ada"), role: "admin" }),
    orgMember: as(t, person("Bob")),
    removedMember: as(t, person("Rex")),
    otherOrg: as(t, { ...person("Otto", "org_other"), role: "admin" }),
  };
  const ids = {} as Record<Exclude<Who, "anonymous">, Id<"users">>;
  for (const [k, c] of Object.entries(clients))
    ids[k as keyof typeof ids] = (await c.mutation(api.users.ensure, {}))._id;
  const [org] = await clients.orgAdmin.query(api.orgs.members.mine, {});
  const orgId = org!.orgId;
  await clients.orgAdmin.mutation(api.orgs.members.update, { orgId, name: "Secret Org Name" });
  await clients.orgAdmin.mutation(api.orgs.members.remove, { orgId, userId: ids.removedMember });
  return { t, clients, ids, orgId };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;
type Client = Fixture["clients"]["orgAdmin"];

const admin = (x: Expect = "ok"): Record<Who, Expect> => ({
  anonymous: "UNAUTHORIZED",
  orgAdmin: x,
  orgMember: "FORBIDDEN",
  removedMember: "FORBIDDEN",
  otherOrg: "FORBIDDEN",
});
const member: Record<Who, Expect> = { ...admin(), orgMember: "ok" };

const ROWS: {
  name: string;
  call: (c: Client, f: Fixture) => Promise<unknown>;
  expect: Record<Who, Expect>;
}[] = [
  {
    name: "orgs.members.list",
    call: (c, f) => c.query(api.orgs.members.list, { orgId: f.orgId }),
    expect: member,
  },
  {
    name: "billing.entitlements.forOrg",
    call: (c, f) => c.query(api.billing.entitlements.forOrg, { orgId: f.orgId }),
    expect: member,
  },
  {
    name: "orgs.members.update",
    call: (c, f) => c.mutation(api.orgs.members.update, { orgId: f.orgId, name: "Renamed" }),
    expect: admin(),
  },
  {
    name: "orgs.members.setRole",
    call: (c, f) =>
      c.mutation(api.orgs.members.setRole, {
        orgId: f.orgId,
        userId: f.ids.orgMember,
        role: "admin",
      }),
    expect: admin(),
  },
  {
    name: "orgs.invitations.invite",
    call: (c, f) =>
      c.mutation(api.orgs.invitations.invite, {
        orgId: f.orgId,
        email: "new@example.com",
        role: "member",
      }),
    expect: admin(),
  },
  {
    name: "orgs.invitations.listForOrg",
    call: (c, f) => c.query(api.orgs.invitations.listForOrg, { orgId: f.orgId }),
    expect: admin(),
  },
  {
    name: "orgs.audit.list",
    call: (c, f) => c.query(api.orgs.audit.list, { orgId: f.orgId }),
    expect: admin(),
  },
  {
    name: "orgs.members.mine",
    call: (c) => c.query(api.orgs.members.mine, {}),
    expect: { ...member, removedMember: "ok", otherOrg: "ok" },
  },
  {
    name: "orgs.invitations.mine",
    call: (c) => c.query(api.orgs.invitations.mine, {}),
    expect: { ...member, removedMember: "ok", otherOrg: "ok" },
  },
];

const WHO: Who[] = ["anonymous", "orgAdmin", "orgMember", "removedMember", "otherOrg"];

describe("org access matrix", () => {
  const cases = ROWS.flatMap((row) => WHO.map((who) => [row.name, who, row] as const));
  test.each(cases)("%s as %s", async (_, who, row) => {
    const f = await fixture();
    const client = who === "anonymous" ? f.t : f.clients[who];
    let outcome = "ok";
    let seen = "";
    try {
      seen = JSON.stringify(await row.call(client, f)) ?? "";
    } catch (e) {
      if (!(e instanceof ConvexError)) throw e;
      outcome = String((e.data as { code: string }).code);
      seen = JSON.stringify(e.data);
    }
    expect(outcome).toBe(row.expect[who]);
    if (outcome !== "ok") {
      expect(seen).not.toContain("Secret Org Name");
      expect(seen).not.toContain("@example.com");
    }
    // A removed member or another org's admin never sees the org in their list.
    if (row.name === "orgs.members.mine" && (who === "removedMember" || who === "otherOrg"))
      expect(seen).not.toContain(f.orgId);
  });
});
