/**
 * Builds the Next.js app (once, when missing or stale) and serves its
 * production build on a free port for the browser tests.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const NEXT_BIN = join(ROOT, "node_modules/next/dist/bin/next");
const BUILD_ID = join(ROOT, "web/.next/BUILD_ID");
/** Sources whose change makes the production build stale. */
const SOURCES = ["web", "crdt", "projections", "convex/_generated"];

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const name of readdirSync(dir)) {
    if (
      name === ".next" ||
      name === "node_modules" ||
      name === "next-env.d.ts" ||
      name === ".next-build.lock"
    )
      continue;
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  if (!existsSync(BUILD_ID)) return false;
  const built = statSync(BUILD_ID).mtimeMs;
  return Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s)))) < built;
}

/** Held while one test process builds; test files run in parallel workers. */
const LOCK = join(ROOT, "web/.next-build.lock");
/** Why 10 min: a build takes ~30-60 s here; a lock older than this was left by a killed run. */
const STALE_LOCK_MS = 10 * 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `next build web` unless the existing build is newer than every source.
 * A lock directory makes parallel test files wait for one build instead of
 * racing two into the same `.next`.
 */
export function buildWebIfStale(): void {
  if (isFresh()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) {
        rmSync(LOCK, { recursive: true, force: true });
      } else {
        sleepSync(500);
      }
    }
  }
  try {
    if (!isFresh()) build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function build(): void {
  const r = spawnSync(process.execPath, [NEXT_BIN, "build", "web"], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) {
    throw new Error(`next build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return await new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** A running `next start`. */
export type WebServer = { url: string; close(): Promise<void> };

/** Serves the production build against `convexUrl` (plus `env`); resolves once it answers. */
export async function startWeb(
  convexUrl: string,
  env: Record<string, string> = {},
): Promise<WebServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, "start", "web", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ROOT,
      env: { ...process.env, CONVEX_URL: convexUrl, NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`next start did not answer within 60s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
