/**
 * The engine enforces the Convex limits convex-test does not (engine/limits.ts):
 * a write of a document over 1 MiB fails the mutation and stores nothing, and
 * the engine keeps serving.
 */
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { CONVEX_LIMITS } from "../../engine/limits";
import { httpClient, startFixtureEngine } from "./helpers";

const send = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);
const list = makeFunctionReference<"query", { channel: string }, unknown[]>("messages:list");

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine();
});
afterAll(async () => {
  await engine.close();
});

describe("engine limits", () => {
  it("refuses a document over 1 MiB and stores nothing", async () => {
    const client = httpClient(engine.url);
    const body = "x".repeat(CONVEX_LIMITS.documentBytes + 1);
    await expect(client.mutation(send, { channel: "big", body })).rejects.toThrow(/too large/);
    expect(await client.query(list, { channel: "big" })).toEqual([]);
    // The engine keeps serving: a normal write right after succeeds.
    await client.mutation(send, { channel: "big", body: "small" });
    expect(await client.query(list, { channel: "big" })).toHaveLength(1);
  });
});
