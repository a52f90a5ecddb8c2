/**
 * Regression tests for issue 12's engine findings, each pinned by number:
 *
 * - 12.1 one unauthenticated frame killed the engine (close reason over 123
 *   bytes; a 10,000-deep value overflowing the stack);
 * - 12.7 mutation de-duplication keyed without the identity;
 * - 12.9 100 MiB frames, 20,000 subscriptions per session, no message rate
 *   cap, and a dev issuer answering any web page (`Access-Control-Allow-Origin: *`);
 * - 12.10 (engine part) sequential ids: see `contract.test.ts`.
 *
 * After each hostile input the engine must still serve another client.
 */
import { makeFunctionReference } from "convex/server";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine, EngineOptions } from "../../engine/engine";
import {
  assertServing,
  httpClient,
  rawSocket,
  startFixtureEngine,
  waitFor,
  wsClient,
} from "./helpers";

const send = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);
const list = makeFunctionReference<
  "query",
  { channel: string },
  Array<{ body: string; author: string | null }>
>("messages:list");

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function start(options: EngineOptions = {}): Promise<Engine> {
  const engine = await startFixtureEngine({ dataDir: null, ...options });
  engines.push(engine);
  return engine;
}

const utf8Bytes = (b: Buffer) => b.length;

describe("12.1: no frame stops the engine", () => {
  it("closes only the offending socket, with a reason of at most 123 bytes", async () => {
    const engine = await start();
    const bystander = wsClient(engine.url);
    try {
      const watching = waitFor<Array<{ body: string }>>(
        (cb) => bystander.onUpdate(list, { channel: "bystander" }, cb),
        (rows) => rows.some((r) => r.body === "still here"),
        20_000,
      );
      const deep = `{"type":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
      const frames = [
        "€".repeat(80),
        JSON.stringify({ type: "€".repeat(60) }),
        deep,
        `[${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}]`,
        JSON.stringify({
          type: "ModifyQuerySet",
          baseVersion: "€".repeat(200),
          newVersion: 1,
          modifications: [],
        }),
        JSON.stringify({ type: "Mutation", requestId: "x", udfPath: 1, args: {} }),
        JSON.stringify({
          type: "ModifyQuerySet",
          baseVersion: 0,
          newVersion: 1,
          modifications: [null, 5],
        }),
        JSON.stringify({ type: "Authenticate", baseVersion: 0, tokenType: "€".repeat(300) }),
      ];
      for (const frame of frames) {
        const sock = await rawSocket(engine.url);
        sock.send(frame);
        const { code, reason } = await sock.closed;
        expect(code).not.toBe(1006);
        expect(utf8Bytes(reason)).toBeLessThanOrEqual(123);
        expect(sock.frames.some((f) => f.type === "FatalError")).toBe(true);
      }
      await bystander.mutation(send, { channel: "bystander", body: "still here" });
      await watching;
      await assertServing(engine, "after-frames");
    } finally {
      await bystander.close();
    }
  });
});

describe("12.7: mutation de-duplication is keyed with the identity", () => {
  it("runs a second client's mutation even when it reuses the first's session and request ids", async () => {
    const engine = await start();
    const tokenA = await engine.mintDevToken({ subject: "alice" });
    const tokenB = await engine.mintDevToken({ subject: "bob" });
    const sessionId = "5b2c2f4e-0000-4000-8000-000000000001";
    const run = async (token: string, body: string) => {
      const sock = await rawSocket(engine.url);
      sock.send(
        JSON.stringify({
          type: "Connect",
          sessionId,
          connectionCount: 0,
          lastCloseReason: null,
          clientTs: Date.now(),
        }),
      );
      sock.send(
        JSON.stringify({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: token }),
      );
      sock.send(
        JSON.stringify({
          type: "Mutation",
          requestId: 0,
          udfPath: "messages:send",
          args: [{ channel: "dedupe", body }],
        }),
      );
      for (let i = 0; i < 200 && !sock.frames.some((f) => f.type === "MutationResponse"); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      sock.ws.close();
      return sock.frames.find((f) => f.type === "MutationResponse");
    };
    const a = await run(tokenA, "from alice");
    const b = await run(tokenB, "from bob");
    expect(a?.success).toBe(true);
    expect(b?.success).toBe(true);
    expect(b?.result).not.toEqual(a?.result);
    const rows = await httpClient(engine.url).query(list, { channel: "dedupe" });
    expect(rows.map((r) => [r.body, r.author])).toEqual([
      ["from alice", "alice"],
      ["from bob", "bob"],
    ]);
    // The same client resending the same mutation still gets its first outcome.
    const again = await run(tokenA, "from alice");
    expect(again?.result).toEqual(a?.result);
    expect(await httpClient(engine.url).query(list, { channel: "dedupe" })).toHaveLength(2);
  });
});

describe("12.9: per-connection caps", () => {
  it("closes a socket that sends a frame over the size cap (1009) and serves on", async () => {
    const engine = await start({ limits: { maxFrameBytes: 64 * 1024 } });
    const sock = await rawSocket(engine.url);
    sock.send(JSON.stringify({ type: "Event", eventType: "x", event: "a".repeat(100 * 1024) }));
    expect((await sock.closed).code).toBe(1009);
    await assertServing(engine, "after-big-frame");
  });

  it("fails subscriptions past the per-session cap with a Convex-like error", async () => {
    const engine = await start({ limits: { maxQueriesPerSession: 5 } });
    const sock = await rawSocket(engine.url);
    const modifications = Array.from({ length: 7 }, (_, i) => ({
      type: "Add",
      queryId: i,
      udfPath: "messages:list",
      args: [{ channel: `cap-${i}` }],
    }));
    sock.send(
      JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications }),
    );
    for (let i = 0; i < 200 && !sock.frames.some((f) => f.type === "Transition"); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const mods = (sock.frames.find((f) => f.type === "Transition")?.modifications ?? []) as Array<
      Record<string, unknown>
    >;
    expect(mods.filter((m) => m.type === "QueryUpdated")).toHaveLength(5);
    const failed = mods.filter((m) => m.type === "QueryFailed");
    expect(failed.map((m) => m.queryId)).toEqual([5, 6]);
    expect(String(failed[0]?.errorMessage)).toMatch(/^TooManyQueries: .* at most 5 queries/);
    sock.ws.close();
  });

  it("closes a connection that floods messages past the rate cap (1008)", async () => {
    const engine = await start({ limits: { messagesPerSecond: 20, messageBurst: 40 } });
    const sock = await rawSocket(engine.url);
    for (let i = 0; i < 200; i++)
      sock.send(JSON.stringify({ type: "Event", eventType: "x", event: i }));
    const { code, reason } = await sock.closed;
    expect(code).toBe(1008);
    expect(String(reason)).toMatch(/TooManyRequests/);
    await assertServing(engine, "after-flood");
  });
});

describe("12.9: the dev issuer answers only the web app", () => {
  it("refuses pages of other origins and sends no wildcard CORS; /api/* keeps Convex's", async () => {
    const engine = await start({ devAuthOrigins: ["http://localhost:3000"] });
    const mint = (origin?: string) =>
      fetch(`${engine.url}/dev-auth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(origin ? { Origin: origin } : {}) },
        body: JSON.stringify({ subject: "x" }),
      });
    const evil = await mint("http://evil.example");
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const server = await mint();
    expect(server.status).toBe(200);
    expect(server.headers.get("access-control-allow-origin")).toBeNull();
    expect(typeof ((await server.json()) as { token: unknown }).token).toBe("string");
    const web = await mint("http://localhost:3000");
    expect(web.status).toBe(200);
    expect(web.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    const preflight = await fetch(`${engine.url}/dev-auth/token`, {
      method: "OPTIONS",
      headers: { Origin: "http://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const api = await fetch(`${engine.url}/api/query`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "http://evil.example" },
      body: JSON.stringify({ path: "messages:list", args: { channel: "x" }, format: "json" }),
    });
    expect(api.headers.get("access-control-allow-origin")).toBe("*");
  });
});
