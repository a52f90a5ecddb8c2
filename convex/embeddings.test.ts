/**
 * Embeddings through the real functions: the configured OpenAI-compatible
 * provider (a loopback fake) writes vectors of its own model key; a backfill
 * to a new key keeps the old vectors serving (cycles search them) until every
 * profile has a new vector, survives a provider failure and resumes, then
 * switches and deletes the old rows; a failing re-embed is recorded and
 * retried while the old vector serves.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { LOCAL_MODEL_KEY } from "../projections/matching/embeddings/localHashed";
import { makeConvex, type TestBackend } from "../tests/harness/convex";
import {
  type FakeEmbeddingsServer,
  fakeVector,
  startFakeEmbeddings,
} from "../tests/matching/fakeEmbeddingsServer";
import { onboard, windowFrom } from "../tests/matching/people";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { textOf } from "./embeddings/store";

// Real timers here: the provider's fetch and its timeout must run on the real clock. The
// debounced embeds (5 s) are run directly instead; work scheduled at 0 runs on its own.

const TOKEN = "embeddings-test-token";
const OPENAI_KEY = "openai:text-embedding-3-small@256";
let fake: FakeEmbeddingsServer;
const ENV = ["EMBEDDINGS_PROVIDER", "EMBEDDINGS_URL", "EMBEDDINGS_API_KEY", "CONNVO_ADMIN_TOKEN"];

beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  for (const k of ENV) delete process.env[k];
  fake.script.length = 0;
});

function useOpenAi() {
  process.env.EMBEDDINGS_PROVIDER = "openai";
  process.env.EMBEDDINGS_URL = fake.baseUrl;
  process.env.EMBEDDINGS_API_KEY = fake.apiKey;
}

/** Run what is due now (backfill steps, shard chains); later work (debounces) stays queued. */
async function drainNow(t: TestBackend) {
  await t.finishAllScheduledFunctions(() => {}, 1_000);
}

/** Run a person's pending (debounced) embed at once. */
async function embedNow(t: TestBackend, userId: Id<"users">) {
  const job = await t.run(async (ctx) =>
    ctx.db
      .query("embeddingJobs")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique(),
  );
  await t.action(internal.embeddings.embed.run, { userId, token: job!.token });
}

async function vectors(t: TestBackend) {
  return await t.run(async (ctx) => await ctx.db.query("embeddings").collect());
}

async function status(t: TestBackend) {
  return await t.query(api.embeddings.status, { adminToken: TOKEN });
}

