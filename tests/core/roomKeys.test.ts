/**
 * Room keys (issue 20 goal 2): the capability that lets the room's hot live
 * views run without reading auth.
 *
 * Invariants:
 * - R1 `rooms.access` gives the key to exactly the people the access matrix
 *   lets read; everyone else gets the matrix's refusal and no key (unknown
 *   meeting and stranger: the same NOT_YOURS answer).
 * - R2 every room query refuses a wrong key (FORBIDDEN NOT_YOURS) and
 *   answers a right one with no identity at all (it never reads auth).
 * - R3 whatever revokes read (removal, erasure) rotates the key in the same
 *   transaction: the old key is refused, the others get the new one and read on.
 * - R4 a meeting made before room keys gets one from `rooms.issue`, once.
 */
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { ERASE_CONFIRMATION } from "../../convex/erasure";
import { NOT_YOURS } from "../../convex/lib/access";
import { ROTATE_BATCH, rotatePersonsRoomKeys } from "../../convex/lib/roomKey";
import { roomArgs } from "../harness/roomKey";
import { meetingFixture } from "./fixtures";

type Fixture = Awaited<ReturnType<typeof meetingFixture>>;
type Room = { meetingId: Id<"meetings">; roomKey: string };
type Reader = Pick<Fixture["clients"]["host"], "query">;

/** Every room query, called through `as` with `room`; "ok" or the refusal code. */
const ROOM_QUERIES: Array<[string, (as: Reader, room: Room) => Promise<unknown>]> = [
  ["notes.pull", (as, room) => as.query(api.notes.pull, { ...room, after: null })],
  ["notes.bootstrap", (as, room) => as.query(api.notes.bootstrap, room)],
  [
    "notes.resync",
    (as, room) => as.query(api.notes.resync, { ...room, stateVector: new Uint8Array([0]).buffer }),
  ],
  ["presence.list", (as, room) => as.query(api.presence.list, room)],
  ["transcripts.stream", (as, room) => as.query(api.transcripts.stream, room)],
  ["transcriptSegments.list", (as, room) => as.query(api.transcriptSegments.list, room)],
  ["meetingState.get", (as, room) => as.query(api.meetingState.get, room)],
];

async function outcome(call: () => Promise<unknown>): Promise<{ code: string; message?: string }> {
  try {
    const r = await call();
    if (r && typeof r === "object" && "ok" in r && r.ok === false)
      return r as unknown as { code: string; message: string };
    return { code: "ok" };
  } catch (e) {
    if (e instanceof ConvexError) return e.data as { code: string; message: string };
    throw e;
  }
}

async function storedKey(f: Fixture): Promise<string> {
  const row = await f.t.run((ctx) =>
    ctx.db
      .query("roomKeys")
      .withIndex("by_meeting", (q) => q.eq("meetingId", f.meetingId))
      .unique(),
  );
  if (!row) throw new Error("no room key");
  return row.key;
}

