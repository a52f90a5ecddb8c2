import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  iceConfigFor,
  mintTurnCredential,
  readTurnConfig,
  turnCredential,
} from "./turnCredentials";

describe("TURN REST credentials (coturn use-auth-secret)", () => {
  test("the credential is base64 HMAC-SHA1 of the username under the secret", async () => {
    for (const [secret, username] of [
      ["s3cret", "1700000000:user_1"],
      ["ünïcødé secret", "42:k57abc"],
    ] as const) {
      const expected = createHmac("sha1", secret).update(username).digest("base64");
      expect(await turnCredential(secret, username)).toBe(expected);
    }
  });

  test("the username is `<expiry unix seconds>:<userId>`", async () => {
    const m = await mintTurnCredential("k", "user_9", 1_700_000_000_500, 600);
    expect(m.username).toBe("1700000600:user_9");
    expect(m.expiresAt).toBe(1_700_000_600_000);
    expect(m.credential).toBe(createHmac("sha1", "k").update(m.username).digest("base64"));
  });

  test("configuration: host candidates only when nothing is set", async () => {
    const c = readTurnConfig({});
    expect(await iceConfigFor(c, "u", 0)).toEqual({
      iceServers: [],
      mode: "host",
      expiresAt: null,
      iceTransportPolicy: "all",
    });
    const stun = readTurnConfig({ STUN_URLS: "stun:stun.example.com:3478" });
    expect(await iceConfigFor(stun, "u", 0)).toMatchObject({
      mode: "stun",
      iceServers: [{ urls: ["stun:stun.example.com:3478"] }],
    });
  });

  test("configuration: TURN URLs with the secret mint one credential for all of them", async () => {
    const c = readTurnConfig({
      TURN_URLS: "turn:127.0.0.1:3478?transport=udp, turns:turn.example.com:5349",
      TURN_SECRET: "k",
      TURN_TTL_SECONDS: "120",
    });
    const ice = await iceConfigFor(c, "user_1", 1_000_000);
    expect(ice.mode).toBe("turn");
    expect(ice.iceTransportPolicy).toBe("all");
    const relay = readTurnConfig({
      TURN_URLS: "turn:127.0.0.1",
      TURN_SECRET: "k",
      TURN_RELAY_ONLY: "1",
    });
    expect((await iceConfigFor(relay, "u", 0)).iceTransportPolicy).toBe("relay");
    expect(ice.iceServers).toEqual([
      {
        urls: ["turn:127.0.0.1:3478?transport=udp", "turns:turn.example.com:5349"],
        username: "1120:user_1",
        credential: createHmac("sha1", "k").update("1120:user_1").digest("base64"),
      },
    ]);
  });

  test("malformed configuration names the variable", () => {
    expect(() => readTurnConfig({ TURN_URLS: "turn:x" })).toThrow(/TURN_SECRET/);
    expect(() => readTurnConfig({ TURN_URLS: "http://x", TURN_SECRET: "k" })).toThrow(/TURN_URLS/);
    expect(() => readTurnConfig({ STUN_URLS: "turn:x" })).toThrow(/STUN_URLS/);
    expect(() => readTurnConfig({ TURN_TTL_SECONDS: "5" })).toThrow(/TURN_TTL_SECONDS/);
    expect(() => readTurnConfig({ TURN_TTL_SECONDS: "1e9" })).toThrow(/TURN_TTL_SECONDS/);
    expect(() => readTurnConfig({ TURN_RELAY_ONLY: "1" })).toThrow(/TURN_RELAY_ONLY/);
  });
});
