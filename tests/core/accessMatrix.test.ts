/**
 * The access-control matrix: every public function of the meeting core ×
 * {anonymous, non-participant, invited, participant, observer, host, removed,
 * other org}. Each cell is allowed ("ok") or refused with the specified code,
 * whether the refusal is thrown (queries) or returned (mutations), and a
 * refusal never carries the meeting's data (title, transcript or chat text).
 * The matrix itself is documented in convex/lib/access.ts.
 */
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { roomArgs, viaRoom } from "../harness/roomKey";
import { type Caller, meetingFixture } from "./fixtures";

type Who = Caller | "anonymous";
type Expect = "ok" | "FORBIDDEN" | "UNAUTHORIZED" | "MEETING_NOT_ACTIVE" | "NOT_FOUND";
type Fixture = Awaited<ReturnType<typeof meetingFixture>>;
type Client = Fixture["clients"]["host"];

const SECRET_TEXTS = ["Fixture", "secret transcript words", "secret chat words"];

/** A row: how to call it, on which fixture, and the expected cell per caller. */
type Row = {
  name: string;
  live: boolean;
  call: (c: Client, f: Fixture & { messageId: string }) => Promise<unknown>;
  expect: Record<Who, Expect>;
};

const member = (
  host: Expect,
  participant: Expect,
  invited: Expect,
  observer: Expect,
): Record<Who, Expect> => ({
  host,
  participant,
  invited,
  observer,
  removed: "FORBIDDEN",
  nonParticipant: "FORBIDDEN",
  otherOrg: "FORBIDDEN",
  anonymous: "UNAUTHORIZED",
});
const anyUser: Record<Who, Expect> = {
  ...member("ok", "ok", "ok", "ok"),
  removed: "ok",
  nonParticipant: "ok",
  otherOrg: "ok",
};

const chunk = {
  text: "more words",
  confidence: 0.9,
  startMs: 5000,
  endMs: 5600,
  idempotencyKey: "m1",
};

