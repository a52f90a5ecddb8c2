/**
 * The HTTP side of the engine: Convex's function API (`POST /api/query`,
 * `/api/mutation`, `/api/action`, `/api/function`, `/api/query_ts`,
 * `/api/query_at_ts`), the dev issuer (`/dev-auth/...`) and the app's HTTP
 * actions (`convex/http.ts`), served on the site port and under `/http/` of
 * the API port.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserIdentity } from "convex/server";
import { convexToJson, type JSONValue, jsonToConvex, type Value } from "convex/values";
import { AuthFailure } from "./auth";
import type { CallOutcome, FunctionKind, ResolvedFunction } from "./backend";
import { describeError } from "./backend";
import type { DevIssuer, DevTokenClaims } from "./dev-auth";
import { encodeTs } from "./sync-messages";

/** Status Convex uses for "the function threw" (the client parses the body). */
const STATUS_CODE_UDF_FAILED = 560;
/** Largest request body accepted: Convex's 16 MiB argument limit plus JSON overhead. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** What the HTTP API needs from the engine. */
export type HttpHost = {
  ready: Promise<void>;
  resolve(udfPath: string, kind?: FunctionKind): Promise<ResolvedFunction>;
  call(
    fn: ResolvedFunction,
    args: unknown,
    identity: UserIdentity | null,
    via: string,
  ): Promise<CallOutcome>;
  verifyToken(token: string): Promise<{ identity: UserIdentity; expiresAtMs: number | null }>;
  lastCommitTs(): bigint;
  devIssuer: () => DevIssuer | null;
  httpAction(path: string, init: RequestInit, identity: UserIdentity | null): Promise<Response>;
  hasHttpRouter: () => boolean;
};

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Authorization, Convex-Client",
  "Access-Control-Max-Age": "86400",
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...CORS_HEADERS });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) throw new Error(`Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

async function identityOf(host: HttpHost, req: IncomingMessage): Promise<UserIdentity | null> {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme, token] = header.split(" ", 2);
  if (scheme === "Bearer" && token) return (await host.verifyToken(token)).identity;
  throw new AuthFailure(`Unsupported Authorization scheme "${scheme}" (use "Bearer <jwt>")`);
}

const API_KINDS: Record<string, FunctionKind | undefined> = {
  "/api/query": "query",
  "/api/query_at_ts": "query",
  "/api/mutation": "mutation",
  "/api/action": "action",
  "/api/function": undefined,
};

/** Handle `/api/*` function calls. */
async function handleApi(host: HttpHost, req: IncomingMessage, res: ServerResponse, route: string) {
  if (route === "/api/query_ts") {
    sendJson(res, 200, { ts: encodeTs(host.lastCommitTs()) });
    return;
  }
  let body: { path?: unknown; args?: unknown; format?: unknown };
  try {
    body = JSON.parse((await readBody(req)).toString("utf8")) as typeof body;
    if (typeof body !== "object" || body === null) throw new Error("body is not an object");
  } catch (e) {
    sendJson(res, 400, {
      code: "BadJsonBody",
      message: `Invalid JSON body: ${(e as Error).message}`,
    });
    return;
  }
  if (typeof body.path !== "string") {
    sendJson(res, 400, { code: "BadRequest", message: 'Missing "path" (e.g. "messages:list")' });
    return;
  }
  const format = body.format ?? "json";
  if (format !== "json" && format !== "convex_encoded_json") {
    sendJson(res, 400, {
      code: "BadRequest",
      message: `Unsupported format ${JSON.stringify(format)}`,
    });
    return;
  }
  let identity: UserIdentity | null;
  try {
    identity = await identityOf(host, req);
  } catch (e) {
    sendJson(res, 401, { code: "Unauthenticated", message: (e as Error).message });
    return;
  }
  const rawArgs = Array.isArray(body.args) ? (body.args[0] ?? {}) : (body.args ?? {});
  let outcome: CallOutcome;
  try {
    const args = jsonToConvex(rawArgs as JSONValue);
    const fn = await host.resolve(body.path, API_KINDS[route]);
    outcome = await host.call(fn, args, identity, "http");
  } catch (e) {
    outcome = { ok: false, ...describeError(e), logLines: [] };
  }
  if (outcome.ok) {
    sendJson(res, 200, {
      status: "success",
      value: convexToJson(outcome.value as Value),
      logLines: outcome.logLines,
    });
  } else {
    sendJson(res, STATUS_CODE_UDF_FAILED, {
      status: "error",
      errorMessage: outcome.message,
      ...(outcome.data !== undefined ? { errorData: outcome.data } : {}),
      logLines: outcome.logLines,
    });
  }
}

async function handleDevAuth(
  host: HttpHost,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
) {
  const issuer = host.devIssuer();
  if (!issuer) {
    sendJson(res, 404, { code: "NotFound", message: "The dev issuer is disabled (--no-dev-auth)" });
    return;
  }
  if (route === "/dev-auth/.well-known/jwks.json") {
    sendJson(res, 200, issuer.jwks);
  } else if (route === "/dev-auth/.well-known/openid-configuration") {
    sendJson(res, 200, {
      issuer: issuer.issuer,
      jwks_uri: `${issuer.issuer}/.well-known/jwks.json`,
    });
  } else if (route === "/dev-auth/token" && req.method === "POST") {
    let claims: DevTokenClaims;
    try {
      claims = JSON.parse((await readBody(req)).toString("utf8")) as DevTokenClaims;
      if (typeof claims?.subject !== "string" || claims.subject.length === 0) {
        throw new Error('"subject" (non-empty string) is required');
      }
    } catch (e) {
      sendJson(res, 400, {
        code: "BadRequest",
        message: `Invalid token request: ${(e as Error).message}`,
      });
      return;
    }
    const { subject, name, email, orgId, role } = claims;
    const token = await issuer.mint({ subject, name, email, orgId, role });
    sendJson(res, 200, { token, issuer: issuer.issuer });
  } else {
    sendJson(res, 404, { code: "NotFound", message: `No dev-auth route ${route}` });
  }
}

/** Serve one HTTP action request (path relative to the site root). */
export async function serveHttpAction(
  host: HttpHost,
  req: IncomingMessage,
  res: ServerResponse,
  pathAndQuery: string,
): Promise<void> {
  await host.ready;
  if (!host.hasHttpRouter()) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("This app has no convex/http.ts");
    return;
  }
  let identity: UserIdentity | null = null;
  try {
    identity = await identityOf(host, req);
  } catch {
    identity = null; // HTTP actions see an unauthenticated request, as on Convex.
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === "string") headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  const init: RequestInit = { method, headers };
  if (body) init.body = new Uint8Array(body);
  try {
    const response = await host.httpAction(pathAndQuery, init, identity);
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    res.writeHead(500, { "Content-Type": "text/plain" });
    res.end(describeError(e).message);
  }
}

/** The API port's request handler. */
export function apiHandler(host: HttpHost) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://engine");
    const route = url.pathname;
    try {
      if (req.method === "OPTIONS" && !route.startsWith("/http/")) {
        res.writeHead(204, CORS_HEADERS);
        res.end();
        return;
      }
      if (route.startsWith("/http/")) {
        await serveHttpAction(host, req, res, `${route.slice("/http".length)}${url.search}`);
        return;
      }
      if (route.startsWith("/dev-auth/")) {
        await handleDevAuth(host, req, res, route);
        return;
      }
      if (route === "/version" || route === "/") {
        sendJson(res, 200, { engine: "connvo-embedded", ok: true });
        return;
      }
      if (route === "/api/query_ts" || route in API_KINDS) {
        if (req.method !== "POST") {
          sendJson(res, 405, { code: "MethodNotAllowed", message: `${route} takes POST` });
          return;
        }
        await host.ready;
        await handleApi(host, req, res, route);
        return;
      }
      sendJson(res, 404, { code: "NotFound", message: `No route ${req.method} ${route}` });
    } catch (e) {
      if (!res.headersSent)
        sendJson(res, 500, { code: "InternalServerError", message: (e as Error).message });
      else res.end();
    }
  };
}
