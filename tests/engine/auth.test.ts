/**
 * Auth as Convex does it: RS256 JWTs verified against the JWKS of the
 * providers in `auth.config.ts` (here the engine's dev issuer), claims mapped
 * to a UserIdentity; expired, wrong-issuer and badly signed tokens refused
 * (AuthError over WebSocket, 401 over HTTP).
 */
import { makeFunctionReference, type UserIdentity } from "convex/server";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine, waitFor, wsClient } from "./helpers";

const whoami = makeFunctionReference<"query", Record<string, never>, UserIdentity | null>(
  "messages:whoami",
);

let engine: Engine;
beforeAll(async () => {
  engine = await startFixtureEngine();
});
afterAll(async () => {
  await engine.close();
});

async function foreignToken(issuer: string, audience = "connvo-dev"): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  await exportJWK(publicKey);
  return await new SignJWT({ name: "Mallory" })
    .setProtectedHeader({ alg: "RS256", kid: "x" })
    .setIssuer(issuer)
    .setSubject("mallory")
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(privateKey);
}

/** The outcome of authenticating a WebSocket client with `token`. */
function wsAuthOutcome(
  token: string,
): Promise<{ authenticated: boolean; identity: UserIdentity | null }> {
  const client = wsClient(engine.url);
  return new Promise((ok) => {
    client.setAuth(
      async () => token,
      (authenticated) => {
        if (!authenticated) {
          void client.close();
          ok({ authenticated, identity: null });
          return;
        }
        void waitFor<UserIdentity | null>(
          (cb) => client.onUpdate(whoami, {}, cb),
          (v) => v !== null,
        ).then((identity) => {
          void client.close();
          ok({ authenticated, identity });
        });
      },
    );
  });
}

