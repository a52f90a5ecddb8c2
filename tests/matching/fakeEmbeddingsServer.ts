/**
 * A fake OpenAI-compatible embeddings server on loopback for tests: it checks
 * the request shape as OpenAI's API does (POST /v1/embeddings, Bearer key,
 * JSON body with `model`, `input` as a string array, `dimensions`,
 * `encoding_format`), answers like it (`{object: "list", data: [{object:
 * "embedding", index, embedding}], model, usage}`) and fails like it on
 * demand: 429 with `retry-after-ms`, 500/503, a hang (timeout), a malformed
 * answer, or a wrong dimension count.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the next request is answered. */
export type FakeMode = "ok" | "429" | "500" | "503" | "hang" | "malformed" | "wrong-dims" | "400";

/** One request the server received. */
export type FakeRequest = {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
};

/** A running fake. */
export type FakeEmbeddingsServer = {
  baseUrl: string;
  apiKey: string;
  requests: FakeRequest[];
  /** Modes for the next requests, in order; "ok" once empty. */
  script: FakeMode[];
  close(): Promise<void>;
};

/** The fake's vector for a text: deterministic, unit length, different from the local provider. */
export function fakeVector(text: string, dimensions: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const v = Array.from({ length: dimensions }, (_, i) => Math.sin(h * 0.0001 + i * 1.7));
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, message: string, type: string) {
  reply(res, status, { error: { message, type, param: null, code: null } });
}

/** Start the fake on 127.0.0.1 (random port). */
export async function startFakeEmbeddings(apiKey = "sk-test-key"): Promise<FakeEmbeddingsServer> {
  const requests: FakeRequest[] = [];
  const script: FakeMode[] = [];
  const hanging = new Set<ServerResponse>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: unknown = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = null;
    }
    requests.push({
      method: req.method ?? "",
      path: req.url ?? "",
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      body,
    });
    if (req.method !== "POST" || req.url !== "/v1/embeddings")
      return error(res, 404, "not found", "invalid_request_error");
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return error(res, 401, "Incorrect API key provided", "invalid_request_error");
    const b = body as {
      model?: unknown;
      input?: unknown;
      dimensions?: unknown;
      encoding_format?: unknown;
    } | null;
    if (
      !b ||
      typeof b.model !== "string" ||
      !Array.isArray(b.input) ||
      !b.input.every((x) => typeof x === "string") ||
      typeof b.dimensions !== "number" ||
      b.encoding_format !== "float" ||
      !String(req.headers["content-type"]).startsWith("application/json")
    )
      return error(res, 400, "malformed request", "invalid_request_error");
    const mode = script.shift() ?? "ok";
    if (mode === "hang") {
      hanging.add(res);
      return;
    }
    if (mode === "429")
      return reply(
        res,
        429,
        { error: { message: "Rate limit reached", type: "requests" } },
        { "retry-after-ms": "20" },
      );
    if (mode === "500" || mode === "503")
      return error(res, Number(mode), "The server had an error", "server_error");
    if (mode === "400") return error(res, 400, "bad input", "invalid_request_error");
    if (mode === "malformed") return reply(res, 200, { object: "list", data: "nope" });
    const dims = mode === "wrong-dims" ? b.dimensions - 1 : b.dimensions;
    const inputs = b.input as string[];
    reply(res, 200, {
      object: "list",
      data: inputs.map((text, index) => ({
        object: "embedding",
        index,
        embedding: fakeVector(text, dims),
      })),
      model: b.model,
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
    });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => error(res, 500, "fake crashed", "server_error"));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    script,
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
