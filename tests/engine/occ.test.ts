/**
 * Conflict-simulation mode: concurrent read-modify-writes of one document
 * conflict and are retried until they all apply (as Convex's OCC does);
 * writes to different documents, and blind inserts, never conflict; the
 * counters name the function, document and table; without the mode nothing
 * is counted.
 */
import { makeFunctionReference } from "convex/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine } from "./helpers";

const incr = makeFunctionReference<"mutation", { name: string }, number>("counters:incr");
const get = makeFunctionReference<"query", { name: string }, number>("counters:get");
const send = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine({ occ: true, dataDir: null });
});
afterAll(async () => {
  await engine.close();
});

describe("OCC simulation", () => {
  it("retries concurrent read-modify-writes of one document until every one applies", async () => {
    const before = engine.occStats();
    // Five calls in one tick: all open their window before the first commits.
    const results = (await Promise.all(
      Array.from({ length: 5 }, () => engine.run("counters:incr", { name: "hot" })),
    )) as number[];
    expect([...results].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await httpClient(engine.url).query(get, { name: "hot" })).toBe(5);
    const after = engine.occStats();
    expect(after.conflicts - before.conflicts).toBeGreaterThan(0);
    expect(after.retries - before.retries).toBe(after.conflicts - before.conflicts);
    expect(after.failures).toBe(0);
    expect(after.byFunction["counters:incr"]).toBeGreaterThan(0);
    expect(after.byTable.counters).toBeGreaterThan(0);
    expect(Object.keys(after.byDocument).some((id) => id.endsWith("counters"))).toBe(true);
  });

  it("counts no conflict for writes to different documents or blind inserts", async () => {
    const before = engine.occStats().conflicts;
    const clients = Array.from({ length: 6 }, () => httpClient(engine.url));
    await Promise.all(clients.map((c, i) => c.mutation(incr, { name: `cold-${i}` })));
    await Promise.all(clients.map((c, i) => c.mutation(send, { channel: "same", body: `${i}` })));
    expect(engine.occStats().conflicts).toBe(before);
  });

  it("fails a mutation that keeps conflicting past the retry limit, as Convex does", async () => {
    // Started in one tick, so all twelve arrive (open their window) before the first commits.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => engine.run("counters:incr", { name: "contended" })),
    );
    const failed = outcomes.filter((o) => o.status === "rejected");
    const applied = outcomes.length - failed.length;
    // FIFO retries: one writer wins per round, so the sixth and later exceed 4 retries.
    expect(failed.length).toBeGreaterThan(0);
    expect(await httpClient(engine.url).query(get, { name: "contended" })).toBe(applied);
    expect(engine.occStats().failures).toBe(failed.length);
    for (const f of failed)
      expect(String((f as PromiseRejectedResult).reason)).toMatch(/changed while this mutation/);
  });

  it("counts nothing when the mode is off", async () => {
    const plain = await startFixtureEngine({ dataDir: null });
    try {
      const clients = Array.from({ length: 5 }, () => httpClient(plain.url));
      await Promise.all(clients.map((c) => c.mutation(incr, { name: "hot" })));
      expect(plain.occStats().conflicts).toBe(0);
    } finally {
      await plain.close();
    }
  });
});

/**
 * Property (OCC mode): for any batch of concurrent read-modify-writes over a
 * few counters, every call that resolved was applied exactly once (final
 * value = successes per counter), failures are exactly those the counters
 * report, and a batch whose counters each have a single writer has no
 * conflict. Bounded: ≤ 10 calls over 3 names; numRuns 25.
 */
describe("OCC simulation (property)", () => {
  it("applies every successful call once; single-writer batches never conflict", async () => {
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 10 }),
        async (picks) => {
          batch += 1;
          const names = picks.map((p) => `p${batch}-${p}`);
          const before = engine.occStats();
          const outcomes = await Promise.allSettled(
            names.map((name) => engine.run("counters:incr", { name })),
          );
          const after = engine.occStats();
          const http = httpClient(engine.url);
          for (const name of new Set(names)) {
            const ok = outcomes.filter(
              (o, i) => names[i] === name && o.status === "fulfilled",
            ).length;
            expect(await http.query(get, { name })).toBe(ok);
          }
          const failed = outcomes.filter((o) => o.status === "rejected").length;
          expect(after.failures - before.failures).toBe(failed);
          const single = new Set(names.filter((n) => names.filter((m) => m === n).length === 1));
          if (single.size === new Set(names).size) expect(after.conflicts).toBe(before.conflicts);
        },
      ),
      { numRuns: 25 },
    );
  });
});
