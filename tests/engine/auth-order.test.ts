/**
 * Regression: a session's messages are handled in order with respect to
 * authentication, as Convex does. A mutation or action sent right after
 * `Authenticate` runs with the new identity (it waits for the token to be
 * verified), never with the previous one; a refused token ends the session
 * (AuthError) and later calls do not run anonymously.
 */
import { makeFunctionReference, type UserIdentity } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine, wsClient } from "./helpers";

type Msg = { body: string; author: string | null };
const list = makeFunctionReference<"query", { channel: string }, Msg[]>("messages:list");
const send = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);
const whoamiVia = makeFunctionReference<"query", Record<string, never>, UserIdentity | null>(
  "messages:whoami",
);

/** How many fresh clients set auth and mutate at once (the race needs no retries to show). */
const ROUNDS = 40;

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine();
});
afterAll(async () => {
  await engine.close();
});

describe("authentication ordering", () => {
  it("runs a mutation sent right after setAuth with the new identity, every time", async () => {
    const channel = "auth-order";
    const tokens = await Promise.all(
      Array.from({ length: ROUNDS }, (_, i) => engine.mintDevToken({ subject: `user_${i}` })),
    );
    const clients = tokens.map(() => wsClient(engine.url));
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          client.setAuth(async () => tokens[i]);
          await client.mutation(send, { channel, body: String(i) });
        }),
      );
      const rows = await httpClient(engine.url).query(list, { channel });
      expect(rows).toHaveLength(ROUNDS);
      for (const row of rows) expect(row.author).toBe(`user_${row.body}`);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it("switches identity between two mutations of one client in order", async () => {
    const channel = "auth-switch";
    const client = wsClient(engine.url);
    try {
      for (let i = 0; i < 10; i++) {
        const token = await engine.mintDevToken({ subject: `switch_${i}` });
        client.setAuth(async () => token);
        await client.mutation(send, { channel, body: String(i) });
      }
      const rows = await httpClient(engine.url).query(list, { channel });
      expect(rows.map((r) => r.author)).toEqual(
        Array.from({ length: 10 }, (_, i) => `switch_${i}`),
      );
      expect((await client.query(whoamiVia, {}))?.subject).toBe("switch_9");
    } finally {
      await client.close();
    }
  });

  it("ends the session on a refused token: a mutation sent after it never runs", async () => {
    const channel = "auth-refused";
    const ws = new WebSocket(`${engine.url.replace("http", "ws")}/api/1.48.0/sync`);
    const frames: Array<Record<string, unknown>> = [];
    const closed = new Promise<number>((ok) => ws.on("close", (code) => ok(code)));
    ws.on("message", (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise((ok) => ws.once("open", ok));
    ws.send(JSON.stringify({ type: "Connect", sessionId: "s", connectionCount: 0 }));
    ws.send(
      JSON.stringify({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: "x.y.z" }),
    );
    ws.send(
      JSON.stringify({
        type: "Mutation",
        requestId: 0,
        udfPath: "messages:send",
        args: [{ channel, body: "anonymous?" }],
      }),
    );
    expect(await closed).toBe(1000);
    expect(frames.map((f) => f.type)).toEqual(["AuthError"]);
    expect(await httpClient(engine.url).query(list, { channel })).toEqual([]);
  });
});
