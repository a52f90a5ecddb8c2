/**
 * The whole system for the browser tests: the embedded engine (free port,
 * temporary data dir), the production web build served against it, and
 * headless Chromium.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { type Engine, startEngine } from "../../engine/engine";
import { launchChromium } from "./browser";
import { buildWebIfStale, startWeb, type WebServer } from "./web-server";

/** A running engine + web app + browser. */
export type Stack = { engine: Engine; web: WebServer; browser: Browser; close(): Promise<void> };

/** Starts everything; `close()` stops it all and removes the data dir. */
export async function startStack(): Promise<Stack> {
  buildWebIfStale();
  const dataDir = mkdtempSync(join(tmpdir(), "connvo-e2e-"));
  const engine = await startEngine({
    port: 0,
    dataDir,
    reset: true,
    functionsDir: resolve(import.meta.dirname, "../../convex"),
    logLevel: "warn",
    // Conflicts as Convex's optimistic concurrency would raise them, with its retries.
    occ: true,
  });
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  try {
    web = await startWeb(engine.url);
    browser = await launchChromium();
  } catch (e) {
    await web?.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const w = web;
  const b = browser;
  return {
    engine,
    web: w,
    browser: b,
    async close() {
      await b.close();
      await w.close();
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