describe("embeddings", () => {
  test("the configured OpenAI-compatible provider makes the vectors of its own key", async () => {
    useOpenAi();
    const t = makeConvex();
    const { userId } = await onboard(t, "Ann");
    await embedNow(t, userId);
    const rows = await vectors(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.modelKey).toBe(OPENAI_KEY);
    const { text } = await t.run(async (ctx) => await textOf(ctx, userId));
    expect(rows[0]!.vector).toEqual(fakeVector(text, 256));
    expect(fake.requests.at(-1)?.body).toMatchObject({ input: [text], dimensions: 256 });
  });

  test("a backfill keeps the old key serving until done, resumes after a failure, then retires the old rows", async () => {
    process.env.CONNVO_ADMIN_TOKEN = TOKEN;
    const t = makeConvex();
    const people = [await onboard(t, "Ann"), await onboard(t, "Ben"), await onboard(t, "Cat")];
    for (const p of people) await embedNow(t, p.userId);
    expect((await vectors(t)).map((r) => r.modelKey)).toEqual([
      LOCAL_MODEL_KEY,
      LOCAL_MODEL_KEY,
      LOCAL_MODEL_KEY,
    ]);
    useOpenAi();
    // The provider refuses the first request outright: the backfill stops with the error.
    fake.script.push("400");
    expect(await t.mutation(api.embeddings.startBackfill, { adminToken: TOKEN })).toEqual({
      modelKey: OPENAI_KEY,
      status: "building",
    });
    await drainNow(t);
    let s = await status(t);
    expect(s.configured).toBe(OPENAI_KEY);
    expect(s.keys.find((k) => k.modelKey === LOCAL_MODEL_KEY)?.status).toBe("serving");
    const building = s.keys.find((k) => k.modelKey === OPENAI_KEY)!;
    expect(building).toMatchObject({ status: "building", backfilled: 0 });
    expect(building.lastError).toMatch(/^stopped: .*HTTP 400/);
    // Meanwhile matching searches the old vectors.
    for (const p of people.slice(0, 2))
      await p.client.mutation(api.matching.enter, {
        window: windowFrom(Date.now()),
        durationMinutes: 30,
      });
    await t.mutation(internal.matching.cycle.start, { reason: "test", force: true });
    await drainNow(t);
    const proposals = await t.run(async (ctx) => await ctx.db.query("matchProposals").collect());
    expect(proposals.map((p) => p.modelKey)).toEqual([LOCAL_MODEL_KEY]);
    // Resume: every profile gets a new vector, then the new key serves and the old rows go.
    expect(await t.mutation(api.embeddings.startBackfill, { adminToken: TOKEN })).toMatchObject({
      status: "building",
    });
    await drainNow(t);
    s = await status(t);
    expect(s.keys.find((k) => k.modelKey === OPENAI_KEY)).toMatchObject({
      status: "serving",
      backfilled: 3,
    });
    expect(s.keys.find((k) => k.modelKey === LOCAL_MODEL_KEY)).toMatchObject({
      status: "retired",
      deleted: 3,
    });
    const rows = await vectors(t);
    expect(rows.map((r) => r.modelKey)).toEqual([OPENAI_KEY, OPENAI_KEY, OPENAI_KEY]);
    // The two proposed people are not searchable; the third is not in the queue.
    expect(rows.map((r) => r.pool.endsWith("|idle"))).toEqual([true, true, true]);
    expect(
      await t.query(api.embeddings.countProfiles, { adminToken: TOKEN, cursor: null }),
    ).toMatchObject({ count: 3, done: true });
  });

  test("a retryable provider failure is recorded and retried later; the old vector keeps serving", async () => {
    useOpenAi();
    const t = makeConvex();
    const { client, userId } = await onboard(t, "Ann");
    await embedNow(t, userId);
    const [before] = await vectors(t);
    fake.script.push("500", "500", "500");
    await client.mutation(api.profiles.update, { headline: "Changed" });
    await embedNow(t, userId);
    const job = await t.run(async (ctx) =>
      ctx.db
        .query("embeddingJobs")
        .withIndex("by_user", (q) => q.eq("userId", userId))
        .unique(),
    );
    expect(job).toMatchObject({ attempts: 1 });
    expect(job?.lastError).toMatch(/HTTP 500/);
    const pending = await t.run(
      async (ctx) => await ctx.db.system.query("_scheduled_functions").collect(),
    );
    expect(
      pending.filter(
        (f) =>
          f.name.includes("embed") &&
          f.state.kind === "pending" &&
          f.scheduledTime > Date.now() + 20_000,
      ),
    ).toHaveLength(1);
    expect(await vectors(t)).toEqual([before]);
  });

  test("a re-embed that fails for one key is recorded; the other keys are still updated", async () => {
    const t = makeConvex();
    const { client, userId } = await onboard(t, "Ann");
    await embedNow(t, userId);
    const [before] = await vectors(t);
    // Switch the deployment's provider without a backfill: the serving key is still local,
    // so edits keep embedding with it; a provider for the serving key that fails is simulated
    // by a model key this deployment cannot serve.
    await t.run(async (ctx) => {
      const meta = (await ctx.db.query("vectorIndexMeta").collect())[0]!;
      await ctx.db.insert("vectorIndexMeta", {
        ...meta,
        _id: undefined,
        _creationTime: undefined,
        modelKey: "openai:gone@256",
        status: "building",
      } as never);
    });
    await client.mutation(api.profiles.update, { headline: "Changed" });
    await embedNow(t, userId);
    const job = await t.run(async (ctx) =>
      ctx.db
        .query("embeddingJobs")
        .withIndex("by_user", (q) => q.eq("userId", userId))
        .unique(),
    );
    expect(job?.lastError).toMatch(/openai:gone@256: no provider configured/);
    const after = await vectors(t);
    expect(after).toHaveLength(1);
    expect(after[0]!.modelKey).toBe(LOCAL_MODEL_KEY);
    expect(after[0]!.textHash).not.toBe(before!.textHash);
  });

  test("operator tools refuse without the token", async () => {
    const t = makeConvex();
    await expect(t.query(api.embeddings.status, { adminToken: "x" })).rejects.toThrow(
      /operator tools are off/,
    );
    process.env.CONNVO_ADMIN_TOKEN = TOKEN;
    await expect(t.mutation(api.embeddings.startBackfill, { adminToken: "wrong" })).rejects.toThrow(
      /wrong operator token/,
    );
  });
});
