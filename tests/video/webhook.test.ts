/**
 * GetStream's webhooks at `POST /getstream/webhook`, signed as GetStream signs
 * them (hex HMAC-SHA256 of the uncompressed body with the API secret, here by
 * `node:crypto`, not by the code under test; `X-API-KEY`, `X-WEBHOOK-ID`),
 * drive the meeting's log: call joins and leaves, the call's end, recordings
 * (metadata rows; the consent flag everyone in the room sees; who may list
 * and download them; the file fetched into Convex storage when configured).
 * Forged, tampered, unsigned, wrongly keyed, replayed, oversize, gzip-bomb and
 * malformed-gzip deliveries are refused and change nothing.
 */
import { createHmac } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { MAX_WEBHOOK_BODY_BYTES } from "../../convex/video/webhookBody";
import { waitFor } from "../ai/fakeOpenAi";
import type { TestBackend } from "../harness/convex";
import type { FakeGetStream } from "./fakeGetStream";
import {
  configureGetStream,
  type Fixture,
  KEY,
  meetingOnPlan,
  SECRET,
  settled,
  startMeeting,
} from "./harness";

let fake: FakeGetStream;
let seq = 0;
beforeEach(async () => {
  fake = await configureGetStream();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fake.close();
});

type Delivery = {
  secret?: string;
  apiKey?: string;
  webhookId?: string;
  gzip?: boolean;
  body?: string | Uint8Array;
  signature?: string | null;
};

async function deliver(t: TestBackend, event: unknown, d: Delivery = {}) {
  const json = JSON.stringify(event);
  const signature =
    d.signature === undefined
      ? createHmac("sha256", d.secret ?? SECRET)
          .update(json)
          .digest("hex")
      : d.signature;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-api-key": d.apiKey ?? KEY,
    "x-webhook-id": d.webhookId ?? `wh-${++seq}`,
    "x-webhook-attempt": "1",
  };
  if (signature !== null) headers["x-signature"] = signature;
  let body: string | Uint8Array = d.body ?? json;
  if (d.gzip) {
    headers["content-encoding"] = "gzip";
    body = d.body ?? new Uint8Array(gzipSync(json));
  }
  const res = await t.fetch("/getstream/webhook", {
    method: "POST",
    headers,
    body: body as BodyInit,
  });
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: string } };
}

const base = (type: string, meetingId: string) => ({
  type,
  created_at: new Date().toISOString(),
  call_cid: `default:${meetingId}`,
});
const participantEvent = (kind: "joined" | "left", meetingId: string, userId: string) => ({
  ...base(`call.session_participant_${kind}`, meetingId),
  session_id: "sess-1",
  participant: {
    user: { id: userId, name: "someone" },
    user_session_id: `us-${userId}`,
    role: "user",
  },
});
const recordingReady = (meetingId: string, filename: string, url: string) => ({
  ...base("call.recording_ready", meetingId),
  egress_id: "eg-1",
  recording_type: "composite",
  call_recording: {
    filename,
    url,
    session_id: "sess-1",
    start_time: new Date(Date.now() - 60_000).toISOString(),
    end_time: new Date().toISOString(),
  },
});

async function readyMeeting(): Promise<Fixture> {
  const f = await meetingOnPlan("pro");
  await startMeeting(f);
  expect((await settled(f.t, f.meetingId)).status).toBe("ready");
  return f;
}

async function callLog(t: TestBackend, meetingId: Id<"meetings">) {
  const rows = await t.run(async (ctx) =>
    ctx.db
      .query("meetingEvents")
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
      .collect(),
  );
  return rows.filter((r) => r.actor === "system:getstream").map((r) => [r.kind, r.data]);
}

async function snapshot(t: TestBackend) {
  return await t.run(async (ctx) => ({
    events: (await ctx.db.query("meetingEvents").collect()).length,
    webhooks: (await ctx.db.query("videoWebhookEvents").collect()).length,
    recordings: (await ctx.db.query("recordings").collect()).length,
    calls: (await ctx.db.query("videoCalls").collect()).map((c) => [c.recording, c.ended]),
  }));
}

