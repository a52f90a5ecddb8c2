/**
 * Errors reach clients the way Convex sends them, and bad input never takes
 * the engine down: ConvexError data passes through, internal functions are
 * refused as "Could not find public function", unknown paths and arguments
 * that fail validators get clear errors, malformed protocol messages get a
 * FatalError on that socket only — other clients keep being served.
 */

import { makeFunctionReference } from "convex/server";
import { ConvexError, type Value } from "convex/values";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine, wsClient } from "./helpers";

const refuse = makeFunctionReference<"mutation", Record<string, never>, null>("messages:refuse");
const maybeFail = makeFunctionReference<"query", { fail: boolean }, string>("messages:maybeFail");
const internalInsert = makeFunctionReference<"mutation", { channel: string; body: string }, null>(
  "messages:insertInternal",
);
const missing = makeFunctionReference<"query", Record<string, never>, null>(
  "messages:doesNotExist",
);
const send = makeFunctionReference<"mutation", { channel: string; body: unknown }, string>(
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

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Open a raw sync socket and collect what the server sends until it closes. */
function rawSocket(url: string, frames: string[]): Promise<Array<Record<string, unknown>>> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/api/1.48.0/sync`);
    const got: Array<Record<string, unknown>> = [];
    ws.on("open", () => {
      for (const f of frames) ws.send(f);
    });
    ws.on("message", (d) => got.push(JSON.parse(d.toString()) as Record<string, unknown>));
    ws.on("close", () => ok(got));
    ws.on("error", fail);
    setTimeout(() => ws.close(), 3000);
  });
}

describe("errors", () => {
  it("passes ConvexError data through over WebSocket and HTTP", async () => {
    const client = wsClient(engine.url);
    try {
      const e = await caught(client.mutation(refuse, {}));
      expect(e).toBeInstanceOf(ConvexError);
      expect((e as ConvexError<Value>).data).toEqual({
        code: "FORBIDDEN",
        message: "not today",
        details: { n: 1 },
      });
      const q = await caught(client.query(maybeFail, { fail: true }));
      expect((q as ConvexError<Value>).data).toEqual({
        code: "NOT_FOUND",
        message: "nothing here",
      });
    } finally {
      await client.close();
    }
    const h = await caught(httpClient(engine.url).mutation(refuse, {}));
    expect(h).toBeInstanceOf(ConvexError);
    expect((h as ConvexError<{ code: string }>).data.code).toBe("FORBIDDEN");
  });

  it("refuses internal functions as Convex does", async () => {
    const client = wsClient(engine.url);
    try {
      await expect(client.mutation(internalInsert, { channel: "x", body: "y" })).rejects.toThrow(
        /Could not find public function for 'messages:insertInternal'/,
      );
    } finally {
      await client.close();
    }
    await expect(
      httpClient(engine.url).mutation(internalInsert, { channel: "x", body: "y" }),
    ).rejects.toThrow(/Could not find public function/);
    expect(await httpClient(engine.url).query(list, { channel: "x" })).toEqual([]);
  });

  it("names unknown functions, wrong kinds and failing validators", async () => {
    const http = httpClient(engine.url);
    await expect(http.query(missing, {})).rejects.toThrow(
      /Could not find public function for 'messages:doesNotExist'/,
    );
    await expect(http.query(makeFunctionReference<"query">("nope/deeper:fn"), {})).rejects.toThrow(
      /Could not find public function/,
    );
    await expect(http.query(makeFunctionReference<"query">("messages:send"), {})).rejects.toThrow(
      /as query, but it is defined as mutation/,
    );
    await expect(http.mutation(send, { channel: "v", body: 42 })).rejects.toThrow(
      /Validator error|body/,
    );
  });

  it("answers malformed HTTP bodies with 400 and keeps serving", async () => {
    const bad = await fetch(`${engine.url}/api/query`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    const noPath = await fetch(`${engine.url}/api/query`, {
      method: "POST",
      body: JSON.stringify({ args: {} }),
    });
    expect(noPath.status).toBe(400);
    expect(await httpClient(engine.url).query(maybeFail, { fail: false })).toBe("fine");
  });

  it("sends a FatalError for malformed protocol messages and keeps serving other clients", async () => {
    const healthy = wsClient(engine.url);
    try {
      expect(await healthy.query(maybeFail, { fail: false })).toBe("fine");
      for (const frame of ["not json", "[1,2]", JSON.stringify({ type: "Bogus" })]) {
        const got = await rawSocket(engine.url, [frame]);
        expect(got.find((m) => m.type === "FatalError")?.error).toMatch(/Malformed/);
      }
      const wrongBase = await rawSocket(engine.url, [
        JSON.stringify({
          type: "ModifyQuerySet",
          baseVersion: 7,
          newVersion: 8,
          modifications: [],
        }),
      ]);
      expect(wrongBase.find((m) => m.type === "FatalError")?.error).toMatch(/base version/);
      const badMutation = await rawSocket(engine.url, [
        JSON.stringify({ type: "Mutation", requestId: "x" }),
      ]);
      expect(badMutation.find((m) => m.type === "FatalError")?.error).toMatch(/requestId/);
      // The healthy client is unaffected, subscriptions and mutations included.
      await healthy.mutation(send, { channel: "after", body: "still here" });
      expect(await healthy.query(list, { channel: "after" })).toHaveLength(1);
    } finally {
      await healthy.close();
    }
  });

  it("returns what functions print as logLines", async () => {
    const res = await fetch(`${engine.url}/api/mutation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        path: "messages:noisy",
        args: [{ text: "hi" }],
        format: "convex_encoded_json",
      }),
    });
    const body = (await res.json()) as { status: string; value: string; logLines: string[] };
    expect(body).toEqual({
      status: "success",
      value: "hi",
      logLines: ["[LOG] 'said' 'hi'", "[WARN] { level: 2 }"],
    });
  });
});
