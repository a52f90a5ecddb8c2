/**
 * The engine's admin key, used the way Convex's CLI and
 * `ConvexHttpClient.setAdminAuth(key)` use a deploy key: with it, internal
 * functions can be called over HTTP (`/api/mutation|query|action|function`,
 * `/api/run/...`), optionally acting as an identity; without it (or with a
 * wrong one) they stay refused. The key lives in `<dataDir>/admin-key`, is
 * kept across restarts and `--reset`, and is exposed as `engine.adminKey`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { makeFunctionReference } from "convex/server";
import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { httpClient, startFixtureEngine, tempDataDir } from "./helpers";

const insertInternal = makeFunctionReference<"mutation", { channel: string; body: string }, null>(
  "messages:insertInternal",
);
const bump = makeFunctionReference<"mutation", { name: string }, null>("counters:bump");
const list = makeFunctionReference<"query", { channel: string }, Array<{ body: string }>>(
  "messages:list",
);
const whoami = makeFunctionReference<"query", Record<string, never>, { subject: string } | null>(
  "messages:whoami",
);
const get = makeFunctionReference<"query", { name: string }, number>("counters:get");

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

describe("admin key", () => {
  it("lets the unmodified ConvexHttpClient call internal functions; nothing else does", async () => {
    const engine = await startFixtureEngine();
    engines.push(engine);
    const anonymous = httpClient(engine.url);
    await expect(anonymous.mutation(insertInternal, { channel: "adm", body: "x" })).rejects.toThrow(
      /Could not find public function for 'messages:insertInternal'/,
    );
    const wrong = httpClient(engine.url);
    (wrong as unknown as { setAdminAuth(k: string): void }).setAdminAuth(
      `${engine.adminKey.slice(0, -4)}0000`,
    );
    await expect(wrong.mutation(insertInternal, { channel: "adm", body: "x" })).rejects.toThrow(
      /admin key is invalid/,
    );
    const userToken = await engine.mintDevToken({ subject: "mallory" });
    const user = httpClient(engine.url);
    user.setAuth(userToken);
    await expect(user.mutation(insertInternal, { channel: "adm", body: "x" })).rejects.toThrow(
      /Could not find public function/,
    );

    const admin = httpClient(engine.url);
    (admin as unknown as { setAdminAuth(k: string): void }).setAdminAuth(engine.adminKey);
    await admin.mutation(insertInternal, { channel: "adm", body: "by admin" });
    await admin.mutation(bump, { name: "adm" });
    expect(await anonymous.query(list, { channel: "adm" })).toMatchObject([{ body: "by admin" }]);
    expect(await anonymous.query(get, { name: "adm" })).toBe(1);
    // Public functions work for admins too, with no identity unless acting as one.
    expect(await admin.query(whoami, {})).toBeNull();
  });

  it("acts as the identity given to setAdminAuth", async () => {
    const engine = await startFixtureEngine();
    engines.push(engine);
    const admin = httpClient(engine.url);
    (
      admin as unknown as { setAdminAuth(k: string, as: Record<string, unknown>): void }
    ).setAdminAuth(engine.adminKey, { subject: "user_9", issuer: "https://issuer.example" });
    expect(await admin.query(whoami, {})).toMatchObject({
      subject: "user_9",
      tokenIdentifier: "https://issuer.example|user_9",
    });
  });

  it("serves /api/run/<module>/<function> with the admin header", async () => {
    const engine = await startFixtureEngine();
    engines.push(engine);
    const call = (auth: string | null) =>
      fetch(`${engine.url}/api/run/counters/bump`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
        body: JSON.stringify({ args: { name: "run" }, format: "json" }),
      });
    expect((await call(null)).status).toBe(560);
    const ok = await call(`Convex ${engine.adminKey}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "success", value: null });
    expect(await httpClient(engine.url).query(get, { name: "run" })).toBe(1);
  });

  it("is written to <dataDir>/admin-key and kept across restarts and --reset", async () => {
    const dataDir = tempDataDir();
    const first = await startFixtureEngine({ dataDir });
    const key = first.adminKey;
    const file = join(dataDir, "admin-key");
    expect(first.adminKeyFile).toBe(file);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8").trim()).toBe(key);
    expect(statSync(file).mode & 0o077).toBe(0);
    await first.close();
    const second = await startFixtureEngine({ dataDir });
    expect(second.adminKey).toBe(key);
    await second.close();
    const reset = await startFixtureEngine({ dataDir, reset: true });
    engines.push(reset);
    expect(reset.adminKey).toBe(key);
    const other = await startFixtureEngine({ dataDir: tempDataDir() });
    engines.push(other);
    expect(other.adminKey).not.toBe(key);
  });
});