describe("GetStream webhooks", () => {
  test("signed events log joins, leaves, recordings and the end; everyone sees the recording notice", async () => {
    const f = await readyMeeting();
    const m = f.meetingId;
    const info = (who: "host" | "observer") =>
      f.clients[who].query(api.rtcSessions.callInfo, { meetingId: m });
    expect((await deliver(f.t, participantEvent("joined", m, f.ids.participant))).body).toEqual({
      received: true,
      outcome: "applied: CallParticipantJoined",
    });
    const started = await deliver(f.t, base("call.recording_started", m), { gzip: true });
    expect(started.body.outcome).toBe("applied: RecordingStarted");
    expect((await info("observer")).recording).toBe(true);
    expect((await info("host")).recording).toBe(true);
    await deliver(f.t, base("call.recording_stopped", m));
    expect((await info("observer")).recording).toBe(false);
    const url = "https://cdn.getstream.test/rec/one.mp4?sig=abc";
    expect((await deliver(f.t, recordingReady(m, "one.mp4", url))).body.outcome).toBe(
      "applied: RecordingReady",
    );
    await deliver(f.t, participantEvent("left", m, f.ids.participant));
    await deliver(f.t, base("call.ended", m));
    const log = await callLog(f.t, m);
    expect(log.map(([kind]) => kind)).toEqual([
      "CallParticipantJoined",
      "RecordingStarted",
      "RecordingStopped",
      "RecordingReady",
      "CallParticipantLeft",
      "CallEnded",
    ]);
    expect(log[0]![1]).toEqual({ userId: f.ids.participant });

    // Participants (observers too) list and download the recording; others may not.
    for (const who of ["host", "participant", "observer"] as const) {
      const list = await f.clients[who].query(api.video.recordings.list, { meetingId: m });
      expect(list).toEqual({
        allowed: true,
        recordings: [expect.objectContaining({ filename: "one.mp4", url, stored: false })],
      });
    }
    for (const who of ["nonParticipant", "removed", "otherOrg"] as const)
      await expect(
        f.clients[who].query(api.video.recordings.list, { meetingId: m }),
      ).rejects.toThrow(/FORBIDDEN|not a participant/);
    // An org that keeps recordings to hosts.
    await f.t.run(async (ctx) => {
      const org = await ctx.db
        .query("orgs")
        .withIndex("by_external", (q) => q.eq("externalId", "org_acme"))
        .unique();
      await ctx.db.patch("orgs", org!._id, {
        policy: { ...org!.policy, recordingsHostsOnly: true },
      });
    });
    expect(await f.clients.participant.query(api.video.recordings.list, { meetingId: m })).toEqual({
      allowed: false,
      reason: expect.stringMatching(/hosts and co-hosts/),
    });
    const forHost = await f.clients.host.query(api.video.recordings.list, { meetingId: m });
    expect(forHost.allowed && forHost.recordings).toHaveLength(1);
  });

  test("events about other calls or people outside the meeting are recorded and ignored", async () => {
    const f = await readyMeeting();
    const before = await snapshot(f.t);
    const other = await deliver(f.t, participantEvent("joined", "not-our-call", f.ids.participant));
    expect(other.body.outcome).toBe("ignored: unknown call");
    const outsider = await deliver(
      f.t,
      participantEvent("joined", f.meetingId, f.ids.nonParticipant),
    );
    expect(outsider.body.outcome).toBe("ignored: not a participant of the meeting");
    const removed = await deliver(f.t, participantEvent("joined", f.meetingId, f.ids.removed));
    expect(removed.body.outcome).toBe("ignored: not a participant of the meeting");
    const unknownKind = await deliver(f.t, base("call.reaction_new", f.meetingId));
    expect(unknownKind.body.outcome).toBe("ignored: call.reaction_new");
    const after = await snapshot(f.t);
    expect(after.events).toBe(before.events);
  });

  test("forged, tampered, unsigned, wrongly keyed, replayed, oversize and gzip-bomb deliveries change nothing", async () => {
    const f = await readyMeeting();
    const m = f.meetingId;
    const good = base("call.recording_started", m);
    const applied = await deliver(f.t, good, { webhookId: "wh-once" });
    expect(applied.body.outcome).toBe("applied: RecordingStarted");
    const before = await snapshot(f.t);

    const refusals: [string, Promise<{ status: number; body: { error?: string } }>][] = [
      ["forged", deliver(f.t, base("call.ended", m), { secret: "not-the-secret" })],
      [
        "tampered",
        deliver(f.t, base("call.recording_stopped", m), {
          body: JSON.stringify(base("call.ended", m)),
        }),
      ],
      ["unsigned", deliver(f.t, base("call.ended", m), { signature: null })],
      ["malformed signature", deliver(f.t, base("call.ended", m), { signature: "zz" })],
      ["another app's key", deliver(f.t, base("call.ended", m), { apiKey: "someone_else" })],
      ["no webhook id", deliver(f.t, base("call.ended", m), { webhookId: "" })],
    ];
    for (const [what, p] of refusals) expect((await p).status, what).toBe(400);

    const replay = await deliver(f.t, good, { webhookId: "wh-once" });
    expect(replay).toEqual({ status: 200, body: { received: true, outcome: "duplicate" } });

    const huge = { ...base("call.ended", m), pad: "x".repeat(MAX_WEBHOOK_BODY_BYTES) };
    expect((await deliver(f.t, huge)).status).toBe(413);
    // 16 MiB of spaces gzip to ~16 KiB: under the body cap, far over the inflation cap.
    // Signed correctly, so it is the cap that refuses it.
    const bombJson = `${JSON.stringify(base("call.ended", m))}${" ".repeat(16 * 1024 * 1024)}`;
    const bomb = await deliver(f.t, base("call.ended", m), {
      gzip: true,
      body: new Uint8Array(gzipSync(bombJson)),
      signature: createHmac("sha256", SECRET).update(bombJson).digest("hex"),
    });
    expect(bomb.status).toBe(413);
    const notGzip = await deliver(f.t, base("call.ended", m), {
      gzip: true,
      body: new TextEncoder().encode("this is not gzip"),
    });
    expect(notGzip.status).toBe(400);
    const brotli = await f.t.fetch("/getstream/webhook", {
      method: "POST",
      headers: { "content-encoding": "br", "x-api-key": KEY, "x-signature": "0".repeat(64) },
      body: "{}",
    });
    expect(brotli.status).toBe(415);

    expect(await snapshot(f.t)).toEqual(before);
  });

  test("without GetStream configured the endpoint answers 503", async () => {
    const f = await readyMeeting();
    vi.stubEnv("GETSTREAM_API_SECRET", "");
    const r = await deliver(f.t, base("call.ended", f.meetingId));
    expect(r.status).toBe(503);
  });

  test("with GETSTREAM_STORE_RECORDINGS=1 the file is fetched into Convex storage", async () => {
    vi.stubEnv("GETSTREAM_STORE_RECORDINGS", "1");
    const f = await readyMeeting();
    const file = new Uint8Array(4096).map((_, i) => (i * 7) % 256);
    fake.files.set("two.mp4", file);
    const url = `${fake.baseUrl}/recordings/two.mp4`;
    await deliver(f.t, recordingReady(f.meetingId, "two.mp4", url));
    const row = await waitFor(async () => {
      const r = await f.t.run(async (ctx) => ctx.db.query("recordings").unique());
      return r?.status === "stored" ? r : null;
    });
    expect(row.bytes).toBe(4096);
    const stored = await f.t.run(async (ctx) => {
      const blob = await ctx.storage.get(row.storageId!);
      return await blob!.arrayBuffer();
    });
    expect(new Uint8Array(stored)).toEqual(file);
    const listing = await f.clients.participant.query(api.video.recordings.list, {
      meetingId: f.meetingId,
    });
    const listed = listing.allowed ? listing.recordings[0] : undefined;
    expect(listed).toMatchObject({ stored: true, status: "stored" });
    expect(listed!.url).not.toBe(url);

    // A missing file leaves the row failed with the reason.
    await deliver(
      f.t,
      recordingReady(f.meetingId, "gone.mp4", `${fake.baseUrl}/recordings/gone.mp4`),
    );
    const failed = await waitFor(async () => {
      const rows = await f.t.run(async (ctx) => ctx.db.query("recordings").collect());
      const r = rows.find((x) => x.filename === "gone.mp4");
      return r?.status === "failed" ? r : null;
    });
    expect(failed.fetchError).toMatch(/404/);
  });
});
