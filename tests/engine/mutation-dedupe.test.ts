/**
 * A mutation resent after a reconnect (same `sessionId` from `Connect`, same
 * `requestId`, as `ConvexClient`'s request manager does) is answered with its
 * first outcome and not run again, as production Convex does; another session
 * with the same requestId is a different mutation.
 */
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine } from "./helpers";

type Msg = { body: string };
const list = makeFunctionReference<"query", { channel: string }, Msg[]>("messages:list");

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine();
});
afterAll(async () => {
  await engine.close();
});

/** Connect as `sessionId`, send one `messages:send` mutation, return its MutationResponse. */
async function sendOnce(
  sessionId: string,
  connectionCount: number,
  channel: string,
): Promise<Record<string, unknown>> {
  const ws = new WebSocket(`${engine.url.replace("http", "ws")}/api/1.48.0/sync`);
  await new Promise((ok) => ws.once("open", ok));
  const response = new Promise<Record<string, unknown>>((ok) =>
    ws.on("message", (d) => {
      const frame = JSON.parse(String(d)) as Record<string, unknown>;
      if (frame.type === "MutationResponse") ok(frame);
    }),
  );
  ws.send(JSON.stringify({ type: "Connect", sessionId, connectionCount }));
  ws.send(
    JSON.stringify({
      type: "Mutation",
      requestId: 0,
      udfPath: "messages:send",
      args: [{ channel, body: `from ${sessionId}` }],
    }),
  );
  const frame = await response;
  ws.terminate();
  return frame;
}

describe("mutation de-duplication across reconnects", () => {
  it("answers a resent mutation from its first run", async () => {
    const channel = "dedupe";
    const first = await sendOnce("session-a", 0, channel);
    const resent = await sendOnce("session-a", 1, channel);
    expect(first.success).toBe(true);
    expect(resent.result).toEqual(first.result);
    expect(resent.ts).toEqual(first.ts);
    const other = await sendOnce("session-b", 0, channel);
    expect(other.result).not.toEqual(first.result);
    const rows = await httpClient(engine.url).query(list, { channel });
    expect(rows.map((r) => r.body)).toEqual(["from session-a", "from session-b"]);
  });
});
