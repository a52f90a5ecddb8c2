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

  it("charges every document a query reads to its read limit (16 MiB), reads served from the JSON cache too", async () => {
    const client = httpClient(engine.url);
    // 17 documents of ~1,000,000 bytes: each within the document limit, together over 16 MiB.
    const body = (i: number) => `${i}`.padEnd(1_000_000, "y");
    for (let i = 0; i < 17; i++) await client.mutation(send, { channel: "huge", body: body(i) });
    await expect(client.query(list, { channel: "huge" })).rejects.toThrow(/Read too much data/);
    // Fewer rows read the same documents again (now cached) with the same content.
    for (let i = 0; i < 2; i++) {
      await client.mutation(send, { channel: "some", body: body(i) });
    }
    const first = (await client.query(list, { channel: "some" })) as { body: string }[];
    const again = (await client.query(list, { channel: "some" })) as { body: string }[];
    expect(first.map((r) => r.body)).toEqual([body(0), body(1)]);
    expect(again).toEqual(first);
  });
});
