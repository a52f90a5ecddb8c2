/**
 * Test fixtures for notes: a meeting with users in given roles, created
 * directly with `t.run` (shapes of `convex/tables/meetings.ts` / `identity.ts`).
 */
import * as Y from "yjs";
import type { Id } from "../../convex/_generated/dataModel";
import type { TestBackend } from "../harness/convex";

/** Issuer of test identities. */
export const TEST_ISSUER = "https://test.connvo.local";

/** Role of a fixture person in the meeting. */
export type FixtureRole = "host" | "participant" | "observer" | "outsider";

/** A person in a fixture meeting. */
export type FixturePerson = {
  userId: Id<"users">;
  subject: string;
  /** A backend acting as this person. */
  as: ReturnType<TestBackend["withIdentity"]>;
};

/** Create a meeting whose people have the given roles (outsiders have no participant row). */
export async function makeMeeting(
  t: TestBackend,
  roles: Record<string, FixtureRole>,
  status: "scheduled" | "active" = "active",
): Promise<{ meetingId: Id<"meetings">; people: Record<string, FixturePerson> }> {
  const now = Date.now();
  const ids: Record<string, Id<"users">> = {};
  for (const name of Object.keys(roles)) {
    ids[name] = await t.run((ctx) =>
      ctx.db.insert("users", {
        tokenIdentifier: `${TEST_ISSUER}|${name}`,
        subject: name,
        issuer: TEST_ISSUER,
        email: `${name}@example.com`,
        name,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }
  const hostName = Object.keys(roles).find((n) => roles[n] === "host");
  if (!hostName) throw new Error("a fixture meeting needs a host");
  const meetingId = await t.run((ctx) =>
    ctx.db.insert("meetings", {
      title: "Notes test",
      scheduledAt: now,
      durationMinutes: 30,
      hostId: ids[hostName]!,
      status,
      createdAt: now,
    }),
  );
  const people: Record<string, FixturePerson> = {};
  for (const [name, role] of Object.entries(roles)) {
    if (role !== "outsider") {
      await t.run((ctx) =>
        ctx.db.insert("participants", {
          meetingId,
          userId: ids[name]!,
          role,
          status: "joined",
          invitedAt: now,
          joinedAt: now,
        }),
      );
    }
    people[name] = {
      userId: ids[name]!,
      subject: name,
      as: t.withIdentity({
        subject: name,
        issuer: TEST_ISSUER,
        tokenIdentifier: `${TEST_ISSUER}|${name}`,
        name,
        email: `${name}@example.com`,
      }),
    };
  }
  return { meetingId, people };
}

/** A Y.Doc holding a bootstrap/resync answer's state (V1 or the server's V2 snapshot). */
export function docFromState(answer: { update: ArrayBuffer; encoding: "v1" | "v2" }): Y.Doc {
  const doc = new Y.Doc();
  const bytes = new Uint8Array(answer.update);
  if (answer.encoding === "v2") Y.applyUpdateV2(doc, bytes);
  else Y.applyUpdate(doc, bytes);
  return doc;
}
