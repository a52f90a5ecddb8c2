/**
 * Data survives a restart (journal + snapshot, bytes and bigints included),
 * `reset` starts empty, pending scheduled functions run after a restart,
 * a dropped connection reconnects and resubscribes, HTTP actions and crons
 * run.
 */
import { makeFunctionReference } from "convex/server";
import { describe, expect, it } from "vitest";
import { httpClient, startFixtureEngine, tempDataDir, waitFor, wsClient } from "./helpers";

type Msg = { body: string; blob: ArrayBuffer | null; seq: bigint | null };
const list = makeFunctionReference<"query", { channel: string }, Msg[]>("messages:list");
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
const counter = makeFunctionReference<"query", { name: string }, number>("counters:get");
const readVia = makeFunctionReference<"action", { name: string }, number>("counters:readVia");

describe("persistence", () => {
  it("keeps documents across a restart, ids and bytes included, and starts empty with reset", async () => {
    const dataDir = tempDataDir();
    const first = await startFixtureEngine({ dataDir });
    const http = httpClient(first.url);
    const id = await http.mutation(send, {
      channel: "p",
      body: "kept",
      blob: new Uint8Array([9, 8]).buffer,
      seq: 7n,
    });
    await http.mutation(send, { channel: "p", body: "kept too" });
    await first.close();

    const second = await startFixtureEngine({ dataDir });
    try {
      const rows = await httpClient(second.url).query(list, { channel: "p" });
      expect(rows.map((r) => r.body)).toEqual(["kept", "kept too"]);
      expect(new Uint8Array(rows[0]!.blob!)).toEqual(new Uint8Array([9, 8]));
      expect(rows[0]!.seq).toBe(7n);
      // New ids never reuse old ones.
      const next = await httpClient(second.url).mutation(send, { channel: "p", body: "new" });
      expect(next).not.toBe(id);
    } finally {
      await second.close();
    }

    const third = await startFixtureEngine({ dataDir, reset: true });
    try {
      expect(await httpClient(third.url).query(list, { channel: "p" })).toEqual([]);
    } finally {
      await third.close();
    }
  });

  it("replays the journal when the engine stopped without a snapshot", async () => {
    const dataDir = tempDataDir();
    const first = await startFixtureEngine({ dataDir });
    await httpClient(first.url).mutation(send, { channel: "crash", body: "journaled" });
    // Simulate a crash: a copy of the data dir taken before close() snapshots.
    const { cpSync } = await import("node:fs");
    const crashed = tempDataDir();
    cpSync(dataDir, crashed, { recursive: true });
    await first.close();
    const second = await startFixtureEngine({ dataDir: crashed });
    try {
      expect(
        (await httpClient(second.url).query(list, { channel: "crash" })).map((r) => r.body),
      ).toEqual(["journaled"]);
    } finally {
      await second.close();
    }
  });

  it("runs a scheduled function that was pending when the engine stopped", async () => {
    const dataDir = tempDataDir();
    const first = await startFixtureEngine({ dataDir });
    await httpClient(first.url).mutation(sendLater, {
      channel: "s",
      body: "after restart",
      delayMs: 1500,
    });
    await first.close();
    const second = await startFixtureEngine({ dataDir });
    const client = wsClient(second.url);
    try {
      const rows = await waitFor<Msg[]>(
        (cb) => client.onUpdate(list, { channel: "s" }, cb),
        (r) => r.length === 1,
      );
      expect(rows[0]!.body).toBe("after restart");
    } finally {
      await client.close();
      await second.close();
    }
  });
});

describe("connections", () => {
  it("reconnects after a dropped connection and resubscribes", async () => {
    const engine = await startFixtureEngine();
    const client = wsClient(engine.url);
    try {
      const updates: number[] = [];
      client.onUpdate(list, { channel: "r" }, (rows) => updates.push(rows.length));
      await waitFor<Msg[]>(
        (cb) => client.onUpdate(list, { channel: "r" }, cb),
        () => true,
      );
      // Drop every server-side socket.
      const sessionsBefore = engine.stats().sessions;
      expect(sessionsBefore).toBe(1);
      engine.dropConnections();
      await httpClient(engine.url).mutation(send, { channel: "r", body: "while away" });
      await waitFor<Msg[]>(
        (cb) => client.onUpdate(list, { channel: "r" }, cb),
        (r) => r.length === 1,
      );
      expect(updates.at(-1)).toBe(1);
      expect(engine.stats().sessions).toBe(1);
      // And it still gets live updates on the new connection.
      await httpClient(engine.url).mutation(send, { channel: "r", body: "live" });
      await waitFor<Msg[]>(
        (cb) => client.onUpdate(list, { channel: "r" }, cb),
        (r) => r.length === 2,
      );
    } finally {
      await client.close();
      await engine.close();
    }
  });
});

describe("HTTP actions and crons", () => {
  it("serves convex/http.ts routes on the site URL and under /http of the API URL", async () => {
    const engine = await startFixtureEngine();
    try {
      const a = await fetch(`${engine.siteUrl}/hello?name=site`);
      expect(await a.text()).toBe("hello site");
      const b = await fetch(`${engine.url}/http/hello?name=prefix`);
      expect(await b.text()).toBe("hello prefix");
      expect((await fetch(`${engine.siteUrl}/nowhere`)).status).toBe(404);
      expect(await httpClient(engine.url).action(readVia, { name: "none" })).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it("runs crons.ts jobs on the engine's timer", async () => {
    const engine = await startFixtureEngine({ crons: true });
    const client = wsClient(engine.url);
    try {
      const n = await waitFor<number>(
        (cb) => client.onUpdate(counter, { name: "cron" }, cb),
        (v) => v >= 2,
        8000,
      );
      expect(n).toBeGreaterThanOrEqual(2);
    } finally {
      await client.close();
      await engine.close();
    }
  });
});

describe("scheduled-function retention", () => {
  it("deletes finished job records past the retention window, keeps recent and pending ones", async () => {
    const engine = await startFixtureEngine({ dataDir: null });
    const jobStates = makeFunctionReference<"query", Record<string, never>, string[]>(
      "messages:jobStates",
    );
    try {
      const http = httpClient(engine.url);
      await http.mutation(sendLater, { channel: "ret", body: "done", delayMs: 0 });
      await http.mutation(sendLater, { channel: "ret", body: "pending", delayMs: 60_000 });
      const client = wsClient(engine.url);
      await waitFor<string[]>(
        (cb) => client.onUpdate(jobStates, {}, cb),
        (s) => s.includes("success"),
      );
      await client.close();
      expect(await engine.sweepScheduledFunctions()).toBe(0); // finished just now: kept
      expect(await engine.sweepScheduledFunctions(Date.now() + 11 * 60_000)).toBe(1);
      expect(await http.query(jobStates, {})).toEqual(["pending"]);
    } finally {
      await engine.close();
    }
  });
});
