/**
 * The OpenAI-compatible embeddings client against a fake server on loopback
 * that checks the request shape and fails like the provider: 429 (with
 * Retry-After) and 5xx are retried, then succeed or surface as retryable
 * errors; a hang times out; 4xx and malformed answers fail at once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  embeddingsUrl,
  MAX_INPUTS_PER_REQUEST,
  openAiEmbeddingProvider,
  openAiModelKey,
} from "../../projections/matching/embeddings/openAi";
import { EmbeddingProviderError } from "../../projections/matching/embeddings/provider";
import { type FakeEmbeddingsServer, fakeVector, startFakeEmbeddings } from "./fakeEmbeddingsServer";

let fake: FakeEmbeddingsServer;
beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.script.length = 0;
});

function client(over: Partial<Parameters<typeof openAiEmbeddingProvider>[0]> = {}) {
  return openAiEmbeddingProvider({
    baseUrl: fake.baseUrl,
    apiKey: fake.apiKey,
    model: "text-embedding-3-small",
    backoffMs: 5,
    timeoutMs: 500,
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<EmbeddingProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EmbeddingProviderError) return e;
    throw e;
  }
  throw new Error("expected a provider error");
}

describe("OpenAI-compatible embeddings client", () => {
  test("sends OpenAI's request shape and returns vectors in input order", async () => {
    const vectors = await client().embed(["alpha", "beta"]);
    expect(vectors).toEqual([fakeVector("alpha", 256), fakeVector("beta", 256)]);
    expect(fake.requests).toEqual([
      {
        method: "POST",
        path: "/v1/embeddings",
        authorization: `Bearer ${fake.apiKey}`,
        contentType: "application/json",
        body: {
          model: "text-embedding-3-small",
          input: ["alpha", "beta"],
          dimensions: 256,
          encoding_format: "float",
        },
      },
    ]);
  });

  test("batches large inputs; the model key names model, dimensions and version", async () => {
    const texts = Array.from({ length: MAX_INPUTS_PER_REQUEST + 3 }, (_, i) => `t${i}`);
    const out = await client().embed(texts);
    expect(out).toHaveLength(texts.length);
    expect(out[MAX_INPUTS_PER_REQUEST + 2]).toEqual(
      fakeVector(`t${MAX_INPUTS_PER_REQUEST + 2}`, 256),
    );
    expect(fake.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([
      MAX_INPUTS_PER_REQUEST,
      3,
    ]);
    expect(client({ version: "2" }).modelKey).toBe("openai:text-embedding-3-small@256-2");
    expect(openAiModelKey({ model: "m" })).toBe("openai:m@256");
    expect(embeddingsUrl("https://x.io/v1/")).toBe("https://x.io/v1/embeddings");
  });

  test("429 and 5xx are retried with back-off, then succeed", async () => {
    fake.script.push("429", "500", "503");
    const v = await client({ maxAttempts: 4 }).embed(["x"]);
    expect(v).toEqual([fakeVector("x", 256)]);
    expect(fake.requests).toHaveLength(4);
  });

  test("after the last attempt a rate limit surfaces as a retryable error with the status", async () => {
    fake.script.push("429", "429", "429");
    const e = await failure(client({ maxAttempts: 3 }).embed(["x"]));
    expect(e).toMatchObject({ retryable: true, status: 429, retryAfterMs: 20 });
    expect(fake.requests).toHaveLength(3);
  });

  test("a hung request times out (retryable)", async () => {
    fake.script.push("hang");
    const e = await failure(client({ maxAttempts: 1, timeoutMs: 100 }).embed(["x"]));
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/did not answer within 100 ms/);
  });

  test("a wrong key, a 400, a malformed answer and a wrong dimension count fail without retrying", async () => {
    const wrongKey = await failure(client({ apiKey: "nope", maxAttempts: 3 }).embed(["x"]));
    expect(wrongKey).toMatchObject({ retryable: false, status: 401 });
    for (const mode of ["400", "malformed", "wrong-dims"] as const) {
      fake.requests.length = 0;
      fake.script.push(mode);
      const e = await failure(client({ maxAttempts: 3 }).embed(["x"]));
      expect(e.retryable, mode).toBe(false);
      expect(fake.requests, mode).toHaveLength(1);
    }
  });

  test("an unreachable endpoint is a retryable error", async () => {
    const e = await failure(client({ baseUrl: "http://127.0.0.1:9", maxAttempts: 1 }).embed(["x"]));
    expect(e.retryable).toBe(true);
  });
});
