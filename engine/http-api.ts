/**
 * The HTTP side of the engine: Convex's function API (`POST /api/query`,
 * `/api/mutation`, `/api/action`, `/api/function`, `/api/run/<path>`,
 * `/api/query_ts`, `/api/query_at_ts`), file storage (`/api/storage/...`),
 * the dev issuer (`/dev-auth/...`) and the app's HTTP actions
 * (`convex/http.ts`), served on the site port and under `/http/` of the API
 * port.
 *
 * CORS: `/api/*` answers any origin (`Access-Control-Allow-Origin: *`), as a
 * Convex deployment does: it uses no cookies, every caller authenticates
 * with its own bearer token, so a page gains nothing it could not do with
 * its own token. The dev issuer's token route is different: it mints tokens
 * for anyone who asks, so it sends no CORS header and refuses any request
 * whose `Origin` is not in `devAuthOrigins` (the web app calls it from its
 * server, without an `Origin`; see `web/app/api/dev-auth/token`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserIdentity } from "convex/server";
import { convexToJson, type JSONValue, jsonToConvex, type Value } from "convex/values";
import { AuthFailure } from "./auth";
import type { CallFunction, CallOutcome, FunctionKind, ResolvedFunction } from "./backend";
import { describeError } from "./backend";
import type { DevIssuer, DevTokenClaims } from "./dev-auth";
import { describeAuthHeader } from "./http-auth";
import { encodeTs } from "./sync-messages";

/** Status Convex uses for "the function threw" (the client parses the body). */
const STATUS_CODE_UDF_FAILED = 560;
/** Largest request body accepted: Convex's 16 MiB argument limit plus JSON overhead. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** What the HTTP API needs from the engine. */
export type HttpHost = {
  ready: Promise<void>;
  resolve(udfPath: string, kind?: FunctionKind): Promise<ResolvedFunction>;
  call: CallFunction;
  verifyToken(token: string): Promise<{ identity: UserIdentity; expiresAtMs: number | null }>;
  lastCommitTs(): bigint;
  devIssuer: () => DevIssuer | null;
  /** Origins (besides none at all) allowed to call `/dev-auth/token`. */
  devAuthOrigins: readonly string[];
  /** Check an admin credential (`Authorization: Convex <key>[:<identity>]`). */
  checkAdmin(credential: string): { actingAs: Record<string, unknown> | null } | null;
  /** Resolve for an admin: internal functions and components too. */
  resolveAdmin(
    udfPath: string,
    kind: FunctionKind | undefined,
    componentPath: string,
  ): Promise<ResolvedFunction>;
  /** `/api/storage/upload` and `/api/storage/<id>`. */
  storage: {
    upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
    download(req: IncomingMessage, res: ServerResponse, url: URL): void;
  };
  httpAction(path: string, init: RequestInit, identity: UserIdentity | null): Promise<Response>;
  hasHttpRouter: () => boolean;
};

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Authorization, Convex-Client",
  "Access-Control-Max-Age": "86400",
};

/** Send a JSON body (with the `/api/*` CORS headers unless `cors` is false). */
export function sendJson(res: ServerResponse, status: number, body: unknown, cors = true): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...(cors ? CORS_HEADERS : {}) });
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

/** Who is calling: a user (or nobody), or an admin (acting as an identity or as nobody). */
type Caller = { identity: UserIdentity | null; admin: boolean };

async function callerOf(host: HttpHost, req: IncomingMessage): Promise<Caller> {
  const auth = describeAuthHeader(req.headers.authorization);
  if (auth.kind === "none") return { identity: null, admin: false };
  if (auth.kind === "bearer") {
    return { identity: (await host.verifyToken(auth.credential)).identity, admin: false };
  }
  if (auth.kind === "admin") {
    const admin = host.checkAdmin(auth.credential);
    if (!admin) throw new AuthFailure("The admin key is invalid (see <data dir>/admin-key)");
    return { identity: actingAsIdentity(admin.actingAs), admin: true };
  }
  throw new AuthFailure(
    `Unsupported Authorization scheme "${auth.scheme}" (use "Bearer <jwt>" or "Convex <admin key>")`,
  );
}