describe("auth", () => {
  it("maps a valid dev token to the identity Convex would build", async () => {
    const token = await engine.mintDevToken({
      subject: "user_1",
      name: "Ann",
      email: "ann@example.com",
      orgId: "org_9",
      role: "admin",
    });
    const { authenticated, identity } = await wsAuthOutcome(token);
    expect(authenticated).toBe(true);
    expect(identity).toMatchObject({
      subject: "user_1",
      issuer: engine.devIssuer,
      tokenIdentifier: `${engine.devIssuer}|user_1`,
      name: "Ann",
      email: "ann@example.com",
      org_id: "org_9",
      role: "admin",
    });
    const http = httpClient(engine.url);
    http.setAuth(token);
    expect(await http.query(whoami, {})).toMatchObject({ subject: "user_1", org_id: "org_9" });
  });

  it("treats a client without a token as anonymous", async () => {
    const client = wsClient(engine.url);
    try {
      expect(await client.query(whoami, {})).toBeNull();
      expect(await httpClient(engine.url).query(whoami, {})).toBeNull();
    } finally {
      await client.close();
    }
  });

  it("refuses an expired token", async () => {
    const token = await engine.mintDevToken({ subject: "user_2", expiresInSeconds: -60 });
    expect((await wsAuthOutcome(token)).authenticated).toBe(false);
    const http = httpClient(engine.url);
    http.setAuth(token);
    await expect(http.query(whoami, {})).rejects.toThrow(/expired/i);
  });

  it("refuses a token from an issuer auth.config.ts does not list", async () => {
    const token = await foreignToken("https://evil.example.com");
    expect((await wsAuthOutcome(token)).authenticated).toBe(false);
    const http = httpClient(engine.url);
    http.setAuth(token);
    await expect(http.query(whoami, {})).rejects.toThrow(/No auth provider found/);
  });

  it("refuses a token that claims the dev issuer but is signed by another key", async () => {
    const token = await foreignToken(engine.devIssuer!);
    expect((await wsAuthOutcome(token)).authenticated).toBe(false);
    const http = httpClient(engine.url);
    http.setAuth(token);
    await expect(http.query(whoami, {})).rejects.toThrow(/signature|verify/i);
  });

  it("refuses a token for another audience (applicationID check)", async () => {
    const token = await engine.mintDevToken({ subject: "user_3", audience: "someone-else" });
    expect((await wsAuthOutcome(token)).authenticated).toBe(false);
    const http = httpClient(engine.url);
    http.setAuth(token);
    await expect(http.query(whoami, {})).rejects.toThrow(/aud/);
  });

  it("answers 401 to an unsupported Authorization scheme", async () => {
    const res = await fetch(`${engine.url}/api/query`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic abc" },
      body: JSON.stringify({ path: "messages:whoami", args: {} }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/Bearer/);
  });

  it("serves the dev issuer's JWKS and mints tokens over HTTP", async () => {
    const jwks = (await (await fetch(`${engine.devIssuer}/.well-known/jwks.json`)).json()) as {
      keys: unknown[];
    };
    expect(jwks.keys).toHaveLength(1);
    const res = await fetch(`${engine.devIssuer}/token`, {
      method: "POST",
      body: JSON.stringify({ subject: "user_4", name: "Dee" }),
    });
    const { token } = (await res.json()) as { token: string };
    const http = httpClient(engine.url);
    http.setAuth(token);
    expect(await http.query(whoami, {})).toMatchObject({ subject: "user_4", name: "Dee" });
    const bad = await fetch(`${engine.devIssuer}/token`, { method: "POST", body: "{}" });
    expect(bad.status).toBe(400);
  });
});

describe("token expiry during a session", () => {
  it("sends AuthError (not an update) when the token expires and reruns queries as anonymous", async () => {
    const { default: WebSocket } = await import("ws");
    const token = await engine.mintDevToken({ subject: "short", expiresInSeconds: 1 });
    const ws = new WebSocket(`${engine.url.replace("http", "ws")}/api/1.48.0/sync`);
    const got: Array<Record<string, unknown>> = [];
    const done = new Promise<void>((ok) => {
      ws.on("message", (d) => {
        const m = JSON.parse(d.toString()) as Record<string, unknown>;
        got.push(m);
        const anonymous = (m.modifications as Array<{ value?: unknown }> | undefined)?.some(
          (x) => x.value === null,
        );
        if (got.some((g) => g.type === "AuthError") && anonymous) ok();
      });
    });
    ws.on("open", () => {
      ws.send(
        JSON.stringify({ type: "Authenticate", tokenType: "User", value: token, baseVersion: 0 }),
      );
      ws.send(
        JSON.stringify({
          type: "ModifyQuerySet",
          baseVersion: 0,
          newVersion: 1,
          modifications: [{ type: "Add", queryId: 0, udfPath: "messages:whoami", args: [{}] }],
        }),
      );
    });
    await done;
    ws.close();
    const first = got.find(
      (m) => m.type === "Transition" && (m.modifications as unknown[]).length > 0,
    ) as {
      modifications: Array<{ value: { subject?: string } }>;
    };
    expect(first.modifications[0]!.value.subject).toBe("short");
    expect(got.find((m) => m.type === "AuthError")).toMatchObject({
      error: "Token expired",
      authUpdateAttempted: false,
    });
  });
});

describe("--no-dev-auth", () => {
  it("serves no dev issuer and refuses dev tokens from another engine", async () => {
    const token = await engine.mintDevToken({ subject: "user_x" });
    const locked = await startFixtureEngine({ devAuth: false });
    try {
      expect(locked.devIssuer).toBeNull();
      expect(
        (await fetch(`${locked.url}/dev-auth/token`, { method: "POST", body: "{}" })).status,
      ).toBe(404);
      await expect(locked.mintDevToken({ subject: "x" })).rejects.toThrow(/disabled/);
      const http = httpClient(locked.url);
      http.setAuth(token);
      await expect(http.query(whoami, {})).rejects.toThrow(/No auth provider/);
    } finally {
      await locked.close();
    }
  });
});
