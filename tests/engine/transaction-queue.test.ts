/**
 * The engine's FIFO queue in front of convex-test's transaction lock
 * (`engine/transaction-queue.ts`): top-level transactions still run one at a
 * time, in the order they asked for the lock; a transaction that throws
 * (rolled back) hands the lock on; one that arrives while the queue drains
 * waits behind everyone already queued.
 */
import { convexTest } from "convex-test";
import { describe, expect, it } from "vitest";
import { installHooks } from "../../engine/internals";

installHooks();

const modules = { "/q/_generated/api.js": async () => ({}) };

describe("transaction queue", () => {
  it("runs queued transactions one at a time, in arrival order, past a rollback", async () => {
    const t = convexTest(undefined, modules);
    let inside = 0;
    let maxInside = 0;
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const enter = () => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
    };
    const first = t.run(async (ctx) => {
      enter();
      await held;
      await ctx.db.insert("rows", { n: -1 });
      inside -= 1;
    });
    let late: Promise<unknown> | null = null;
    const queued = Array.from({ length: 200 }, (_, i) =>
      t.run(async (ctx) => {
        enter();
        order.push(String(i));
        if (i === 0) late = t.run(async () => void order.push("late"));
        await ctx.db.insert("rows", { n: i });
        await Promise.resolve();
        inside -= 1;
        if (i === 50) throw new Error("rolled back");
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    release();
    const results = await Promise.allSettled([first, ...queued]);
    await late;
    expect(maxInside).toBe(1);
    expect(order).toEqual([...Array.from({ length: 200 }, (_, i) => String(i)), "late"]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    const rows = await t.run(async (ctx) => await ctx.db.query("rows").collect());
    const ns = rows.map((r) => r.n as number);
    expect(ns).toHaveLength(200);
    expect(ns).not.toContain(50);
  });
});
