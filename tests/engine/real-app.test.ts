/**
 * The engine runs the project's real `convex/` folder by default, with every
 * component of `convex/convex.config.ts` registered (the rate limiter and the
 * batch worker it installs).
 */
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Engine, startEngine } from "../../engine/engine";
import { httpClient, tempDataDir, wsClient } from "./helpers";

const ping = makeFunctionReference<"query", Record<string, never>, { ok: true }>("health:ping");

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ port: 0, dataDir: tempDataDir(), logLevel: "silent", crons: false });
});
afterAll(async () => {
  await engine.close();
});

describe("the real convex/ app", () => {
  it("registers the components of convex.config.ts", () => {
    expect(engine.components).toEqual(
      expect.arrayContaining(["rateLimiter", "rateLimiter/batchWorker"]),
    );
  });

  it("serves health:ping over WebSocket and HTTP", async () => {
    const client = wsClient(engine.url);
    try {
      expect(await client.query(ping, {})).toEqual({ ok: true });
    } finally {
      await client.close();
    }
    expect(await httpClient(engine.url).query(ping, {})).toEqual({ ok: true });
  });
});
