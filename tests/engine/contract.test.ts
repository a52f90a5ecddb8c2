/**
 * Convex's error and system-table contract through the real clients:
 * argument validation errors read `ArgumentValidationError: ...` as Convex
 * words them; `_scheduled_functions` rows carry `completedTime` once a job
 * finishes (success, failure, cancellation) and Convex's `name` format
 * (`module.js:export`); document ids are unguessable (not sequential).
 */
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine, wsClient } from "./helpers";

const send = makeFunctionReference<"mutation", Record<string, unknown>, string>("messages:send");
const list = makeFunctionReference<"query", Record<string, unknown>, unknown[]>("messages:list");
const sendLater = makeFunctionReference<
  "mutation",
  { channel: string; body: string; delayMs: number },
  null
>("messages:sendLater");
const scheduleAndCancel = makeFunctionReference<"mutation", { channel: string }, string>(
  "messages:scheduleAndCancel",
);
type Job = {
  _id: string;
  name: string;
  state: { kind: string };
  completedTime?: number;
  scheduledTime: number;
};
const jobs = makeFunctionReference<"query", Record<string, never>, Job[]>("messages:jobs");
const search = makeFunctionReference<"query", Record<string, unknown>, string[]>("notes:search");

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine({ dataDir: null });
});
afterAll(async () => {
  await engine.close();
});

describe("argument validation errors", () => {
  it("words a missing field, an extra field and a wrong type as Convex does", async () => {
    const client = httpClient(engine.url);
    await expect(client.mutation(send, { body: "x" })).rejects.toThrow(
      'ArgumentValidationError: Object is missing the required field `channel`. Consider wrapping the field validator in `v.optional(...)` if this is expected.\n\nObject: {body: "x"}\nValidator: v.object({blob: v.optional(v.bytes()), body: v.string(), channel: v.string(), seq: v.optional(v.int64())})',
    );
    await expect(client.mutation(send, { channel: "c", body: "x", bogus: 1 })).rejects.toThrow(
      'ArgumentValidationError: Object contains extra field `bogus` that is not in the validator.\n\nObject: {body: "x", bogus: 1.0, channel: "c"}',
    );
    await expect(client.query(list, { channel: 5 })).rejects.toThrow(
      "ArgumentValidationError: Value does not match validator.\nPath: .channel\nValue: 5.0\nValidator: v.string()",
    );
    await expect(client.query(search, { q: "x", take: "3" })).rejects.toThrow(
      /^.*ArgumentValidationError: Value does not match validator\.\nPath: \.take\nValue: "3"\nValidator: v\.float64\(\)/s,
    );
  });

  it("sends the same text over the WebSocket", async () => {
    const client = wsClient(engine.url);
    try {
      await expect(client.mutation(send, { channel: "c" })).rejects.toThrow(
        /ArgumentValidationError: Object is missing the required field `body`/,
      );
    } finally {
      await client.close();
    }
  });
});

describe("_scheduled_functions", () => {
  it("names jobs module.js:export and stamps completedTime on success and cancellation", async () => {
    const client = httpClient(engine.url);
    await client.mutation(sendLater, { channel: "sched", body: "later", delayMs: 0 });
    const canceledId = await client.mutation(scheduleAndCancel, { channel: "sched" });
    let rows: Job[] = [];
    for (let i = 0; i < 100; i++) {
      rows = await client.query(jobs, {});
      if (rows.some((r) => r.state.kind === "success")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const done = rows.find((r) => r.state.kind === "success");
    const canceled = rows.find((r) => r._id === canceledId);
    expect(done?.name).toBe("messages.js:insertInternal");
    expect(done?.completedTime).toBeGreaterThanOrEqual(done!.scheduledTime);
    expect(canceled?.state.kind).toBe("canceled");
    expect(canceled?.name).toBe("messages.js:insertInternal");
    expect(typeof canceled?.completedTime).toBe("number");
  });
});

describe("document ids", () => {
  it("are not sequential: no id tells the next one", async () => {
    const client = httpClient(engine.url);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(await client.mutation(send, { channel: "ids", body: `${i}` }));
    const digits = ids.map((id) => BigInt(/^\d+/.exec(id)![0]));
    const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]!));
    // Sequential ids step by a constant; random ones essentially never repeat a step.
    expect(steps.size).toBe(19);
    for (const d of digits) expect(d.toString().length).toBeGreaterThanOrEqual(20);
    expect(new Set(ids).size).toBe(20);
  });
});
