/**
 * `npm run embeddings:backfill` against the embedded engine by URL: the first
 * run makes the local key serve and fills it; after the deployment is
 * configured for an OpenAI-compatible endpoint (a loopback fake) the second
 * run backfills the new key with progress and ends when it serves and the
 * old vectors are gone; `--status` reports both keys.
 */
import type { UserIdentity } from "convex/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Engine, startEngine } from "../../engine/engine";
import { runEmbeddingsCli } from "../../scripts/embeddings";
import { type FakeEmbeddingsServer, startFakeEmbeddings } from "./fakeEmbeddingsServer";
import { profileOf } from "./people";

const TOKEN = "embeddings-cli-token";
const PEOPLE = 5;
let engine: Engine;
let fake: FakeEmbeddingsServer;

beforeAll(async () => {
  process.env.CONNVO_ADMIN_TOKEN = TOKEN;
  fake = await startFakeEmbeddings();
  engine = await startEngine({
    port: 0,
    sitePort: null,
    dataDir: null,
    crons: false,
    logLevel: "error",
  });
  for (let i = 0; i < PEOPLE; i++) {
    const who = { ...engine.devIdentity(`cli-${i}`), name: `Person ${i}` } as UserIdentity;
    await engine.run("profiles:update", profileOf(`Person ${i}`), who);
  }
});
afterAll(async () => {
  await engine?.close();
  await fake?.close();
  for (const k of [
    "CONNVO_ADMIN_TOKEN",
    "EMBEDDINGS_PROVIDER",
    "EMBEDDINGS_URL",
    "EMBEDDINGS_API_KEY",
  ])
    delete process.env[k];
});

describe("npm run embeddings:backfill", () => {
  test("fills the local key, then backfills a new key to the switch", async () => {
    const first: string[] = [];
    await runEmbeddingsCli({
      url: engine.url,
      token: TOKEN,
      mode: "backfill",
      log: (l) => first.push(l),
      timeoutMs: 30_000,
    });
    expect(first[0]).toBe(`embedding ${PEOPLE} profiles for local-hash@v1 on ${engine.url}`);
    expect(first.at(-1)).toMatch(/^done: local-hash@v1 serves \(5 profiles/);
    process.env.EMBEDDINGS_PROVIDER = "openai";
    process.env.EMBEDDINGS_URL = fake.baseUrl;
    process.env.EMBEDDINGS_API_KEY = fake.apiKey;
    const second: string[] = [];
    await runEmbeddingsCli({
      url: engine.url,
      token: TOKEN,
      mode: "backfill",
      log: (l) => second.push(l),
      timeoutMs: 30_000,
    });
    expect(second[0]).toBe(
      `embedding ${PEOPLE} profiles for openai:text-embedding-3-small@256 on ${engine.url}`,
    );
    expect(second.at(-1)).toMatch(/^done: openai:text-embedding-3-small@256 serves \(5 profiles/);
    expect(fake.requests.length).toBeGreaterThan(0);
    const status: string[] = [];
    await runEmbeddingsCli({
      url: engine.url,
      token: TOKEN,
      mode: "status",
      log: (l) => status.push(l),
    });
    expect(status).toEqual([
      "configured: openai:text-embedding-3-small@256",
      "local-hash@v1: retired, 5 backfilled, 0 failed steps, 5 deleted",
      "openai:text-embedding-3-small@256: serving, 5 backfilled, 0 failed steps, 0 deleted",
    ]);
  });

  test("a refused token is an error that says what to do", async () => {
    await expect(
      runEmbeddingsCli({ url: engine.url, token: "wrong", mode: "status", log: () => {} }),
    ).rejects.toThrow(/wrong operator token/);
  });
});
