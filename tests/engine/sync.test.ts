/**
 * The WebSocket sync protocol with the unmodified `ConvexClient`:
 * subscriptions get fresh results after mutations and after scheduled
 * functions commit, and a mutation resolves only once its write is visible.
 */
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { startFixtureEngine, waitFor, wsClient } from "./helpers";

type Msg = { body: string; author: string | null; blob: ArrayBuffer | null; seq: bigint | null };
const list = makeFunctionReference<"query", { channel: string }, Msg[]>("messages:list");
const count = makeFunctionReference<"query", Record<string, never>, number>("messages:count");
const send = makeFunctionReference<
  "mutation",
  { channel: string; body: string; blob?: ArrayBuffer; seq?: bigint },
  string
>("messages:send");
const sendLater = makeFunctionReference<
  "mutation",
  { channel: string; body: string; delayMs: number },
  null
>("messages:sendLater");

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine();
});
afterAll(async () => {
  await engine.close();
});

describe("sync protocol", () => {
  it("pushes the new result to a subscriber after another client's mutation", async () => {
    const reader = wsClient(engine.url);
    const writer = wsClient(engine.url);
    try {
      const seen = waitFor<Msg[]>(
        (cb) => reader.onUpdate(list, { channel: "a" }, cb),
        (rows) => rows.some((r) => r.body === "hi"),
      );
      await writer.mutation(send, { channel: "a", body: "hi" });
      expect((await seen).map((r) => r.body)).toEqual(["hi"]);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it("pushes results committed by a scheduled function", async () => {
    const client = wsClient(engine.url);
    try {
      const seen = waitFor<Msg[]>(
        (cb) => client.onUpdate(list, { channel: "later" }, cb),
        (rows) => rows.length === 1,
      );
      await client.mutation(sendLater, {
        channel: "later",
        body: "from the scheduler",
        delayMs: 50,
      });
      expect((await seen)[0]?.body).toBe("from the scheduler");
    } finally {
      await client.close();
    }
  });

  it("resolves a mutation only after its write is visible to the client's queries", async () => {
    const client = wsClient(engine.url);
    try {
      let latest: Msg[] = [];
      const unsubscribe = client.onUpdate(list, { channel: "ryw" }, (rows) => {
        latest = rows;
      });
      await waitFor<Msg[]>(
        (cb) => client.onUpdate(list, { channel: "ryw" }, cb),
        () => true,
      );
      for (let i = 0; i < 5; i++) {
        await client.mutation(send, { channel: "ryw", body: `m${i}` });
        expect(latest.map((r) => r.body)).toContain(`m${i}`);
        expect(client.client.localQueryResult("messages:list", { channel: "ryw" })).toHaveLength(
          i + 1,
        );
      }
      unsubscribe();
    } finally {
      await client.close();
    }
  });

  it("round-trips bytes and bigints through the protocol", async () => {
    const client = wsClient(engine.url);
    try {
      const blob = new Uint8Array([0, 1, 2, 255]).buffer;
      await client.mutation(send, { channel: "bin", body: "b", blob, seq: 2n ** 40n });
      const rows = await client.query(list, { channel: "bin" });
      expect(new Uint8Array(rows[0]!.blob!)).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(rows[0]!.seq).toBe(2n ** 40n);
    } finally {
      await client.close();
    }
  });

  it("re-runs only subscriptions whose reads intersect a commit", async () => {
    const client = wsClient(engine.url);
    try {
      await client.query(list, { channel: "quiet" });
      const updates: number[] = [];
      const unsubscribe = client.onUpdate(list, { channel: "quiet" }, (rows) =>
        updates.push(rows.length),
      );
      const counts: number[] = [];
      const stopCount = client.onUpdate(count, {}, (n) => counts.push(n));
      await waitFor<number>(
        (cb) => client.onUpdate(count, {}, cb),
        () => true,
      );
      const runsBefore = engine.stats().queryRuns;
      await client.mutation(send, { channel: "elsewhere", body: "x" });
      // The channel-scoped query is untouched; only the full-table count reruns.
      expect(engine.stats().queryRuns - runsBefore).toBe(1);
      expect(updates.every((n) => n === 0)).toBe(true);
      expect(counts.at(-1)).toBeGreaterThan(0);
      stopCount();
      unsubscribe();
    } finally {
      await client.close();
    }
  });

  it("serves the unmodified ConvexReactClient too", async () => {
    const { ConvexReactClient } = await import("convex/react");
    const { default: WebSocket } = await import("ws");
    const client = new ConvexReactClient(engine.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      unsavedChangesWarning: false,
      logger: false,
    });
    try {
      const watch = client.watchQuery(list, { channel: "react" });
      const seen = new Promise<Msg[]>((ok) => {
        const stop = watch.onUpdate(() => {
          const rows = watch.localQueryResult();
          if (rows?.some((r) => r.body === "from react")) {
            stop();
            ok(rows);
          }
        });
      });
      await client.mutation(send, { channel: "react", body: "from react" });
      expect((await seen).map((r) => r.body)).toEqual(["from react"]);
    } finally {
      await client.close();
    }
  });

  it("re-runs a .take(n) subscription only for writes inside the part of the range it read", async () => {
    const between = makeFunctionReference<
      "query",
      { channel: string; order: "asc" | "desc"; take?: number },
      string[]
    >("messages:between");
    const client = wsClient(engine.url);
    try {
      for (const seq of [10n, 20n, 30n])
        await client.mutation(send, { channel: "ext", body: `s${seq}`, seq });
      const seen: string[][] = [];
      const stop = client.onUpdate(between, { channel: "ext", order: "asc", take: 2 }, (r) =>
        seen.push(r),
      );
      await waitFor<string[]>(
        (cb) => client.onUpdate(between, { channel: "ext", order: "asc", take: 2 }, cb),
        () => true,
      );
      const runs = engine.stats().queryRuns;
      // Past the second row: Convex's read set ends there, so no rerun.
      await client.mutation(send, { channel: "ext", body: "s40", seq: 40n });
      expect(engine.stats().queryRuns).toBe(runs);
      // Inside it: rerun with the new first row.
      await client.mutation(send, { channel: "ext", body: "s5", seq: 5n });
      expect(engine.stats().queryRuns).toBe(runs + 1);
      expect(seen.at(-1)).toEqual(["s5", "s10"]);
      stop();
    } finally {
      await client.close();
    }
  });
});
