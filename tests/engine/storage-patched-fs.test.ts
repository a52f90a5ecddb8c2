/**
 * A file stored from a function lands on disk even when a library in the same
 * process has patched Node's `fs` to use timers (graceful-fs, which
 * playwright-core bundles, retries `close` on a timer): convex-test refuses
 * timers inside a transaction, and the engine's disk work must not run as part
 * of the storing function. (Found by the search/export browser test: the
 * export's `ctx.storage.store` failed with "`clearTimeout` is not supported".)
 */
import fs from "node:fs";
import type { UserIdentity } from "convex/server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Engine, startEngine } from "../../engine/engine";
import { tempDataDir } from "./helpers";

let engine: Engine;
const realCloseSync = fs.closeSync;
beforeAll(async () => {
  engine = await startEngine({ port: 0, dataDir: tempDataDir(), logLevel: "silent", crons: false });
  // What graceful-fs does to every close: touch its retry timer.
  fs.closeSync = (fd: number) => {
    clearTimeout(undefined);
    realCloseSync(fd);
  };
});
afterAll(async () => {
  fs.closeSync = realCloseSync;
  await engine.close();
});

test("an action stores a file on disk with a timer-patched fs", async () => {
  const who = {
    ...engine.devIdentity("patched-fs"),
    name: "Pat",
    email: "pat@example.com",
  } as UserIdentity;
  await engine.run("users:ensure", {}, who);
  const out = (await engine.run("exportData:mine", {}, who)) as { url: string; bytes: number };
  expect(out.bytes).toBeGreaterThan(0);
  const res = await fetch(out.url);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { format: string };
  expect(body.format).toBe("connvo-export@1");
});
