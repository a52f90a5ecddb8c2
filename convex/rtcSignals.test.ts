/**
 * Given-When-Then specs of the call's signaling (issue 14): sessions, signals,
 * inbox and acknowledgement, and every refusal of the bad-input list: signals
 * for another meeting, to a session that is not a live participant's,
 * oversize SDP, floods, after leaving and after removal. Each refusal is a
 * coded value and leaves nothing in the addressee's inbox.
 */
import { describe, expect, test } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { as, person } from "../tests/core/identities";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { MAX_CALL_PARTICIPANTS, MAX_SDP_CHARS, SESSION_TTL_MS } from "./lib/rtcRules";

const AV = { audio: true, video: true };
/** A minimal but well-formed SDP with one audio and one video section in `dir`. */
const sdp = (dir: string) =>
  `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=${dir}\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=${dir}\r\n`;
const candidate = JSON.stringify({
  candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
  sdpMid: "0",
  sdpMLineIndex: 0,
});

type Fixture = Awaited<ReturnType<typeof meetingFixture>>;
type Client = Fixture["clients"]["host"];

async function joinCall(c: Client, meetingId: Id<"meetings">, deviceId = "tab-1") {
  const r = await c.mutation(api.rtcSessions.join, { meetingId, deviceId, media: AV });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.sessionId;
}

async function inboxOf(c: Client, sessionId: Id<"rtcSessions">) {
  const r = await c.query(api.rtcSignals.inbox, { sessionId });
  return r.status === "live" ? r.signals : [];
}

/** A live meeting with the host and the participant in its call. */
async function callFixture() {
  const f = await meetingFixture({ live: true });
  const hostSession = await joinCall(f.clients.host, f.meetingId);
  const pSession = await joinCall(f.clients.participant, f.meetingId);
  return { ...f, hostSession, pSession };
}

