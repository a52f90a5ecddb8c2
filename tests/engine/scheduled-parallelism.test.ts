/**
 * The engine's bound on scheduled functions running at once
 * (`engine/scheduled-parallelism.ts`): 40 jobs due together run at most
 * `SCHEDULED_JOB_PARALLELISM` at a time, in the order they were scheduled,
 * and every one of them runs to `success`; a canceled job gives its slot back.
 */
import { actionGeneric, makeFunctionReference, mutationGeneric } from "convex/server";
import { convexTest } from "convex-test";
import { describe, expect, it } from "vitest";
import { installHooks } from "../../engine/internals";
import { SCHEDULED_JOB_PARALLELISM } from "../../engine/scheduled-parallelism";

installHooks();

let running = 0;
let maxRunning = 0;
const started: number[] = [];

const work = makeFunctionReference<"action", { i: number }>("jobs:work");
const modules = {
  "/q/_generated/api.js": async () => ({}),
  "/q/jobs.js": async () => ({
    work: actionGeneric(async (_ctx, { i }: { i: number }) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      started.push(i);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
    }),
    fanOut: mutationGeneric(async (ctx, { n, cancel }: { n: number; cancel: number[] }) => {
      for (let i = 0; i < n; i++) {
        const id = await ctx.scheduler.runAfter(0, work, { i });
        if (cancel.includes(i)) await ctx.scheduler.cancel(id);
      }
    }),
  }),
};

describe("scheduled parallelism", () => {
  it("runs due jobs at most SCHEDULED_JOB_PARALLELISM at a time, in order, all to success", async () => {
    const t = convexTest(undefined, modules);
    const fanOut = makeFunctionReference<"mutation", { n: number; cancel: number[] }>(
      "jobs:fanOut",
    );
    await t.mutation(fanOut, { n: 40, cancel: [3, 17] });
    await t.finishAllScheduledFunctions(() => {});
    expect(maxRunning).toBe(SCHEDULED_JOB_PARALLELISM);
    const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 3 && i !== 17);
    expect(started).toEqual(expected);
    const jobs = await t.run(
      async (ctx) => await ctx.db.system.query("_scheduled_functions").collect(),
    );
    const states = jobs.map((j) => j.state.kind).sort();
    expect(states.filter((s) => s === "success")).toHaveLength(38);
    expect(states.filter((s) => s === "canceled")).toHaveLength(2);
  });
});
