/**
 * The access-control matrix of the call's public functions (issue 14), with
 * the same callers and cells as `accessMatrix.test.ts`: each cell is "ok" or
 * the refusal code, thrown (queries) or returned (commands). Session-scoped
 * functions are called on the caller's own session where they have one, and
 * on the host's session otherwise (someone else's session is never usable).
 */
import { ConvexError } from "convex/values";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { type Caller, meetingFixture } from "./fixtures";

type Who = Caller | "anonymous";
type Expect = "ok" | "FORBIDDEN" | "UNAUTHORIZED" | "NOT_FOUND";
type Fixture = Awaited<ReturnType<typeof meetingFixture>>;
type Client = Fixture["clients"]["host"];
type Ctx = Fixture & {
  session: Id<"rtcSessions">;
  hostSession: Id<"rtcSessions">;
  otherSession: Id<"rtcSessions">;
};

const AV = { audio: true, video: false };
const candidate = JSON.stringify({
  candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host",
  sdpMid: "0",
});

/** Callers who may be in the call (joined participants of the live meeting). */
const IN_CALL: Caller[] = ["host", "participant", "observer"];

const cells = (inCall: Expect, others: Expect, members: Expect = others): Record<Who, Expect> => ({
  host: inCall,
  participant: inCall,
  observer: inCall,
  invited: members,
  removed: others,
  nonParticipant: others,
  otherOrg: others,
  anonymous: "UNAUTHORIZED",
});

const ROWS: {
  name: string;
  call: (c: Client, f: Ctx) => Promise<unknown>;
  expect: Record<Who, Expect>;
}[] = [
  {
    name: "rtcSessions.join",
    call: (c, f) =>
      c.mutation(api.rtcSessions.join, { meetingId: f.meetingId, deviceId: "x", media: AV }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcSessions.callInfo",
    call: (c, f) => c.query(api.rtcSessions.callInfo, { meetingId: f.meetingId }),
    expect: cells("ok", "FORBIDDEN", "ok"),
  },
  {
    name: "rtcSessions.peers",
    call: (c, f) =>
      c.query(api.rtcSessions.peers, { meetingId: f.meetingId, sessionId: f.session }),
    // Members without a session of their own get {status: "ended"}, never the host's view.
    expect: cells("ok", "FORBIDDEN", "ok"),
  },
  {
    name: "rtcSessions.heartbeat",
    call: (c, f) => c.mutation(api.rtcSessions.heartbeat, { sessionId: f.session, media: AV }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcSessions.leave",
    call: (c, f) => c.mutation(api.rtcSessions.leave, { sessionId: f.session }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcSignals.send",
    call: (c, f) =>
      c.mutation(api.rtcSignals.send, {
        sessionId: f.session,
        to: f.session === f.hostSession ? f.otherSession : f.hostSession,
        signals: [{ kind: "candidate", payload: candidate }],
      }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcSignals.inbox",
    call: (c, f) => c.query(api.rtcSignals.inbox, { sessionId: f.session }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcSignals.ack",
    call: (c, f) => c.mutation(api.rtcSignals.ack, { sessionId: f.session, ids: [] }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcMetrics.report",
    call: (c, f) =>
      c.mutation(api.rtcMetrics.report, { sessionId: f.session, kind: "connected", ms: 5 }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcMetrics.forMeeting",
    call: (c, f) => c.query(api.rtcMetrics.forMeeting, { meetingId: f.meetingId }),
    expect: { ...cells("FORBIDDEN", "FORBIDDEN"), host: "ok" },
  },
  {
    name: "rtcTurn.iceServers",
    call: (c, f) => c.action(api.rtcTurn.iceServers, { meetingId: f.meetingId }),
    expect: cells("ok", "FORBIDDEN"),
  },
  {
    name: "rtcTranscription.status",
    call: (c, f) => c.query(api.rtcTranscription.status, { meetingId: f.meetingId }),
    expect: cells("ok", "FORBIDDEN", "ok"),
  },
  {
    name: "rtcTranscription.setEnabled",
    call: (c, f) =>
      c.mutation(api.rtcTranscription.setEnabled, { meetingId: f.meetingId, enabled: true }),
    expect: { ...cells("FORBIDDEN", "FORBIDDEN"), host: "ok" },
  },
  {
    name: "rtcTranscription.setOptOut",
    call: (c, f) =>
      c.mutation(api.rtcTranscription.setOptOut, { meetingId: f.meetingId, optOut: true }),
    expect: cells("ok", "FORBIDDEN", "ok"),
  },
  {
    name: "rtcTranscribe.transcribe",
    call: (c, f) =>
      c.action(api.rtcTranscribe.transcribe, {
        meetingId: f.meetingId,
        segmentId: "s1",
        startMs: 0,
        endMs: 10,
        mimeType: "audio/wav",
        audio: new ArrayBuffer(8),
      }),
    // Transcription is off in this fixture: even callers in the call are refused (consent first).
    expect: { ...cells("FORBIDDEN", "FORBIDDEN") },
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

const savedUrl = process.env.STT_URL;
beforeAll(() => {
  // A configured provider (never called here: no cell reaches it) so setEnabled can be allowed.
  process.env.STT_URL = "http://127.0.0.1:9/v1";
});
afterAll(() => {
  if (savedUrl === undefined) delete process.env.STT_URL;
  else process.env.STT_URL = savedUrl;
});

async function fixture(who: Who): Promise<Ctx> {
  const f = await meetingFixture({ live: true });
  const join = async (c: Client) => {
    const r = await c.mutation(api.rtcSessions.join, {
      meetingId: f.meetingId,
      deviceId: "tab",
      media: AV,
    });
    if (!r.ok) throw new Error(r.message);
    return r.sessionId;
  };
  const hostSession = await join(f.clients.host);
  const otherSession = await join(f.clients.participant);
  let session = hostSession;
  if (who !== "anonymous" && IN_CALL.includes(who))
    session =
      who === "host"
        ? hostSession
        : who === "participant"
          ? otherSession
          : await join(f.clients[who]);
  return { ...f, session, hostSession, otherSession };
}

async function cell(row: (typeof ROWS)[number], who: Who): Promise<string> {
  const f = await fixture(who);
  const client = who === "anonymous" ? f.anonymous : f.clients[who];
  try {
    const r = await row.call(client, f);
    if (r && typeof r === "object" && "ok" in r && r.ok === false && "code" in r)
      return String(r.code);
    return "ok";
  } catch (e) {
    if (e instanceof ConvexError) return String((e.data as { code: string }).code);
    throw e;
  }
}

describe("access-control matrix: the call", () => {
  const cases = ROWS.flatMap((row) => WHO.map((who) => [row.name, who, row] as const));
  test.each(cases)("%s as %s", async (_, who, row) => {
    expect(await cell(row, who)).toBe(row.expect[who]);
  });
});
