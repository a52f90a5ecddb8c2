/**
 * A fake OpenAI-compatible chat-completions server on loopback (port 0). It
 * checks the request shape as the real endpoint does (method, path, bearer
 * key, JSON body with model, messages and a strict `json_schema`
 * response_format) and answers 400 when it is wrong; it fails like the real
 * thing on demand: 429 with `retry-after`, 500/503, a hang past the client's
 * timeout, or a model answer that is not what the schema asks for.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake does with the next request. */
export type Behavior =
  | { kind: "ok"; content: (body: ChatBody) => unknown }
  | { kind: "status"; status: 429 | 500 | 502 | 503 }
  | { kind: "hang"; ms: number }
  | { kind: "raw"; content: string };

/** The request body the fake accepts. */
export type ChatBody = {
  model: string;
  temperature: number;
  max_tokens: number;
  response_format: {
    type: string;
    json_schema: { name: string; strict: boolean; schema: Record<string, unknown> };
  };
  messages: { role: string; content: string }[];
};

/** One request the fake received. */
export type Received = {
  path: string;
  authorization: string | undefined;
  body: ChatBody;
  shapeErrors: string[];
};

/** A running fake. `behaviors` are consumed in order; the last one repeats. */
export type FakeOpenAi = {
  baseUrl: string;
  apiKey: string;
  received: Received[];
  behaviors: Behavior[];
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function shapeErrors(path: string, auth: string | undefined, key: string, body: unknown): string[] {
  const errors: string[] = [];
  if (path !== "/v1/chat/completions") errors.push(`path ${path}`);
  if (auth !== `Bearer ${key}`) errors.push("authorization");
  const b = body as Partial<ChatBody> | null;
  if (!b || typeof b.model !== "string" || !b.model) errors.push("model");
  if (!Array.isArray(b?.messages) || b.messages.length < 2) errors.push("messages");
  else if (b.messages[0]!.role !== "system" || b.messages.at(-1)!.role !== "user")
    errors.push("message roles");
  const rf = b?.response_format;
  if (
    rf?.type !== "json_schema" ||
    rf.json_schema?.strict !== true ||
    typeof rf.json_schema?.schema !== "object"
  ) {
    errors.push("response_format");
  }
  return errors;
}

/** Start a fake on 127.0.0.1 with a random port. */
export async function startFakeOpenAi(behaviors: Behavior[]): Promise<FakeOpenAi> {
  const apiKey = "sk-test-fake-key";
  const received: Received[] = [];
  const fake: FakeOpenAi = { baseUrl: "", apiKey, received, behaviors, close: async () => {} };
  const pending = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      let body: ChatBody;
      try {
        body = JSON.parse(text) as ChatBody;
      } catch {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end('{"error":{"message":"bad json"}}');
        return;
      }
      const errors = shapeErrors(req.url ?? "", req.headers.authorization, apiKey, body);
      received.push({
        path: req.url ?? "",
        authorization: req.headers.authorization,
        body,
        shapeErrors: errors,
      });
      if (errors.length > 0) {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: errors.join(", ") } }));
        return;
      }
      const b = fake.behaviors.length > 1 ? fake.behaviors.shift()! : fake.behaviors[0]!;
      if (b.kind === "status") {
        res
          .writeHead(b.status, {
            "content-type": "application/json",
            ...(b.status === 429 ? { "retry-after": "1" } : {}),
          })
          .end(
            JSON.stringify({
              error: {
                message: "try again",
                type: b.status === 429 ? "rate_limit_exceeded" : "server_error",
              },
            }),
          );
        return;
      }
      if (b.kind === "hang") {
        const timer = setTimeout(() => {
          pending.delete(timer);
          res.writeHead(503).end();
        }, b.ms);
        pending.add(timer);
        return;
      }
      const content = b.kind === "raw" ? b.content : JSON.stringify(b.content(body));
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-${received.length}`,
          object: "chat.completion",
          model: body.model,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  fake.close = async () => {
    for (const t of pending) clearTimeout(t);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}

/** Poll `check` until it returns a value (or fail after `ms`). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
