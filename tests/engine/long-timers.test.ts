/**
 * Functions scheduled further ahead than Node keeps a timer (2^31 - 1 ms, about 24.8 days) wait
 * for their time: convex-test's scheduler (patched, `patches/convex-test+0.0.60.patch`) and the
 * engine's re-arm after a restart (`engine/scheduled.ts` `armAt`). Unpatched, Node fires such a
 * timer after 1 ms, so a meeting reminder a month ahead was sent at once.
 */
import { makeFunctionReference, mutationGeneric } from "convex/server";
import { convexTest } from "convex-test";
import { describe, expect, it } from "vitest";
import { installHooks } from "../../engine/internals";
import { armAt, MAX_TIMER_MS } from "../../engine/scheduled";

installHooks();

const DAY_MS = 86_400_000;
const ran: string[] = [];
const note = makeFunctionReference<"mutation", { what: string }>("jobs:note");
const modules = {
  "/q/_generated/api.js": async () => ({}),
  "/q/jobs.js": async () => ({
    note: mutationGeneric(async (_ctx, { what }: { what: string }) => {
      ran.push(what);
    }),
    plan: mutationGeneric(async (ctx) => {
      await ctx.scheduler.runAfter(40 * DAY_MS, note, { what: "in 40 days" });
      await ctx.scheduler.runAfter(10, note, { what: "in 10 ms" });
    }),
  }),
};
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("scheduled functions further ahead than a Node timer", () => {
  it("convex-test's scheduler runs a job 40 days ahead in 40 days, not now", async () => {
    const t = convexTest(undefined, modules);
    await t.mutation(makeFunctionReference<"mutation">("jobs:plan"), {});
    await settle(300);
    expect(ran).toEqual(["in 10 ms"]);
    const jobs = await t.run(
      async (ctx) => await ctx.db.system.query("_scheduled_functions").collect(),
    );
    const later = jobs.find((j) => j.args[0]?.what === "in 40 days");
    expect(later?.state.kind).toBe("pending");
  });

  it("the engine's re-arm waits in steps and fires at the time", async () => {
    const timers: NodeJS.Timeout[] = [];
    let fired = 0;
    armAt(Date.now() + 2 * MAX_TIMER_MS, timers, () => {
      fired += 1;
    });
    armAt(Date.now() + 20, timers, () => {
      fired += 10;
    });
    await settle(200);
    for (const t of timers) clearTimeout(t);
    expect(fired).toBe(10);
  });
});
