/**
 * The CLI: `tsx engine/main.ts --port 0 ...` prints its URL, serves the
 * fixture app, and on SIGTERM writes its data so a second run sees it;
 * bad flags exit with usage.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { makeFunctionReference } from "convex/server";
import { describe, expect, it } from "vitest";
import { FIXTURE_DIR, httpClient, tempDataDir } from "./helpers";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = resolve(ROOT, "node_modules/.bin/tsx");
const send = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);
const list = makeFunctionReference<"query", { channel: string }, Array<{ body: string }>>(
  "messages:list",
);

function runCli(args: string[]): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(TSX, ["engine/main.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Convex engine URL: (http:\/\/\S+)/.exec(out);
      if (m)
        ok({
          url: m[1]!,
          stop: () =>
            new Promise((done) => {
              child.once("exit", (code) => done(code));
              child.kill("SIGTERM");
            }),
        });
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.once("exit", (code) =>
      fail(new Error(`engine exited (${code}) before printing its URL:\n${out}`)),
    );
  });
}

describe("CLI", () => {
  it("prints its URL, serves, and keeps data across a SIGTERM restart", async () => {
    const data = tempDataDir();
    const flags = [
      "--port",
      "0",
      "--functions",
      FIXTURE_DIR,
      "--data",
      data,
      "--no-crons",
      "--log-level",
      "warn",
    ];
    const first = await runCli(flags);
    await httpClient(first.url).mutation(send, { channel: "cli", body: "survives" });
    expect(await first.stop()).toBe(0);
    const second = await runCli(flags);
    try {
      expect(
        (await httpClient(second.url).query(list, { channel: "cli" })).map((r) => r.body),
      ).toEqual(["survives"]);
    } finally {
      await second.stop();
    }
  });

  it("exits with usage on a bad flag", async () => {
    await expect(runCli(["--bogus"])).rejects.toThrow(/usage: tsx engine\/main.ts/);
  });
});
