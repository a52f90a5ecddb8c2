/** Specs of the ICE servers action: TURN REST credentials minted for joined participants, never stored. */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { api } from "./_generated/api";

const KEYS = [
  "TURN_URLS",
  "TURN_SECRET",
  "TURN_TTL_SECONDS",
  "STUN_URLS",
  "TURN_RELAY_ONLY",
] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("rtcTurn.iceServers", () => {
  test("without configuration: host candidates only", async () => {
    for (const k of KEYS) delete process.env[k];
    const f = await meetingFixture({ live: true });
    expect(
      await f.clients.participant.action(api.rtcTurn.iceServers, { meetingId: f.meetingId }),
    ).toEqual({
      ok: true,
      iceServers: [],
      mode: "host",
      expiresAt: null,
      iceTransportPolicy: "all",
    });
  });

  test("with TURN configured: a credential coturn accepts, for the caller, stored nowhere, counted", async () => {
    process.env.TURN_URLS = "turn:127.0.0.1:3478?transport=udp";
    process.env.TURN_SECRET = "shared-secret";
    process.env.TURN_TTL_SECONDS = "600";
    const f = await meetingFixture({ live: true });
    const started = Date.now();
    const r = await f.clients.participant.action(api.rtcTurn.iceServers, {
      meetingId: f.meetingId,
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.mode).toBe("turn");
    const server = r.iceServers[0]!;
    const [expiry, userId] = server.username!.split(":");
    expect(userId).toBe(f.ids.participant);
    expect(Number(expiry) * 1000).toBeGreaterThanOrEqual(
      Math.floor(started / 1000) * 1000 + 600_000,
    );
    expect(Number(expiry) * 1000).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(server.credential).toBe(
      createHmac("sha1", "shared-secret").update(server.username!).digest("base64"),
    );
    const stored = JSON.stringify(
      await f.t.run(async (ctx) => await ctx.db.query("rtcMetrics").collect()),
    );
    expect(stored).not.toContain(server.credential!);
    const m = await f.clients.host.query(api.rtcMetrics.forMeeting, { meetingId: f.meetingId });
    expect(m.turnMints).toEqual({ total: 1, withTurn: 1 });
  });

  test("refused to anyone not in the meeting's live call, and for a misconfigured deployment", async () => {
    process.env.TURN_URLS = "turn:127.0.0.1:3478";
    process.env.TURN_SECRET = "k";
    const f = await meetingFixture({ live: true });
    for (const who of ["invited", "removed", "nonParticipant", "otherOrg"] as const)
      expect(
        await f.clients[who].action(api.rtcTurn.iceServers, { meetingId: f.meetingId }),
        who,
      ).toMatchObject({
        ok: false,
        code: "FORBIDDEN",
      });
    delete process.env.TURN_SECRET;
    expect(
      await f.clients.host.action(api.rtcTurn.iceServers, { meetingId: f.meetingId }),
    ).toMatchObject({
      ok: false,
      code: "INTERNAL",
    });
  });
});