describe("rtcSessions", () => {
  test("joined participants of a live meeting join its call and see each other as peers", async () => {
    const f = await callFixture();
    const view = await f.clients.host.query(api.rtcSessions.peers, {
      meetingId: f.meetingId,
      sessionId: f.hostSession,
    });
    expect(view).toMatchObject({
      status: "live",
      self: { name: "Hana" },
      peers: [{ sessionId: f.pSession, name: "Pia", media: AV, receiveOnly: false }],
    });
    expect(
      await f.clients.participant.query(api.rtcSessions.callInfo, { meetingId: f.meetingId }),
    ).toEqual({
      provider: "mesh",
      maxParticipants: MAX_CALL_PARTICIPANTS,
      limitedBy: "provider",
      plan: "free",
      inCall: 2,
      live: true,
      paidCall: "none",
      recording: false,
    });
  });

  test("only a joined participant of a live meeting may join; observers join receive-only", async () => {
    const f = await meetingFixture({ live: true });
    const j = (c: Client) =>
      c.mutation(api.rtcSessions.join, { meetingId: f.meetingId, deviceId: "d", media: AV });
    expect(await j(f.clients.invited)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await j(f.clients.nonParticipant)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await j(f.clients.removed)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const obs = await j(f.clients.observer);
    expect(obs).toMatchObject({ ok: true, receiveOnly: true });
    const scheduled = await meetingFixture();
    expect(
      await scheduled.clients.host.mutation(api.rtcSessions.join, {
        meetingId: scheduled.meetingId,
        deviceId: "d",
        media: AV,
      }),
    ).toMatchObject({ ok: false, code: "MEETING_NOT_ACTIVE" });
    expect(
      await f.clients.host.mutation(api.rtcSessions.join, {
        meetingId: f.meetingId,
        deviceId: "x".repeat(65),
        media: AV,
      }),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
  });

  test("joining again replaces the person's older session", async () => {
    const f = await callFixture();
    const again = await f.clients.participant.mutation(api.rtcSessions.join, {
      meetingId: f.meetingId,
      deviceId: "tab-2",
      media: { audio: true, video: false },
    });
    expect(again).toMatchObject({ ok: true, replaced: true });
    expect(
      await f.clients.participant.query(api.rtcSessions.peers, {
        meetingId: f.meetingId,
        sessionId: f.pSession,
      }),
    ).toMatchObject({ status: "ended" });
    const hostView = await f.clients.host.query(api.rtcSessions.peers, {
      meetingId: f.meetingId,
      sessionId: f.hostSession,
    });
    expect(hostView.status === "live" && hostView.peers.map((p) => p.media)).toEqual([
      { audio: true, video: false },
    ]);
  });

  test(`past ${MAX_CALL_PARTICIPANTS} people the call refuses with CONFLICT and stores nothing`, async () => {
    const f = await meetingFixture({ live: true });
    const extra = ["Ada", "Bo", "Cy", "Di", "Ed"].map((n) => as(f.t, person(n)));
    for (const c of extra) {
      const { _id } = await c.mutation(api.users.ensure, {});
      await f.clients.host.mutation(api.participants.invite, {
        meetingId: f.meetingId,
        userId: _id,
        role: "participant",
      });
      await c.mutation(api.participants.join, { meetingId: f.meetingId });
    }
    const everyone = [f.clients.host, f.clients.participant, f.clients.observer, ...extra];
    for (const c of everyone.slice(0, MAX_CALL_PARTICIPANTS)) await joinCall(c, f.meetingId);
    const seventh = await everyone[MAX_CALL_PARTICIPANTS]!.mutation(api.rtcSessions.join, {
      meetingId: f.meetingId,
      deviceId: "d",
      media: AV,
    });
    expect(seventh).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(seventh.ok === false && seventh.message).toMatch(/call is full/);
    const info = await f.clients.host.query(api.rtcSessions.callInfo, { meetingId: f.meetingId });
    expect(info.inCall).toBe(MAX_CALL_PARTICIPANTS);
    // When someone leaves, the seventh gets in.
    await f.clients.observer.mutation(api.participants.leave, { meetingId: f.meetingId });
    expect(
      await everyone[MAX_CALL_PARTICIPANTS]!.mutation(api.rtcSessions.join, {
        meetingId: f.meetingId,
        deviceId: "d",
        media: AV,
      }),
    ).toMatchObject({ ok: true });
  });

  test("leaving the meeting, removal and the meeting's end end sessions and drop them from peers at once", async () => {
    const f = await callFixture();
    const obsSession = await joinCall(f.clients.observer, f.meetingId);
    const peersOfHost = async () => {
      const r = await f.clients.host.query(api.rtcSessions.peers, {
        meetingId: f.meetingId,
        sessionId: f.hostSession,
      });
      return r.status === "live" ? r.peers.map((p) => p.name).sort() : r.status;
    };
    expect(await peersOfHost()).toEqual(["Olga", "Pia"]);
    await f.clients.participant.mutation(api.participants.leave, { meetingId: f.meetingId });
    expect(await peersOfHost()).toEqual(["Olga"]);
    expect(await f.t.run((ctx) => ctx.db.get("rtcSessions", f.pSession))).toBeNull();
    await f.clients.host.mutation(api.participants.remove, {
      meetingId: f.meetingId,
      userId: f.ids.observer,
    });
    expect(await peersOfHost()).toEqual([]);
    await expect(
      f.clients.observer.query(api.rtcSignals.inbox, { sessionId: obsSession }),
    ).resolves.toEqual({ status: "ended" });
    await f.clients.host.mutation(api.meetings.end, { meetingId: f.meetingId });
    expect(await peersOfHost()).toBe("ended");
    expect(await f.t.run((ctx) => ctx.db.query("rtcSessions").collect())).toEqual([]);
  });

  test("the sweep ends sessions without a heartbeat and deletes expired signals", async () => {
    const f = await callFixture();
    await f.clients.host.mutation(api.rtcSignals.send, {
      sessionId: f.hostSession,
      to: f.pSession,
      signals: [{ kind: "offer", payload: sdp("sendrecv") }],
    });
    await f.t.run(async (ctx) => {
      await ctx.db.patch("rtcSessions", f.pSession, { lastSeen: Date.now() - SESSION_TTL_MS - 1 });
    });
    // A stale session is not a peer even before the sweep runs.
    const before = await f.clients.host.query(api.rtcSessions.peers, {
      meetingId: f.meetingId,
      sessionId: f.hostSession,
    });
    expect(before.status === "live" && before.peers).toEqual([]);
    expect(await f.t.mutation(internal.rtcSessions.sweep, {})).toEqual({ sessions: 1, signals: 0 });
    expect(await f.t.run((ctx) => ctx.db.query("rtcSignals").collect())).toEqual([]);
    await f.t.run(async (ctx) => {
      await ctx.db.insert("rtcSignals", {
        meetingId: f.meetingId,
        fromSession: f.hostSession,
        toSession: f.hostSession,
        kind: "candidate",
        payload: candidate,
        expiresAt: Date.now() - 1,
      });
    });
    expect(await f.t.mutation(internal.rtcSessions.sweep, {})).toEqual({ sessions: 0, signals: 1 });
  });

  test("heartbeats publish the media state; an observer's stays off", async () => {
    const f = await callFixture();
    const obs = await joinCall(f.clients.observer, f.meetingId);
    expect(
      await f.clients.participant.mutation(api.rtcSessions.heartbeat, {
        sessionId: f.pSession,
        media: { audio: false, video: true },
      }),
    ).toEqual({ ok: true });
    await f.clients.observer.mutation(api.rtcSessions.heartbeat, { sessionId: obs, media: AV });
    const r = await f.clients.host.query(api.rtcSessions.peers, {
      meetingId: f.meetingId,
      sessionId: f.hostSession,
    });
    expect(
      r.status === "live" && Object.fromEntries(r.peers.map((p) => [p.name, p.media])),
    ).toEqual({ Pia: { audio: false, video: true }, Olga: { audio: false, video: false } });
    expect(
      await f.clients.host.mutation(api.rtcSessions.heartbeat, {
        sessionId: f.pSession,
        media: AV,
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});

describe("rtcSignals", () => {
  test("a signal reaches only its addressee, in order, and is deleted once acknowledged", async () => {
    const f = await callFixture();
    const sent = await f.clients.host.mutation(api.rtcSignals.send, {
      sessionId: f.hostSession,
      to: f.pSession,
      signals: [
        { kind: "offer", payload: sdp("sendrecv") },
        { kind: "candidate", payload: candidate },
      ],
    });
    expect(sent).toEqual({ ok: true, delivered: 2 });
    const inbox = await inboxOf(f.clients.participant, f.pSession);
    expect(inbox.map((s) => [s.kind, s.from])).toEqual([
      ["offer", f.hostSession],
      ["candidate", f.hostSession],
    ]);
    expect(await inboxOf(f.clients.host, f.hostSession)).toEqual([]);
    // Nobody else may read someone's inbox.
    await expect(
      f.clients.host.query(api.rtcSignals.inbox, { sessionId: f.pSession }),
    ).rejects.toThrow(/belongs to someone else/);
    // Acknowledging someone else's signal deletes nothing.
    expect(
      await f.clients.host.mutation(api.rtcSignals.ack, {
        sessionId: f.hostSession,
        ids: inbox.map((s) => s.id),
      }),
    ).toEqual({ ok: true, deleted: 0, skipped: 2 });
    expect(
      await f.clients.participant.mutation(api.rtcSignals.ack, {
        sessionId: f.pSession,
        ids: inbox.map((s) => s.id),
      }),
    ).toEqual({ ok: true, deleted: 2, skipped: 0 });
    expect(await inboxOf(f.clients.participant, f.pSession)).toEqual([]);
    expect(await f.t.run((ctx) => ctx.db.query("rtcSignals").collect())).toEqual([]);
  });

  test("signals to a session of another meeting are FORBIDDEN and delivered nowhere", async () => {
    const f = await callFixture();
    // The participant also hosts another live meeting and is in its call.
    const scheduled = await f.clients.participant.mutation(api.meetings.schedule, {
      title: "Other",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [],
    });
    if (!scheduled.ok) throw new Error(scheduled.message);
    await f.clients.participant.mutation(api.meetings.start, { meetingId: scheduled.meetingId });
    const elsewhere = await joinCall(f.clients.participant, scheduled.meetingId, "tab-9");
    const r = await f.clients.host.mutation(api.rtcSignals.send, {
      sessionId: f.hostSession,
      to: elsewhere,
      signals: [{ kind: "offer", payload: sdp("sendrecv") }],
    });
    expect(r).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await inboxOf(f.clients.participant, elsewhere)).toEqual([]);
  });

  test("bad input is refused with a code and nothing is delivered", async () => {
    const f = await callFixture();
    const send = (
      c: Client,
      from: Id<"rtcSessions">,
      to: Id<"rtcSessions">,
      payload: string,
      kind: "offer" | "candidate" = "offer",
    ) => c.mutation(api.rtcSignals.send, { sessionId: from, to, signals: [{ kind, payload }] });
    const h = f.clients.host;
    expect(
      await send(h, f.hostSession, f.pSession, `v=0\r\n${"a=x\r\n".repeat(MAX_SDP_CHARS / 5)}`),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(await send(h, f.hostSession, f.pSession, "not sdp")).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    expect(await send(h, f.hostSession, f.pSession, "{nope", "candidate")).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    expect(
      await send(h, f.hostSession, f.pSession, JSON.stringify({ candidate: 5 }), "candidate"),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(await send(h, f.hostSession, f.hostSession, sdp("sendrecv"))).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    // Someone else's session as the sender.
    expect(await send(h, f.pSession, f.hostSession, sdp("sendrecv"))).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(
      await h.mutation(api.rtcSignals.send, {
        sessionId: f.hostSession,
        to: f.pSession,
        signals: [],
      }),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(
      await h.mutation(api.rtcSignals.send, {
        sessionId: f.hostSession,
        to: f.pSession,
        signals: Array.from({ length: 21 }, () => ({
          kind: "candidate" as const,
          payload: candidate,
        })),
      }),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(await inboxOf(f.clients.participant, f.pSession)).toEqual([]);
  });

  test("an observer receives only: its descriptions may not send media", async () => {
    const f = await callFixture();
    const obs = await joinCall(f.clients.observer, f.meetingId);
    const o = f.clients.observer;
    for (const dir of ["sendrecv", "sendonly"])
      expect(
        await o.mutation(api.rtcSignals.send, {
          sessionId: obs,
          to: f.hostSession,
          signals: [{ kind: "answer", payload: sdp(dir) }],
        }),
      ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await inboxOf(f.clients.host, f.hostSession)).toEqual([]);
    expect(
      await o.mutation(api.rtcSignals.send, {
        sessionId: obs,
        to: f.hostSession,
        signals: [
          { kind: "answer", payload: sdp("recvonly") },
          { kind: "candidate", payload: candidate },
        ],
      }),
    ).toEqual({ ok: true, delivered: 2 });
  });

  test("a flood is RATE_LIMITED per identity: the tokens stay spent and nothing more is delivered", async () => {
    const f = await callFixture();
    const batch = Array.from({ length: 20 }, () => ({
      kind: "candidate" as const,
      payload: candidate,
    }));
    const results = [];
    for (let i = 0; i < 10; i++) {
      const r = await f.clients.host.mutation(api.rtcSignals.send, {
        sessionId: f.hostSession,
        to: f.pSession,
        signals: batch,
      });
      results.push(r.ok ? "ok" : r.code);
      if (r.ok) {
        // Keep the addressee's mailbox drained so only the rate limit can refuse.
        const inbox = await inboxOf(f.clients.participant, f.pSession);
        await f.clients.participant.mutation(api.rtcSignals.ack, {
          sessionId: f.pSession,
          ids: inbox.map((s) => s.id),
        });
      }
    }
    // A bucket of 120 tokens refilling at 20/s: six batches pass, the flood behind them does not
    // (a few may pass again as tokens refill while the test runs).
    expect(results.slice(0, 6)).toEqual(Array(6).fill("ok"));
    expect(results.filter((r) => r === "RATE_LIMITED").length).toBeGreaterThanOrEqual(3);
    expect(results.filter((r) => r !== "ok" && r !== "RATE_LIMITED")).toEqual([]);
    const limited = await f.clients.host.mutation(api.rtcSignals.send, {
      sessionId: f.hostSession,
      to: f.pSession,
      signals: batch,
    });
    expect(limited).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    expect(limited.ok === false && limited.retryAfterMs).toBeGreaterThan(0);
    expect(await inboxOf(f.clients.participant, f.pSession)).toEqual([]);
    // Another person's budget is their own.
    expect(
      await f.clients.participant.mutation(api.rtcSignals.send, {
        sessionId: f.pSession,
        to: f.hostSession,
        signals: [{ kind: "candidate", payload: candidate }],
      }),
    ).toEqual({ ok: true, delivered: 1 });
  });

  test("an addressee that does not read gets at most its pending cap (CONFLICT after)", async () => {
    const f = await callFixture();
    const batch = Array.from({ length: 20 }, () => ({
      kind: "candidate" as const,
      payload: candidate,
    }));
    const codes = [];
    for (let i = 0; i < 6; i++) {
      const r = await f.clients.host.mutation(api.rtcSignals.send, {
        sessionId: f.hostSession,
        to: f.pSession,
        signals: batch,
      });
      codes.push(r.ok ? "ok" : r.code);
    }
    expect(codes).toEqual(Array(6).fill("ok"));
    // A second sender (its own rate budget) finds the mailbox at its cap.
    const obs = await joinCall(f.clients.observer, f.meetingId);
    expect(
      await f.clients.observer.mutation(api.rtcSignals.send, {
        sessionId: obs,
        to: f.pSession,
        signals: batch,
      }),
    ).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await inboxOf(f.clients.participant, f.pSession)).toHaveLength(120);
  });

  test("after leaving or removal: sends from and to the person are refused and their inbox is gone", async () => {
    const f = await callFixture();
    const obs = await joinCall(f.clients.observer, f.meetingId);
    await f.clients.host.mutation(api.rtcSignals.send, {
      sessionId: f.hostSession,
      to: f.pSession,
      signals: [{ kind: "offer", payload: sdp("sendrecv") }],
    });
    await f.clients.host.mutation(api.participants.remove, {
      meetingId: f.meetingId,
      userId: f.ids.participant,
    });
    // The removed person's session ended with its pending signals, and their reads are refused.
    expect(await f.t.run((ctx) => ctx.db.query("rtcSignals").collect())).toEqual([]);
    expect(
      await f.clients.participant.mutation(api.rtcSignals.send, {
        sessionId: f.pSession,
        to: f.hostSession,
        signals: [{ kind: "answer", payload: sdp("sendrecv") }],
      }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(
      await f.clients.host.mutation(api.rtcSignals.send, {
        sessionId: f.hostSession,
        to: f.pSession,
        signals: [{ kind: "offer", payload: sdp("sendrecv") }],
      }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    await expect(
      f.clients.participant.query(api.rtcSessions.peers, {
        meetingId: f.meetingId,
        sessionId: f.pSession,
      }),
    ).rejects.toThrow(/not a participant/);
    // Even a session row that outlived its person (not yet swept) neither sends nor receives.
    const ghost = await f.t.run((ctx) =>
      ctx.db.insert("rtcSessions", {
        meetingId: f.meetingId,
        userId: f.ids.participant,
        deviceId: "ghost",
        receiveOnly: false,
        media: AV,
        joinedAt: Date.now(),
        lastSeen: Date.now(),
      }),
    );
    expect(
      await f.clients.participant.mutation(api.rtcSignals.send, {
        sessionId: ghost,
        to: f.hostSession,
        signals: [{ kind: "offer", payload: sdp("sendrecv") }],
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await f.clients.host.mutation(api.rtcSignals.send, {
        sessionId: f.hostSession,
        to: ghost,
        signals: [{ kind: "offer", payload: sdp("sendrecv") }],
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    await f.clients.observer.mutation(api.participants.leave, { meetingId: f.meetingId });
    expect(
      await f.clients.observer.mutation(api.rtcSignals.send, {
        sessionId: obs,
        to: f.hostSession,
        signals: [{ kind: "answer", payload: sdp("recvonly") }],
      }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await inboxOf(f.clients.host, f.hostSession)).toEqual([]);
    // Refusals that touch access leave an audit row.
    const audit = await f.t.run((ctx) => ctx.db.query("auditLog").collect());
    expect(audit.filter((a) => a.action === "rtc.signal").map((a) => a.code)).toContain(
      "FORBIDDEN",
    );
  });

  test("sends are counted per session and minute for the meeting's metrics", async () => {
    const f = await callFixture();
    await f.clients.host.mutation(api.rtcSignals.send, {
      sessionId: f.hostSession,
      to: f.pSession,
      signals: [
        { kind: "offer", payload: sdp("sendrecv") },
        { kind: "candidate", payload: candidate },
      ],
    });
    await f.clients.participant.mutation(api.rtcSignals.send, {
      sessionId: f.pSession,
      to: f.hostSession,
      signals: [{ kind: "answer", payload: sdp("sendrecv") }],
    });
    await f.clients.participant.mutation(api.rtcMetrics.report, {
      sessionId: f.pSession,
      kind: "connected",
      ms: 420,
      candidateType: "host",
    });
    await f.clients.participant.mutation(api.rtcMetrics.report, {
      sessionId: f.pSession,
      kind: "firstMedia",
      ms: 610,
    });
    expect(
      await f.clients.participant.mutation(api.rtcMetrics.report, {
        sessionId: f.pSession,
        kind: "connected",
        candidateType: "carrier-pigeon",
      }),
    ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    const m = await f.clients.host.query(api.rtcMetrics.forMeeting, { meetingId: f.meetingId });
    expect(m.signals.total).toBe(3);
    expect(m.signals.bytes).toBe(sdp("sendrecv").length * 2 + candidate.length);
    expect(m.signals.perMinute.reduce((a, b) => a + b.count, 0)).toBe(3);
    expect(m.connections).toEqual({
      succeeded: 1,
      failed: 0,
      iceRestarts: 0,
      byCandidateType: { host: 1 },
    });
    expect(m.timeToFirstMedia).toEqual({ count: 1, medianMs: 610, p95Ms: 610 });
    await expect(
      f.clients.participant.query(api.rtcMetrics.forMeeting, { meetingId: f.meetingId }),
    ).rejects.toThrow(/host/);
  });
});
