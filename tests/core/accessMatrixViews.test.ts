/**
 * The access matrix over the meeting-scoped reads of the other modules (notes,
 * projections, presence, timeline): every one answers members (host,
 * participant, invited, observer) and refuses removed participants,
 * non-participants and other orgs with FORBIDDEN (thrown or returned), and
 * anonymous callers with UNAUTHORIZED, leaking nothing of the meeting in a
 * refusal. Runs on a live fixture meeting with transcript and chat. The
 * room's live views (room queries) are read as the app reads them: the key
 * from `rooms.access` first, whose refusal is then the answer.
 */
import { ConvexError } from "convex/values";
import { beforeAll, describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { viaRoom } from "../harness/roomKey";
import { type Caller, meetingFixture } from "./fixtures";

type Fixture = Awaited<ReturnType<typeof meetingFixture>>;
type Client = Fixture["clients"]["host"];
type Who = Caller | "anonymous";

const READS: Array<[string, (c: Client, f: Fixture) => Promise<unknown>]> = [
  ["meetingNotes.get", (c, f) => c.query(api.meetingNotes.get, { meetingId: f.meetingId })],
  [
    "meetingState.get",
    (c, f) => viaRoom(c, f.meetingId, (room) => c.query(api.meetingState.get, room)),
  ],
  [
    "transcriptSegments.list",
    (c, f) => viaRoom(c, f.meetingId, (room) => c.query(api.transcriptSegments.list, room)),
  ],
  [
    "timeline.stateAt",
    (c, f) => c.query(api.timeline.stateAt, { meetingId: f.meetingId, t: Date.now() }),
  ],
  ["presence.list", (c, f) => viaRoom(c, f.meetingId, (room) => c.query(api.presence.list, room))],
  [
    "notes.bootstrap",
    (c, f) => viaRoom(c, f.meetingId, (room) => c.query(api.notes.bootstrap, room)),
  ],
  ["rooms.access", (c, f) => c.query(api.rooms.access, { meetingId: f.meetingId })],
  // A mutation, but every caller uses a fresh client id, so the shared fixture stays valid.
  [
    "notes.registerClient",
    (c, f) =>
      c.mutation(api.notes.registerClient, { meetingId: f.meetingId, clientId: nextClientId++ }),
  ],
];
let nextClientId = 1000;

const EXPECTED: Record<Who, string> = {
  host: "ok",
  participant: "ok",
  invited: "ok",
  observer: "ok",
  removed: "FORBIDDEN",
  nonParticipant: "FORBIDDEN",
  otherOrg: "FORBIDDEN",
  anonymous: "UNAUTHORIZED",
};

let f: Fixture;
beforeAll(async () => {
  f = await meetingFixture({ live: true });
  await f.clients.participant.mutation(api.chat.send, {
    meetingId: f.meetingId,
    text: "secret chat words",
    idempotencyKey: "c0",
  });
  await f.clients.participant.mutation(api.transcripts.append, {
    meetingId: f.meetingId,
    interim: false,
    text: "secret transcript words",
    confidence: 1,
    startMs: 0,
    endMs: 100,
    idempotencyKey: "t0",
  });
  await f.t.finishAllScheduledFunctions(() => {});
});

describe("access matrix of the other modules' meeting reads", () => {
  const cases = READS.flatMap(([name, call]) =>
    (Object.keys(EXPECTED) as Who[]).map((who) => [name, who, call] as const),
  );
  test.each(cases)("%s as %s", async (_, who, call) => {
    const client = who === "anonymous" ? f.anonymous : f.clients[who];
    let outcome = "ok";
    let seen = "";
    try {
      const r = await call(client, f);
      seen = JSON.stringify(r) ?? "";
      if (r && typeof r === "object" && "ok" in r && r.ok === false && "code" in r)
        outcome = String(r.code);
    } catch (e) {
      if (!(e instanceof ConvexError)) throw e;
      outcome = String((e.data as { code: string }).code);
      seen = JSON.stringify(e.data);
    }
    expect(outcome).toBe(EXPECTED[who]);
    if (outcome !== "ok")
      for (const secret of ["Fixture", "secret"]) expect(seen).not.toContain(secret);
  });
});