describe("room keys", () => {
  test("R1 readers get the key; strangers, other orgs, removed people and unknown meetings get NOT_YOURS and no key", async () => {
    const f = await meetingFixture({ live: true });
    const key = await storedKey(f);
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const who of ["host", "participant", "invited", "observer"] as const) {
      expect(await f.clients[who].query(api.rooms.access, { meetingId: f.meetingId })).toEqual({
        ok: true,
        key,
      });
    }
    const gone = await f.t.run(async (ctx) => {
      const id = await ctx.db.insert("meetings", {
        title: "gone",
        scheduledAt: 0,
        durationMinutes: 30,
        hostId: f.ids.host,
        status: "scheduled",
        createdAt: 0,
      });
      await ctx.db.delete("meetings", id);
      return id;
    });
    for (const who of ["nonParticipant", "otherOrg", "removed"] as const) {
      const r = await f.clients[who].query(api.rooms.access, { meetingId: f.meetingId });
      expect(r).toEqual({ ok: false, code: "FORBIDDEN", message: NOT_YOURS });
    }
    const unknown = await f.clients.nonParticipant.query(api.rooms.access, { meetingId: gone });
    expect(unknown).toEqual({ ok: false, code: "FORBIDDEN", message: NOT_YOURS });
    await expect(f.anonymous.query(api.rooms.access, { meetingId: f.meetingId })).rejects.toThrow(
      /sign in/,
    );
    // Strangers cannot make one either.
    const issued = await f.clients.nonParticipant.mutation(api.rooms.issue, {
      meetingId: f.meetingId,
    });
    expect(issued.ok === false && issued.code).toBe("FORBIDDEN");
    // The key is in no audit row.
    const audit = await f.t.run((ctx) => ctx.db.query("auditLog").collect());
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  test.each(ROOM_QUERIES)(
    "R2 %s: a wrong key is NOT_YOURS; the right one answers with no identity",
    async (_, call) => {
      const f = await meetingFixture({ live: true });
      const key = await storedKey(f);
      const wrong = {
        meetingId: f.meetingId,
        roomKey: `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`,
      };
      expect(await outcome(() => call(f.t, wrong))).toMatchObject({
        code: "FORBIDDEN",
        message: NOT_YOURS,
      });
      for (const roomKey of ["", key.repeat(1000)]) {
        expect(await outcome(() => call(f.t, { meetingId: f.meetingId, roomKey }))).toMatchObject({
          code: "FORBIDDEN",
        });
      }
      // `f.t` has no identity: a room query that read auth would throw (roomQuery's ctx.auth
      // throws whatever the identity), so "ok" here means it never asks who calls.
      expect(await outcome(() => call(f.t, { meetingId: f.meetingId, roomKey: key }))).toEqual({
        code: "ok",
      });
      // And with an identity the answer is the same (nothing depends on who asks).
      const asHost = await call(f.clients.host, { meetingId: f.meetingId, roomKey: key });
      const asNobody = await call(f.t, { meetingId: f.meetingId, roomKey: key });
      expect(asHost).toEqual(asNobody);
    },
  );

  test("R2 a cancelled meeting's key answers MEETING_NOT_ACTIVE, and no key is handed out", async () => {
    const f = await meetingFixture();
    const key = await storedKey(f);
    await f.clients.host.mutation(api.meetings.cancel, { meetingId: f.meetingId });
    for (const [, call] of ROOM_QUERIES) {
      expect(
        await outcome(() => call(f.t, { meetingId: f.meetingId, roomKey: key })),
      ).toMatchObject({
        code: "MEETING_NOT_ACTIVE",
      });
    }
    const r = await f.clients.participant.query(api.rooms.access, { meetingId: f.meetingId });
    expect(r.ok === false && r.code).toBe("MEETING_NOT_ACTIVE");
  });

  test("R3 removal rotates the key: the removed person's key is refused, the others read on with the new one", async () => {
    const f = await meetingFixture({ live: true });
    const old = await roomArgs(f.clients.participant, f.meetingId);
    const hostBefore = await roomArgs(f.clients.host, f.meetingId);
    expect(hostBefore.roomKey).toBe(old.roomKey);
    await f.clients.host.mutation(api.participants.remove, {
      meetingId: f.meetingId,
      userId: f.ids.participant,
    });
    for (const [, call] of ROOM_QUERIES) {
      expect(await outcome(() => call(f.t, old))).toMatchObject({ code: "FORBIDDEN" });
    }
    const refused = await f.clients.participant.query(api.rooms.access, { meetingId: f.meetingId });
    expect(refused.ok).toBe(false);
    for (const who of ["host", "observer", "invited"] as const) {
      const now = await roomArgs(f.clients[who], f.meetingId);
      expect(now.roomKey).not.toBe(old.roomKey);
      const boot = await f.clients[who].query(api.notes.bootstrap, now);
      expect(boot.ok).toBe(true);
    }
  });

  test("R3 a host rotates the key: the old one is refused everywhere, readers read on with the new one; others cannot rotate", async () => {
    const f = await meetingFixture({ live: true });
    const old = await roomArgs(f.clients.participant, f.meetingId);
    for (const who of [
      "participant",
      "observer",
      "nonParticipant",
      "otherOrg",
      "removed",
    ] as const) {
      const r = await f.clients[who].mutation(api.rooms.rotate, { meetingId: f.meetingId });
      expect(r.ok).toBe(false);
    }
    expect(await storedKey(f)).toBe(old.roomKey);
    const denied = await f.t.run((ctx) =>
      ctx.db
        .query("auditLog")
        .filter((q) => q.eq(q.field("action"), "rooms.rotate"))
        .collect(),
    );
    expect(denied.map((a) => a.outcome)).toEqual(Array(5).fill("denied"));
    expect(await f.clients.host.mutation(api.rooms.rotate, { meetingId: f.meetingId })).toEqual({
      ok: true,
    });
    for (const [, call] of ROOM_QUERIES) {
      expect(await outcome(() => call(f.t, old))).toMatchObject({ code: "FORBIDDEN" });
    }
    for (const who of ["host", "participant", "observer"] as const) {
      const now = await roomArgs(f.clients[who], f.meetingId);
      expect(now.roomKey).not.toBe(old.roomKey);
      expect((await f.clients[who].query(api.notes.bootstrap, now)).ok).toBe(true);
    }
    const audit = await f.t.run((ctx) =>
      ctx.db
        .query("auditLog")
        .filter((q) => q.eq(q.field("action"), "rooms.rotate"))
        .collect(),
    );
    expect(audit.at(-1)).toMatchObject({ outcome: "transition", actorId: f.ids.host });
    expect(JSON.stringify(audit)).not.toContain(old.roomKey);
    expect(JSON.stringify(audit)).not.toContain(await storedKey(f));
  });

  test("R3 a change that keeps read access (leaving, a role change) keeps the key", async () => {
    const f = await meetingFixture({ live: true });
    const key = await storedKey(f);
    await f.clients.participant.mutation(api.participants.leave, { meetingId: f.meetingId });
    await f.clients.host.mutation(api.participants.changeRole, {
      meetingId: f.meetingId,
      userId: f.ids.observer,
      role: "participant",
    });
    expect(await storedKey(f)).toBe(key);
  });

  test("R3 erasure rotates the person's meetings' keys at once and refuses them the new one", async () => {
    const f = await meetingFixture({ live: true });
    const old = await roomArgs(f.clients.participant, f.meetingId);
    await f.clients.participant.mutation(api.erasure.eraseMe, { confirm: ERASE_CONFIRMATION });
    // Same transaction as the request: before any erasure step ran.
    expect(await storedKey(f)).not.toBe(old.roomKey);
    expect(await outcome(() => f.t.query(api.notes.pull, { ...old, after: null }))).toMatchObject({
      code: "FORBIDDEN",
    });
    const r = await f.clients.participant.query(api.rooms.access, { meetingId: f.meetingId });
    expect(r).toEqual({ ok: false, code: "FORBIDDEN", message: NOT_YOURS });
    const host = await roomArgs(f.clients.host, f.meetingId);
    expect(await outcome(() => f.clients.host.query(api.notes.bootstrap, host))).toEqual({
      code: "ok",
    });
  });

  test(`R3 an erased person's keys rotate in batches of ${ROTATE_BATCH} that reschedule themselves`, async () => {
    const f = await meetingFixture();
    const many = ROTATE_BATCH + 3;
    const userId = f.ids.participant;
    const before = await f.t.run(async (ctx) => {
      const keys: Record<string, string> = {};
      for (let i = 0; i < many - 1; i++) {
        const meetingId = await ctx.db.insert("meetings", {
          title: `m${i}`,
          scheduledAt: 0,
          durationMinutes: 30,
          hostId: f.ids.host,
          status: "scheduled",
          createdAt: 0,
        });
        await ctx.db.insert("participants", {
          meetingId,
          userId,
          role: "participant",
          status: "invited",
          invitedAt: 0,
        });
        await ctx.db.insert("roomKeys", { meetingId, key: `k${i}`, createdAt: 0 });
      }
      for (const k of await ctx.db.query("roomKeys").collect()) keys[k.meetingId] = k.key;
      return keys;
    });
    const first = await f.t.run((ctx) => rotatePersonsRoomKeys(ctx, userId, null, 1));
    expect(first).toMatchObject({ done: false, rotated: ROTATE_BATCH });
    const changed = async () =>
      (await f.t.run((ctx) => ctx.db.query("roomKeys").collect())).filter(
        (k) => before[k.meetingId] !== k.key,
      ).length;
    expect(await changed()).toBe(ROTATE_BATCH);
    await f.t.mutation(internal.rooms.rotateForPerson, { userId, cursor: first.cursor });
    await f.t.finishAllScheduledFunctions(() => {});
    expect(await changed()).toBe(many);
  });

  test("R4 a meeting without a key gets one from rooms.issue, once; access answers it from then on", async () => {
    const f = await meetingFixture();
    await f.t.run(async (ctx) => {
      for (const k of await ctx.db.query("roomKeys").collect())
        await ctx.db.delete("roomKeys", k._id);
    });
    const args = { meetingId: f.meetingId };
    expect(await f.clients.participant.query(api.rooms.access, args)).toEqual({
      ok: true,
      key: null,
    });
    const a = await f.clients.participant.mutation(api.rooms.issue, args);
    const b = await f.clients.host.mutation(api.rooms.issue, args);
    if (!a.ok || !b.ok) throw new Error("issue refused");
    expect(b.key).toBe(a.key);
    expect(await f.clients.observer.query(api.rooms.access, args)).toEqual({
      ok: true,
      key: a.key,
    });
  });
});
