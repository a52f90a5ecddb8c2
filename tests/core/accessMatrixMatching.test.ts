/**
 * The access matrix over issue 17's functions (profiles, matching,
 * connections, direct messages, the embeddings operator tools): every
 * function × {anonymous, the two people of a proposal/thread ("ann",
 * "ben"), a signed-in outsider of the same org, a person of another org}.
 * Own-data functions answer every signed-in caller; proposals, connection
 * requests and threads answer their parties only (FORBIDDEN otherwise);
 * operator tools refuse users. A refusal never carries private data
 * (goals, message text, the proposal's reasons).
 */
import { ConvexError } from "convex/values";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { makeConvex } from "../harness/convex";
import { onboard, settle, windowFrom } from "../matching/people";
import { as, person } from "./identities";

type Who = "anonymous" | "ann" | "ben" | "outsider" | "otherOrg";
type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN";
const SECRETS = ["secret goal", "secret message", "Climate"];

type Fixture = Awaited<ReturnType<typeof build>>;
type Client = Fixture["clients"]["ann"];

async function build() {
  vi.useFakeTimers();
  const t = makeConvex();
  const ann = await onboard(t, "Ann", { goals: ["secret goal"] });
  const ben = await onboard(t, "Ben");
  const outsider = await onboard(t, "Olly", { interests: ["Gardening"], role: "sales" });
  const otherOrg = await onboard(
    t,
    "Otto",
    { interests: ["Gardening"] },
    person("Otto", "org_other"),
  );
  for (const p of [ann, ben])
    await p.client.mutation(api.matching.enter, {
      window: windowFrom(Date.now()),
      durationMinutes: 30,
    });
  await settle(t);
  vi.useRealTimers();
  const status = await ann.client.query(api.matching.status, {});
  if (!status.proposal) throw new Error("fixture: no proposal");
  await ann.client.mutation(api.connections.request, { userId: ben.userId });
  await ben.client.mutation(api.connections.request, { userId: ann.userId });
  const sent = await ann.client.mutation(api.directMessages.send, {
    to: ben.userId,
    text: "secret message",
  });
  if (!sent.ok) throw new Error(sent.message);
  const toOtto = await ann.client.mutation(api.connections.request, { userId: otherOrg.userId });
  if (!toOtto.ok) throw new Error(toOtto.message);
  return {
    t,
    ids: { ann: ann.userId, ben: ben.userId, outsider: outsider.userId, otherOrg: otherOrg.userId },
    clients: {
      ann: ann.client,
      ben: ben.client,
      outsider: outsider.client,
      otherOrg: otherOrg.client,
      anonymous: t,
    },
    proposalId: status.proposal._id,
    threadId: sent.threadId,
    requestToOtto: toOtto.connectionId as Id<"connections">,
  };
}

const anyUser: Record<Who, Outcome> = {
  anonymous: "UNAUTHORIZED",
  ann: "ok",
  ben: "ok",
  outsider: "ok",
  otherOrg: "ok",
};
const parties: Record<Who, Outcome> = { ...anyUser, outsider: "FORBIDDEN", otherOrg: "FORBIDDEN" };
const nobody: Record<Who, Outcome> = {
  anonymous: "FORBIDDEN",
  ann: "FORBIDDEN",
  ben: "FORBIDDEN",
  outsider: "FORBIDDEN",
  otherOrg: "FORBIDDEN",
};

/** A row; `read` rows (queries) share one fixture, others get a fresh one per cell. */
type Row = {
  name: string;
  read?: true;
  call: (c: Client, f: Fixture) => Promise<unknown>;
  expect: Record<Who, Outcome>;
};

