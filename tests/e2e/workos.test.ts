/**
 * The web app with WorkOS AuthKit configured (fake credentials; nothing here
 * reaches WorkOS): sign-in goes to AuthKit's hosted page with PKCE and the
 * app's callback, and the development sign-in is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWebIfStale, startWeb, type WebServer } from "./web-server";

let web: WebServer;

beforeAll(async () => {
  buildWebIfStale();
  web = await startWeb("http://127.0.0.1:9", {
    WORKOS_CLIENT_ID: "client_01E2ETEST",
    WORKOS_API_KEY: "sk_test_e2e",
    WORKOS_COOKIE_PASSWORD: "e2e-cookie-password-of-32-chars!!",
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: "http://localhost:3000/callback",
  });
}, 300_000);

afterAll(async () => {
  await web?.close();
});

describe("WorkOS AuthKit mode", () => {
  it("sends sign-in to AuthKit's hosted page for this client, with PKCE and our callback", async () => {
    const res = await fetch(`${web.url}/auth/sign-in`, { redirect: "manual" });
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe(
      "https://api.workos.com/user_management/authorize",
    );
    expect(location.searchParams.get("client_id")).toBe("client_01E2ETEST");
    expect(location.searchParams.get("redirect_uri")).toBe("http://localhost:3000/callback");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
  });

  it("refuses to mint development tokens", async () => {
    const res = await fetch(`${web.url}/api/dev-auth/token`, {
      method: "POST",
      body: JSON.stringify({ subject: "demo-ada" }),
    });
    expect(res.status).toBe(403);
  });
});