function actingAsIdentity(attrs: Record<string, unknown> | null): UserIdentity | null {
  if (attrs === null) return null;
  const issuer = typeof attrs.issuer === "string" ? attrs.issuer : "";
  const subject = typeof attrs.subject === "string" ? attrs.subject : "";
  return {
    ...attrs,
    issuer,
    subject,
    tokenIdentifier:
      typeof attrs.tokenIdentifier === "string" ? attrs.tokenIdentifier : `${issuer}|${subject}`,
  } as UserIdentity;
}

async function identityOf(host: HttpHost, req: IncomingMessage): Promise<UserIdentity | null> {
  return (await callerOf(host, req)).identity;
}

const API_KINDS: Record<string, FunctionKind | undefined> = {
  "/api/query": "query",
  "/api/query_at_ts": "query",
  "/api/mutation": "mutation",
  "/api/action": "action",
  "/api/function": undefined,
};

/** `/api/run/a/b/fn` names `a/b:fn` (Convex's HTTP API). */
function runPath(route: string): string {
  const parts = route
    .slice("/api/run/".length)
    .split("/")
    .filter((p) => p.length > 0);
  const fn = parts.pop() ?? "";
  return `${parts.join("/")}:${fn}`;
}

/** Handle `/api/*` function calls. */
async function handleApi(host: HttpHost, req: IncomingMessage, res: ServerResponse, route: string) {
  if (route === "/api/query_ts") {
    sendJson(res, 200, { ts: encodeTs(host.lastCommitTs()) });
    return;
  }
  let body: { path?: unknown; args?: unknown; format?: unknown; componentPath?: unknown };
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
  if (route.startsWith("/api/run/")) body.path = runPath(route);
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
  let caller: Caller;
  try {
    caller = await callerOf(host, req);
  } catch (e) {
    sendJson(res, 401, { code: "Unauthenticated", message: (e as Error).message });
    return;
  }
  const componentPath = typeof body.componentPath === "string" ? body.componentPath : "";
  if (componentPath !== "" && !caller.admin) {
    sendJson(res, 401, {
      code: "Unauthenticated",
      message: "Calling functions of components needs an admin key",
    });
    return;
  }
  const rawArgs = Array.isArray(body.args) ? (body.args[0] ?? {}) : (body.args ?? {});
  let outcome: CallOutcome;
  try {
    const args = jsonToConvex(rawArgs as JSONValue);
    const kind = API_KINDS[route];
    const fn = caller.admin
      ? await host.resolveAdmin(body.path, kind, componentPath)
      : await host.resolve(body.path, kind);
    outcome = await host.call(fn, args, caller.identity, caller.admin ? "http admin" : "http");
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
  if (route === "/dev-auth/token") {
    const origin = req.headers.origin;
    if (origin !== undefined && !host.devAuthOrigins.includes(origin)) {
      req.resume();
      sendJson(
        res,
        403,
        {
          code: "Forbidden",
          message: `The dev issuer does not mint tokens for pages of ${origin.slice(0, 100)} (allowed: the web app's server, and --dev-auth-origin origins)`,
        },
        false,
      );
      return;
    }
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
      sendJson(
        res,
        400,
        { code: "BadRequest", message: `Invalid token request: ${(e as Error).message}` },
        false,
      );
      return;
    }
    const { subject, name, email, orgId, role, emailVerified } = claims;
    const token = await issuer.mint({ subject, name, email, orgId, role, emailVerified });
    const origin = req.headers.origin;
    res.writeHead(200, {
      "Content-Type": "application/json",
      ...(origin !== undefined ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {}),
    });
    res.end(JSON.stringify({ token, issuer: issuer.issuer }));
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
        const origin = req.headers.origin;
        if (route === "/dev-auth/token") {
          const allowed = origin !== undefined && host.devAuthOrigins.includes(origin);
          res.writeHead(
            204,
            allowed
              ? { ...CORS_HEADERS, "Access-Control-Allow-Origin": origin, Vary: "Origin" }
              : {},
          );
        } else res.writeHead(204, CORS_HEADERS);
        res.end();
        return;
      }
      if (route === "/api/storage/upload" && req.method === "POST") {
        await host.ready;
        await host.storage.upload(req, res, url);
        return;
      }
      if (route.startsWith("/api/storage/") && (req.method === "GET" || req.method === "HEAD")) {
        await host.ready;
        host.storage.download(req, res, url);
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
      if (route === "/api/query_ts" || route in API_KINDS || route.startsWith("/api/run/")) {
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