const ROWS: Row[] = [
  {
    name: "meetings.get",
    live: true,
    call: (c, f) => c.query(api.meetings.get, { meetingId: f.meetingId }),
    expect: member("ok", "ok", "ok", "ok"),
  },
  {
    name: "participants.list",
    live: true,
    call: (c, f) => c.query(api.participants.list, { meetingId: f.meetingId }),
    expect: member("ok", "ok", "ok", "ok"),
  },
  {
    name: "transcripts.stream",
    live: true,
    call: (c, f) => viaRoom(c, f.meetingId, (room) => c.query(api.transcripts.stream, room)),
    expect: member("ok", "ok", "ok", "ok"),
  },
  {
    name: "chat.list",
    live: true,
    call: (c, f) => c.query(api.chat.list, { meetingId: f.meetingId }),
    expect: member("ok", "ok", "ok", "ok"),
  },
  {
    name: "audit.listForMeeting",
    live: true,
    call: (c, f) => c.query(api.audit.listForMeeting, { meetingId: f.meetingId }),
    expect: member("ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "meetings.start",
    live: false,
    call: (c, f) => c.mutation(api.meetings.start, { meetingId: f.meetingId }),
    expect: member("ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "meetings.cancel",
    live: false,
    call: (c, f) => c.mutation(api.meetings.cancel, { meetingId: f.meetingId }),
    expect: member("ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "meetings.end",
    live: true,
    call: (c, f) => c.mutation(api.meetings.end, { meetingId: f.meetingId }),
    expect: member("ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "participants.invite",
    live: true,
    call: (c, f) =>
      c.mutation(api.participants.invite, {
        meetingId: f.meetingId,
        userId: f.ids.nonParticipant,
        role: "participant",
      }),
    expect: member("ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "participants.join",
    live: true,
    call: (c, f) => c.mutation(api.participants.join, { meetingId: f.meetingId }),
    expect: member("ok", "ok", "ok", "ok"),
  },
  {
    name: "participants.leave",
    live: true,
    call: (c, f) => c.mutation(api.participants.leave, { meetingId: f.meetingId }),
    expect: member("ok", "ok", "ok", "ok"),
  },
  {
    name: "participants.changeRole",
    live: true,
    call: (c, f) =>
      c.mutation(api.participants.changeRole, {
        meetingId: f.meetingId,
        userId: f.ids.participant,
        role: "observer",
      }),
    expect: member("ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "participants.remove",
    live: true,
    call: (c, f) =>
      c.mutation(api.participants.remove, { meetingId: f.meetingId, userId: f.ids.invited }),
    expect: member("ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "transcripts.append",
    live: true,
    call: (c, f) =>
      c.mutation(api.transcripts.append, { meetingId: f.meetingId, interim: false, ...chunk }),
    expect: member("ok", "ok", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "transcripts.ingest",
    live: true,
    call: (c, f) =>
      c.mutation(api.transcripts.ingest, {
        meetingId: f.meetingId,
        chunks: [{ ...chunk, isFinal: true }],
      }),
    expect: member("ok", "ok", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "chat.send",
    live: true,
    call: (c, f) =>
      c.mutation(api.chat.send, { meetingId: f.meetingId, text: "hi", idempotencyKey: "s" }),
    expect: member("ok", "ok", "ok", "FORBIDDEN"),
  },
  {
    name: "chat.edit (participant's message)",
    live: true,
    call: (c, f) =>
      c.mutation(api.chat.edit, { meetingId: f.meetingId, messageId: f.messageId, text: "edited" }),
    expect: member("FORBIDDEN", "ok", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "chat.remove (participant's message)",
    live: true,
    call: (c, f) => c.mutation(api.chat.remove, { meetingId: f.meetingId, messageId: f.messageId }),
    expect: member("ok", "ok", "FORBIDDEN", "FORBIDDEN"),
  },
  {
    name: "meetings.listMine",
    live: true,
    call: (c) => c.query(api.meetings.listMine, {}),
    expect: anyUser,
  },
  {
    name: "meetings.schedule",
    live: true,
    call: (c) =>
      c.mutation(api.meetings.schedule, {
        title: "Mine",
        scheduledAt: Date.now(),
        durationMinutes: 5,
      }),
    expect: anyUser,
  },
  {
    name: "users.ensure",
    live: true,
    call: (c) => c.mutation(api.users.ensure, {}),
    expect: anyUser,
  },
  { name: "users.me", live: true, call: (c) => c.query(api.users.me, {}), expect: anyUser },
  {
    name: "profiles.get",
    live: true,
    call: (c, f) => c.query(api.profiles.get, { userId: f.ids.host }),
    expect: anyUser,
  },
  {
    name: "profiles.update",
    live: true,
    call: (c) => c.mutation(api.profiles.update, { headline: "Hi", interests: ["AI"] }),
    expect: anyUser,
  },
  {
    name: "featureFlags.isEnabled",
    live: true,
    call: (c) => c.query(api.featureFlags.isEnabled, { key: "x" }),
    expect: anyUser,
  },
  {
    name: "featureFlags.listMine",
    live: true,
    call: (c) => c.query(api.featureFlags.listMine, {}),
    expect: anyUser,
  },
];

const WHO: Who[] = [
  "anonymous",
  "nonParticipant",
  "otherOrg",
  "invited",
  "participant",
  "observer",
  "host",
  "removed",
];

async function fixtureFor(live: boolean) {
  const f = await meetingFixture({ live });
  let messageId = "none";
  if (live) {
    await f.clients.participant.mutation(api.transcripts.append, {
      meetingId: f.meetingId,
      interim: false,
      text: "secret transcript words",
      confidence: 1,
      startMs: 0,
      endMs: 100,
      idempotencyKey: "t0",
    });
    const sent = await f.clients.participant.mutation(api.chat.send, {
      meetingId: f.meetingId,
      text: "secret chat words",
      idempotencyKey: "c0",
    });
    if (!sent.ok) throw new Error(sent.message);
    messageId = sent.messageId;
  }
  return { ...f, messageId };
}

/** Run one cell: "ok" or the refusal code, plus everything the caller got back. */
async function cell(row: Row, who: Who): Promise<{ outcome: string; seen: string }> {
  const f = await fixtureFor(row.live);
  const client = who === "anonymous" ? f.anonymous : f.clients[who];
  try {
    const r = await row.call(client, f);
    const seen = JSON.stringify(r) ?? "";
    if (r && typeof r === "object" && "ok" in r && r.ok === false && "code" in r)
      return { outcome: String(r.code), seen };
    return { outcome: "ok", seen };
  } catch (e) {
    if (e instanceof ConvexError)
      return { outcome: String((e.data as { code: string }).code), seen: JSON.stringify(e.data) };
    throw e;
  }
}

describe("access-control matrix", () => {
  const cases = ROWS.flatMap((row) => WHO.map((who) => [row.name, who, row] as const));
  test.each(cases)("%s as %s", async (_, who, row) => {
    const { outcome, seen } = await cell(row, who);
    expect(outcome).toBe(row.expect[who]);
    if (outcome !== "ok") for (const secret of SECRET_TEXTS) expect(seen).not.toContain(secret);
  });

  test("listMine never shows a meeting to a removed participant, non-participant or other org", async () => {
    const f = await fixtureFor(true);
    for (const who of ["removed", "nonParticipant", "otherOrg"] as const) {
      const mine = await f.clients[who].query(api.meetings.listMine, {});
      expect(JSON.stringify(mine)).not.toContain(f.meetingId);
    }
  });

  test("a cancelled meeting serves metadata but no live data", async () => {
    const f = await fixtureFor(false);
    await f.clients.host.mutation(api.meetings.cancel, { meetingId: f.meetingId });
    const p = f.clients.participant;
    expect(await p.query(api.meetings.get, { meetingId: f.meetingId })).toMatchObject({
      status: "cancelled",
    });
    // No room key for a cancelled meeting, and the key held from before opens nothing.
    const before = await roomArgs(p, f.meetingId).catch((e: Error) => e);
    expect(before).toBeInstanceOf(Error);
    const key = await f.t.run(
      async (ctx) =>
        (await ctx.db
          .query("roomKeys")
          .withIndex("by_meeting", (q) => q.eq("meetingId", f.meetingId))
          .unique())!.key,
    );
    await expect(
      p.query(api.transcripts.stream, { meetingId: f.meetingId, roomKey: key }),
    ).rejects.toThrow(/cancelled/);
    await expect(p.query(api.chat.list, { meetingId: f.meetingId })).rejects.toThrow(/cancelled/);
  });

  test("removal cuts a participant off between two runs of the same query", async () => {
    const f = await fixtureFor(true);
    const room = await roomArgs(f.clients.participant, f.meetingId);
    const read = () => f.clients.participant.query(api.transcripts.stream, room);
    expect((await read()).chunks).toHaveLength(1);
    await f.clients.host.mutation(api.participants.remove, {
      meetingId: f.meetingId,
      userId: f.ids.participant,
    });
    // The room key rotated with the removal: the held key is refused, and no new one is given.
    await expect(read()).rejects.toThrow(/not a participant/);
    const again = await f.clients.participant.query(api.rooms.access, { meetingId: f.meetingId });
    expect(again.ok === false && again.code).toBe("FORBIDDEN");
  });
});
