/**
 * A paid meeting's GetStream call, through the real functions and the real
 * fetch client against a loopback fake (`fakeGetStream.ts`, which verifies
 * the server token like GetStream): provisioned once when a `pro` meeting
 * starts (also under concurrent starts, retries after 429/5xx/timeouts, and a
 * lost answer), user tokens minted per participant, free meetings and
 * unconfigured deployments on the free call, and the runbook: with GetStream
 * down the circuit opens, the meeting falls back to the free call, later
 * meetings fall back without a request, and one trial after the cool-down
 * closes it again.
 */
import { jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import { waitFor } from "../ai/fakeOpenAi";
import type { FakeGetStream } from "./fakeGetStream";
import {
  anotherMeeting,
  configureGetStream,
  meetingOnPlan,
  paidCall,
  SECRET,
  settled,
  startMeeting,
} from "./harness";

let fake: FakeGetStream;
beforeEach(async () => {
  fake = await configureGetStream();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fake.close();
});

const callRequests = () => fake.requests.filter((r) => r.path.startsWith("/api/v2/video/call/"));

describe("provisioning a paid meeting's GetStream call", () => {
  test("a pro meeting's start creates the call once, with its people; tokens are minted per participant", async () => {
    const f = await meetingOnPlan("pro");
    await startMeeting(f);
    const row = await settled(f.t, f.meetingId);
    expect(row).toMatchObject({ status: "ready", callType: "default", callId: f.meetingId });
    expect(fake.requests.map((r) => [r.path, r.status, r.error])).toEqual([
      ["/api/v2/users", 200, null],
      [`/api/v2/video/call/default/${f.meetingId}`, 200, null],
    ]);
    const call = fake.calls.get(`default:${f.meetingId}`)!;
    expect(call.createdBy).toBe(f.ids.host);
    // Members: everyone not removed, hosts as admins.
    expect(call.members).toEqual(
      expect.arrayContaining([
        { user_id: f.ids.host, role: "admin" },
        { user_id: f.ids.participant, role: "user" },
        { user_id: f.ids.observer, role: "user" },
      ]),
    );
    expect(call.members).not.toContainEqual(expect.objectContaining({ user_id: f.ids.removed }));
    expect(call.settings).toMatchObject({ recording: { mode: "available" } });
    expect(fake.users.get(f.ids.participant)).toEqual({ name: "Pia" });

    const info = await f.clients.participant.query(api.rtcSessions.callInfo, {
      meetingId: f.meetingId,
    });
    expect(info).toMatchObject({ provider: "stream", paidCall: "ready", maxParticipants: 100 });
    const joined = await f.clients.participant.action(api.video.calls.join, {
      meetingId: f.meetingId,
    });
    if (!joined.ok) throw new Error(joined.message);
    expect(joined).toMatchObject({ apiKey: fake.apiKey, callId: f.meetingId });
    const { payload, protectedHeader } = await jwtVerify(
      joined.token,
      new TextEncoder().encode(SECRET),
    );
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload.user_id).toBe(f.ids.participant);
    expect(payload.exp! * 1000).toBe(joined.expiresAt);
    // The free call's join is refused for a paid call, and outsiders get no token.
    const mesh = await f.clients.participant.mutation(api.rtcSessions.join, {
      meetingId: f.meetingId,
      deviceId: "tab",
      media: { audio: true, video: false },
    });
    expect(mesh).toMatchObject({ ok: false, code: "CONFLICT" });
    for (const c of ["nonParticipant", "removed", "otherOrg", "invited"] as const) {
      const r = await f.clients[c].action(api.video.calls.join, { meetingId: f.meetingId });
      expect(r.ok, c).toBe(false);
    }
  });

  test("with the recording flag off the call is created without recording", async () => {
    const f = await meetingOnPlan("pro");
    await f.t.mutation(internal.featureFlags.set, {
      key: "recording",
      enabled: false,
      rolloutPercent: 0,
      operator: "test",
      reason: "recording paused",
    });
    await startMeeting(f);
    expect((await settled(f.t, f.meetingId)).status).toBe("ready");
    expect(fake.calls.get(`default:${f.meetingId}`)!.settings).toMatchObject({
      recording: { mode: "disabled" },
    });
  });

  test("a free meeting, or a deployment without GetStream, uses the free call and asks GetStream nothing", async () => {
    const free = await meetingOnPlan("free");
    await startMeeting(free);
    expect(await paidCall(free.t, free.meetingId)).toBeNull();
    vi.stubEnv("GETSTREAM_API_KEY", "");
    const unconfigured = await meetingOnPlan("pro");
    await startMeeting(unconfigured);
    expect(await paidCall(unconfigured.t, unconfigured.meetingId)).toBeNull();
    for (const f of [free, unconfigured]) {
      const info = await f.clients.host.query(api.rtcSessions.callInfo, { meetingId: f.meetingId });
      expect(info).toMatchObject({ provider: "mesh", paidCall: "none", maxParticipants: 6 });
    }
    expect(fake.requests).toEqual([]);
  });

  test("429, 503 and a timeout are retried with backoff until the call exists", async () => {
    const f = await meetingOnPlan("pro");
    // users: 429, then users ok + call 503 (the failure count resets on the success in between).
    fake.failNext(429);
    await startMeeting(f);
    const row = await settled(f.t, f.meetingId);
    expect(row.status).toBe("ready");
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200, 200]);

    // A fresh backend: a timeout (no answer within GETSTREAM_TIMEOUT_MS), then a 503.
    const g = await meetingOnPlan("pro");
    fake.requests.length = 0;
    fake.calls.clear();
    fake.failNext("hang", 503);
    await startMeeting(g);
    const again = await settled(g.t, g.meetingId);
    expect(again).toMatchObject({ status: "ready", attempts: 3 });
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
      ["/api/v2/users", 0],
      ["/api/v2/users", 503],
      ["/api/v2/users", 200],
      [`/api/v2/video/call/default/${g.meetingId}`, 200],
    ]);
    expect(fake.calls.size).toBe(1);
  });

  test("a lost answer is retried and the call is still created once", async () => {
    const f = await meetingOnPlan("pro");
    // Users answered; the call is created but its answer is lost (500); the retry gets-or-creates.
    fake.failNext("ok", "lost");
    await startMeeting(f);
    expect((await settled(f.t, f.meetingId)).status).toBe("ready");
    expect(callRequests().map((r) => r.status)).toEqual([500, 200]);
    expect(fake.calls.size).toBe(1);
  });

  test("concurrent starts provision exactly once", async () => {
    const f = await meetingOnPlan("pro");
    const starts = await Promise.all([
      f.clients.host.mutation(api.meetings.start, { meetingId: f.meetingId }),
      f.clients.host.mutation(api.meetings.start, { meetingId: f.meetingId }),
      f.clients.host.mutation(api.meetings.start, { meetingId: f.meetingId }),
    ]);
    expect(starts.filter((s) => s.ok && s.events.length > 0)).toHaveLength(1);
    expect((await settled(f.t, f.meetingId)).status).toBe("ready");
    const rows = await f.t.run(async (ctx) => ctx.db.query("videoCalls").collect());
    expect(rows).toHaveLength(1);
    expect(callRequests()).toHaveLength(1);
    expect(fake.calls.size).toBe(1);
  });
});