const ROWS: Row[] = [
  {
    name: "profiles.mine",
    read: true,
    call: (c) => c.query(api.profiles.mine, {}),
    expect: anyUser,
  },
  {
    name: "profiles.get",
    read: true,
    call: (c, f) => c.query(api.profiles.get, { userId: f.ids.ann }),
    expect: anyUser,
  },
  {
    name: "profiles.interestCatalogue",
    read: true,
    call: (c) => c.query(api.profiles.interestCatalogue, {}),
    expect: anyUser,
  },
  {
    name: "profiles.update",
    call: (c) => c.mutation(api.profiles.update, { bio: "hi" }),
    expect: anyUser,
  },
  {
    name: "profiles.generateAvatarUploadUrl",
    call: (c) => c.mutation(api.profiles.generateAvatarUploadUrl, {}),
    expect: anyUser,
  },
  {
    name: "profiles.removeAvatar",
    call: (c) => c.mutation(api.profiles.removeAvatar, {}),
    expect: anyUser,
  },
  {
    name: "matching.status",
    read: true,
    call: (c) => c.query(api.matching.status, {}),
    expect: anyUser,
  },
  {
    name: "matching.blocks",
    read: true,
    call: (c) => c.query(api.matching.blocks, {}),
    expect: anyUser,
  },
  { name: "matching.leave", call: (c) => c.mutation(api.matching.leave, {}), expect: anyUser },
  {
    name: "matching.enter",
    call: (c) =>
      c.mutation(api.matching.enter, { window: windowFrom(Date.now()), durationMinutes: 30 }),
    expect: { ...anyUser, ann: "ok", ben: "ok" },
  },
  {
    name: "matching.block (someone else)",
    call: (c, f) => c.mutation(api.matching.block, { userId: f.ids.otherOrg, kind: "doNotMatch" }),
    expect: { ...anyUser, otherOrg: "ok" },
  },
  {
    name: "matching.unblock",
    call: (c, f) => c.mutation(api.matching.unblock, { userId: f.ids.ann, kind: "block" }),
    expect: anyUser,
  },
  {
    name: "matching.respond (ann and ben's proposal)",
    call: (c, f) => c.mutation(api.matching.respond, { proposalId: f.proposalId, accept: false }),
    expect: parties,
  },
  {
    name: "matching.rate (ann and ben's proposal)",
    call: (c, f) => c.mutation(api.matching.rate, { proposalId: f.proposalId, rating: 4 }),
    // Parties get CONFLICT (not accepted yet): the cell is about who may ask.
    expect: { ...parties, ann: "ok", ben: "ok" },
  },
  {
    name: "connections.list",
    read: true,
    call: (c) => c.query(api.connections.list, {}),
    expect: anyUser,
  },
  {
    name: "connections.pending",
    read: true,
    call: (c) => c.query(api.connections.pending, {}),
    expect: anyUser,
  },
  {
    name: "connections.suggestions",
    read: true,
    call: (c) => c.query(api.connections.suggestions, {}),
    expect: anyUser,
  },
  {
    name: "connections.respond (ann's request to Otto)",
    call: (c, f) =>
      c.mutation(api.connections.respond, { connectionId: f.requestToOtto, accept: true }),
    expect: { ...nobody, anonymous: "UNAUTHORIZED", otherOrg: "ok" },
  },
  {
    name: "connections.request (to ben)",
    call: (c, f) => c.mutation(api.connections.request, { userId: f.ids.ben }),
    expect: { ...anyUser, ann: "ok", ben: "ok" },
  },
  {
    name: "connections.remove (ben)",
    call: (c, f) => c.mutation(api.connections.remove, { userId: f.ids.ben }),
    expect: anyUser,
  },
  {
    name: "directMessages.list (ann and ben's thread)",
    read: true,
    call: (c, f) =>
      c.query(api.directMessages.list, {
        threadId: f.threadId,
        paginationOpts: { numItems: 10, cursor: null },
      }),
    expect: parties,
  },
  {
    name: "directMessages.markRead (ann and ben's thread)",
    call: (c, f) => c.mutation(api.directMessages.markRead, { threadId: f.threadId }),
    expect: parties,
  },
  {
    name: "directMessages.send (to ben)",
    call: (c, f) => c.mutation(api.directMessages.send, { to: f.ids.ben, text: "hello" }),
    // Only ann is ben's connection; ben cannot message himself.
    expect: { ...nobody, anonymous: "UNAUTHORIZED", ann: "ok" },
  },
  {
    name: "directMessages.threads",
    read: true,
    call: (c) => c.query(api.directMessages.threads, {}),
    expect: anyUser,
  },
  {
    name: "directMessages.withPerson",
    read: true,
    call: (c, f) => c.query(api.directMessages.withPerson, { userId: f.ids.ben }),
    expect: anyUser,
  },
  {
    name: "embeddings.status (operator)",
    read: true,
    call: (c) => c.query(api.embeddings.status, { adminToken: "guess" }),
    expect: nobody,
  },
  {
    name: "embeddings.startBackfill (operator)",
    call: (c) => c.mutation(api.embeddings.startBackfill, { adminToken: "guess" }),
    expect: nobody,
  },
];

const WHO: Who[] = ["anonymous", "ann", "ben", "outsider", "otherOrg"];

let shared: Fixture;
async function fixtureFor(row: Row): Promise<Fixture> {
  return row.read ? shared : await build();
}

beforeAll(async () => {
  shared = await build();
}, 120_000);

describe("access matrix of profiles, matching, connections and messages", () => {
  const cases = ROWS.flatMap((row) => WHO.map((who) => [row.name, who, row] as const));
  test.each(cases)("%s as %s", async (_, who, row) => {
    const f = await fixtureFor(row);
    let outcome = "ok";
    let seen = "";
    try {
      const r = await row.call(f.clients[who] as Client, f);
      seen = JSON.stringify(r) ?? "";
      if (r && typeof r === "object" && "ok" in r && r.ok === false && "code" in r) {
        const code = String(r.code);
        // Parties may be refused for the state of things (CONFLICT, VALIDATION_ERROR), not access.
        outcome = code === "FORBIDDEN" || code === "UNAUTHORIZED" ? code : "ok";
      }
    } catch (e) {
      if (!(e instanceof ConvexError)) throw e;
      outcome = String((e.data as { code: string }).code);
      seen = JSON.stringify(e.data);
    }
    expect(outcome).toBe(row.expect[who]);
    if (outcome !== "ok") for (const s of SECRETS) expect(seen).not.toContain(s);
  });

  test("another person's profile never shows their private part", async () => {
    const f = shared;
    for (const who of ["ben", "outsider", "otherOrg"] as const) {
      const seen = JSON.stringify(
        await f.clients[who].query(api.profiles.get, { userId: f.ids.ann }),
      );
      expect(seen).not.toContain("secret goal");
      expect(seen).not.toContain("@example.com");
    }
  });

  test("status shows only the caller's own proposal", async () => {
    const f = shared;
    for (const who of ["outsider", "otherOrg"] as const)
      expect(JSON.stringify(await f.clients[who].query(api.matching.status, {}))).not.toContain(
        f.proposalId,
      );
    const s = await as(f.t, person("Ann")).query(api.matching.status, {});
    expect(s.proposal?._id).toBe(f.proposalId);
  });
});
