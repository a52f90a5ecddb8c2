/**
 * A fake GetStream Video API on loopback, for tests only. It implements the
 * endpoints the deployment uses (`POST /api/v2/users`, `POST
 * /api/v2/video/call/<type>/<id>`: get-or-create, so a call id is created once
 * and later requests answer `created: false`; `…/mark_ended`: 404 for a call
 * that does not exist) and serves recording files
 * (`GET /recordings/<name>`). Like GetStream it checks every request: the
 * `api_key` query parameter, `stream-auth-type: jwt`, and the server token in
 * `Authorization` (HS256, verified with the app's secret through `jose`, claim
 * `server: true`, `iat` not in the future, not expired), answering 401 with
 * GetStream's error body otherwise; and the request bodies' shapes.
 *
 * It fails like GetStream on demand: queued statuses (429 with
 * `X-RateLimit-Reset`, 500, 503), `"hang"` (an answer that never comes, so
 * the client's timeout fires), `"lost"` (the call is created but the answer is
 * a 500, as when a response is lost), `"ok"` (answer this one normally: to
 * aim a later failure at a later request), and `down` (every request 503).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";

/** A failure to answer with: a status, an answer that never comes, or a lost success. */
export type StreamFailure = number | "hang" | "lost" | "ok";

/** One request as the fake saw it. */
export type StreamRequest = {
  method: string;
  path: string;
  status: number;
  /** What was wrong with it (auth, shape), or null. */
  error: string | null;
  body: unknown;
};

/** A running fake. */
export type FakeGetStream = {
  baseUrl: string;
  apiKey: string;
  secret: string;
  requests: StreamRequest[];
  /** Calls created, by cid, with the members and settings they were created with. */
  calls: Map<string, { createdBy: string; members: unknown[]; settings: unknown }>;
  /** Users upserted, by id. */
  users: Map<string, { name: string }>;
  /** Calls marked ended, by cid. */
  ended: Set<string>;
  /** Files served at `/recordings/<name>`. */
  files: Map<string, Uint8Array>;
  failNext(...failures: StreamFailure[]): void;
  setDown(down: boolean): void;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function streamError(res: ServerResponse, status: number, code: number, message: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (status === 429) headers["x-ratelimit-reset"] = String(Math.floor(Date.now() / 1000) + 1);
  res.writeHead(status, headers);
  res.end(JSON.stringify({ code, message, StatusCode: status, duration: "0.01ms" }));
}

function shapeOfUsers(body: unknown): string | null {
  const users = (body as { users?: unknown })?.users;
  if (typeof users !== "object" || users === null) return "users must be an object";
  for (const [id, u] of Object.entries(users as Record<string, unknown>)) {
    const user = u as { id?: unknown; name?: unknown };
    if (user.id !== id) return `users.${id}.id must equal its key`;
    if (typeof user.name !== "string") return `users.${id}.name must be a string`;
  }
  return null;
}

function shapeOfCall(body: unknown): string | null {
  const data = (body as { data?: Record<string, unknown> })?.data;
  if (typeof data !== "object" || data === null) return "data must be an object";
  if (typeof data.created_by_id !== "string") return "data.created_by_id must be a string";
  if (!Array.isArray(data.members)) return "data.members must be an array";
  for (const m of data.members as { user_id?: unknown; role?: unknown }[])
    if (typeof m.user_id !== "string") return "members[].user_id must be a string";
  return null;
}

/** Start the fake on 127.0.0.1 (a free port) for the app `apiKey` / `secret`. */
export async function startFakeGetStream(apiKey: string, secret: string): Promise<FakeGetStream> {
  const failures: StreamFailure[] = [];
  const requests: StreamRequest[] = [];
  const calls: FakeGetStream["calls"] = new Map();
  const users: FakeGetStream["users"] = new Map();
  const files: FakeGetStream["files"] = new Map();
  const ended = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let down = false;
  const key = new TextEncoder().encode(secret);

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = await readBody(req);
      const seen: StreamRequest = {
        method: req.method ?? "",
        path: url.pathname,
        status: 0,
        error: null,
        body: null,
      };
      requests.push(seen);
      const fail = (status: number, code: number, message: string) => {
        seen.status = status;
        seen.error ??= message;
        streamError(res, status, code, message);
      };
      if (req.method === "GET" && url.pathname.startsWith("/recordings/")) {
        const file = files.get(decodeURIComponent(url.pathname.slice("/recordings/".length)));
        if (!file) return fail(404, 16, "no such file");
        seen.status = 200;
        res.writeHead(200, { "content-type": "video/mp4", "content-length": file.byteLength });
        return res.end(Buffer.from(file));
      }
      if (down) return fail(503, -1, "service unavailable");
      const failure = failures.shift();
      if (failure === "hang") {
        hanging.add(res);
        seen.error = "hung";
        return;
      }
      if (typeof failure === "number")
        return fail(failure, failure === 429 ? 9 : -1, `injected ${failure}`);
      if (url.searchParams.get("api_key") !== apiKey) return fail(401, 2, "api_key not valid");
      if (req.headers["stream-auth-type"] !== "jwt")
        return fail(401, 2, "stream-auth-type must be jwt");
      try {
        const { payload } = await jwtVerify(req.headers.authorization ?? "", key, {
          algorithms: ["HS256"],
          clockTolerance: 0,
        });
        if (payload.server !== true) return fail(401, 2, "not a server token");
        if (typeof payload.iat !== "number" || payload.iat > Date.now() / 1000)
          return fail(401, 2, "iat is in the future");
      } catch (e) {
        return fail(401, 2, `token not valid: ${(e as Error).message}`);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return fail(400, 4, "body is not JSON");
      }
      seen.body = body;
      const ok = (json: unknown) => {
        seen.status = 200;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.method === "POST" && url.pathname === "/api/v2/users") {
        const bad = shapeOfUsers(body);
        if (bad) return fail(400, 4, bad);
        for (const [id, u] of Object.entries(
          (body as { users: Record<string, { name: string }> }).users,
        ))
          users.set(id, { name: u.name });
        return ok({ users: (body as { users: unknown }).users, duration: "1ms" });
      }
      const end = /^\/api\/v2\/video\/call\/([^/]+)\/([^/]+)\/mark_ended$/.exec(url.pathname);
      if (req.method === "POST" && end) {
        const cid = `${decodeURIComponent(end[1]!)}:${decodeURIComponent(end[2]!)}`;
        if (!calls.has(cid)) return fail(404, 16, `call ${cid} does not exist`);
        ended.add(cid);
        return ok({ duration: "1ms" });
      }
      const m = /^\/api\/v2\/video\/call\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (req.method === "POST" && m) {
        const bad = shapeOfCall(body);
        if (bad) return fail(400, 4, bad);
        const cid = `${decodeURIComponent(m[1]!)}:${decodeURIComponent(m[2]!)}`;
        const data = (body as { data: Record<string, unknown> }).data;
        const created = !calls.has(cid);
        if (created)
          calls.set(cid, {
            createdBy: data.created_by_id as string,
            members: data.members as unknown[],
            settings: data.settings_override,
          });
        if (failure === "lost") return fail(500, -1, "injected: created, answer lost");
        return ok({ call: { cid, id: m[2], type: m[1] }, members: [], created, duration: "1ms" });
      }
      return fail(404, 16, `no route ${req.method} ${url.pathname}`);
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    secret,
    requests,
    calls,
    users,
    ended,
    files,
    failNext: (...f) => failures.push(...f),
    setDown: (d) => {
      down = d;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