describe("ending a paid meeting", () => {
  test("ends its GetStream call (a 503 is retried); nobody gets a token afterwards", async () => {
    const f = await meetingOnPlan("pro");
    await startMeeting(f);
    await settled(f.t, f.meetingId);
    fake.failNext(503);
    const ended = await f.clients.host.mutation(api.meetings.end, { meetingId: f.meetingId });
    expect(ended.ok).toBe(true);
    const row = await waitFor(async () => {
      const r = await paidCall(f.t, f.meetingId);
      return r?.ended ? r : null;
    });
    expect(row.ended).toBe(true);
    expect(fake.ended.has(`default:${f.meetingId}`)).toBe(true);
    const ends = fake.requests.filter((r) => r.path.endsWith("/mark_ended"));
    expect(ends.map((r) => r.status)).toEqual([503, 200]);
    const join = await f.clients.participant.action(api.video.calls.join, {
      meetingId: f.meetingId,
    });
    expect(join).toMatchObject({ ok: false, code: "MEETING_NOT_ACTIVE" });
  });
});

describe("the runbook: GetStream down", () => {
  test("the circuit opens, the meeting falls back to the free call, and later meetings skip GetStream until it is back", async () => {
    vi.stubEnv("GETSTREAM_CIRCUIT_COOLDOWN_MS", "400");
    fake.setDown(true);
    const f = await meetingOnPlan("pro");
    await startMeeting(f);
    const row = await settled(f.t, f.meetingId);
    expect(row.status).toBe("fallback");
    expect(row.lastError).toMatch(/503/);
    // Three failed requests open the circuit (no fourth try).
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 503]);
    const circuit = await f.t.run(async (ctx) => ctx.db.query("providerCircuits").unique());
    expect(circuit).toMatchObject({ provider: "getstream", status: "open", failures: 3 });
    const info = await f.clients.participant.query(api.rtcSessions.callInfo, {
      meetingId: f.meetingId,
    });
    expect(info).toMatchObject({ provider: "mesh", paidCall: "fallback", maxParticipants: 6 });
    const mesh = await f.clients.participant.mutation(api.rtcSessions.join, {
      meetingId: f.meetingId,
      deviceId: "tab",
      media: { audio: true, video: false },
    });
    expect(mesh).toMatchObject({ ok: true, provider: "mesh" });

    // While open: the next meeting falls back at once, without a request.
    const second = await anotherMeeting(f);
    expect(await paidCall(f.t, second)).toMatchObject({ status: "fallback" });
    expect(fake.requests).toHaveLength(3);

    // After the cool-down, with GetStream back, one trial closes the circuit.
    fake.setDown(false);
    await new Promise((r) => setTimeout(r, 450));
    const third = await anotherMeeting(f);
    expect((await settled(f.t, third)).status).toBe("ready");
    const closed = await f.t.run(async (ctx) => ctx.db.query("providerCircuits").unique());
    expect(closed).toMatchObject({ status: "closed", failures: 0 });
  });
});
