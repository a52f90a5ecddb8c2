/**
 * Admin authentication as the Convex CLI does it. The importer's HTTP
 * transport (`httpAdminClient`: the real `ConvexHttpClient` with
 * `setAdminAuth`) is driven against a loopback stand-in of a deployment's
 * `/api/function` that checks the request as Convex does (the
 * `Authorization: Convex <admin key>` header, `convex_encoded_json` args)
 * and runs the function on the embedded engine; a wrong key is refused.
 * The same client then runs against the embedded engine's own endpoint with
 * its admin key (migration/README.md, "Admin authentication").
 * Also: where the command finds its URL and key, and that the command's flag
 * changes (`--cutover`, `--rollback`) are audited with operator and reason.
 */
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ConvexError, convexToJson, type JSONValue, jsonToConvex, type Value } from "convex/values";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { internal } from "../../convex/_generated/api";
import type { Engine } from "../../engine/engine";
import {
  httpAdminClient,
  LOCAL_ENGINE_URL,
  resolveAdminTarget,
  urlFromDeployKey,
} from "../../migration/admin";
import { main } from "../../migration/main";
import { memoryEngine, tempDir } from "./helpers";

const KEY = "local-admin-key-0123456789abcdef";
let engine: Engine;
let server: Server;
let url: string;
const seen: { path: string; format: string }[] = [];

beforeAll(async () => {
  ({ engine } = await memoryEngine());
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      void (async () => {
        if (req.url !== "/api/function" || req.method !== "POST")
          return void res.writeHead(404).end();
        if (req.headers.authorization !== `Convex ${KEY}`) {
          res
            .writeHead(401)
            .end("BadAdminKey: the provided admin key was invalid for this instance");
          return;
        }
        const { path, format, args } = JSON.parse(body) as {
          path: string;
          format: string;
          args: JSONValue;
        };
        seen.push({ path, format });
        res.setHeader("Content-Type", "application/json");
        try {
          const value = await engine.run(path, jsonToConvex(args) as Record<string, unknown>);
          res.end(
            JSON.stringify({
              status: "success",
              value: convexToJson(value as Value),
              logLines: [],
            }),
          );
        } catch (e) {
          const data = e instanceof ConvexError ? { errorData: convexToJson(e.data as Value) } : {};
          res
            .writeHead(560)
            .end(
              JSON.stringify({ status: "error", errorMessage: String(e), logLines: [], ...data }),
            );
        }
      })();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
  await engine?.close();
});

describe("the HTTP admin transport", () => {
  it("calls internal functions with the admin key, values and coded errors intact", async () => {
    const admin = httpAdminClient(url, KEY);
    const begun = await admin.mutation(internal.migrationImport.begin, {
      source: "pglite:/x",
      tables: ["users"],
    });
    expect(begun).toMatchObject({
      resumed: false,
      checkpoints: [{ table: "users", cursor: null, done: false }],
    });
    const run = await admin.query(internal.migrationStatus.run, {});
    expect(run?.runId).toBe(begun.runId);
    expect(seen.map((s) => s.path)).toEqual(["migrationImport:begin", "migrationStatus:run"]);
    expect(seen.every((s) => s.format === "convex_encoded_json")).toBe(true);
    // A second source while a run is unfinished: CONFLICT, as ConvexError data.
    const other = admin.mutation(internal.migrationImport.begin, {
      source: "pglite:/y",
      tables: ["users"],
    });
    await expect(other).rejects.toMatchObject({ data: { code: "CONFLICT" } });
  });

  it("is refused with a wrong key", async () => {
    await expect(
      httpAdminClient(url, "wrong").query(internal.migrationStatus.run, {}),
    ).rejects.toThrow(/BadAdminKey/);
  });
});

describe("the embedded engine's own admin endpoint", () => {
  it("runs internal functions with the engine's admin key and refuses them without it", async () => {
    const admin = httpAdminClient(engine.url, engine.adminKey);
    const flags = await admin.query(internal.migrationCutover.flags, {});
    expect(flags).toEqual(await engine.run("migrationCutover:flags", {}));
    await expect(
      httpAdminClient(engine.url, `${engine.adminKey.slice(0, -4)}0000`).query(
        internal.migrationCutover.flags,
        {},
      ),
    ).rejects.toThrow(/admin key is invalid/);
  });
});

describe("npm run migrate -- --cutover/--rollback", () => {
  it("changes the cutover flag through the admin endpoint and audits who and why", async () => {
    const saved = { ...process.env };
    process.env.CONVEX_ADMIN_KEY = engine.adminKey;
    delete process.env.CONVEX_DEPLOY_KEY;
    try {
      const to = ["--url", engine.url];
      expect(
        await main(["--cutover", "interests", "--percent", "10", ...to, "--operator", "ana"]),
      ).toBe(0);
      expect(
        ((await engine.run("migrationCutover:flags", {})) as Record<string, unknown>).interests,
      ).toEqual({ key: "use_convex_interests", enabled: true, rolloutPercent: 10 });
      expect(
        await main(["--rollback", "interests", ...to, "--reason", "interest reads look wrong"]),
      ).toBe(0);
      expect(
        ((await engine.run("migrationCutover:flags", {})) as Record<string, unknown>).interests,
      ).toEqual({ key: "use_convex_interests", enabled: false, rolloutPercent: 0 });
      const audit = (
        (await engine.run("audit:recent", { limit: 50 })) as {
          action: string;
          operator?: string;
          reason?: string;
          detail?: string;
        }[]
      ).filter(
        (a) => a.action === "featureFlags.set" && a.detail?.startsWith("use_convex_interests"),
      );
      expect(audit.map((a) => [a.operator, a.reason])).toEqual([
        ["migration", "interest reads look wrong"],
        ["ana", "npm run migrate -- --cutover interests --percent 10"],
      ]);
    } finally {
      process.env = saved;
    }
  });
});

describe("resolveAdminTarget", () => {
  it("takes a deploy key first, deriving the URL as the CLI does", () => {
    expect(
      resolveAdminTarget({ env: { CONVEX_DEPLOY_KEY: "prod:happy-otter-123|secret" } }),
    ).toEqual({
      url: "https://happy-otter-123.convex.cloud",
      key: "prod:happy-otter-123|secret",
      how: "CONVEX_DEPLOY_KEY",
    });
    expect(urlFromDeployKey("preview:team:proj|secret")).toBeNull();
    expect(() => resolveAdminTarget({ env: { CONVEX_DEPLOY_KEY: "preview:team:proj|s" } })).toThrow(
      /--url/,
    );
    expect(
      resolveAdminTarget({ url: "https://x.convex.cloud", env: { CONVEX_DEPLOY_KEY: "prod:a|s" } })
        .url,
    ).toBe("https://x.convex.cloud");
  });
  it("then CONVEX_ADMIN_KEY, then the local engine's admin-key file, else says what to do", () => {
    expect(
      resolveAdminTarget({ env: { CONVEX_ADMIN_KEY: "k", CONVEX_URL: "http://h:1" } }),
    ).toMatchObject({
      url: "http://h:1",
      key: "k",
    });
    const dir = tempDir("data-");
    expect(() => resolveAdminTarget({ dataDir: dir, env: {} })).toThrow(/no admin key/);
    writeFileSync(join(dir, "admin-key"), `${KEY}\n`);
    expect(resolveAdminTarget({ dataDir: dir, env: {} })).toEqual({
      url: LOCAL_ENGINE_URL,
      key: KEY,
      how: join(dir, "admin-key"),
    });
  });
});
