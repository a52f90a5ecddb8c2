/**
 * Debian's coturn for the TURN tests: started on loopback with a random
 * listening port and relay range, TURN REST authentication with a shared
 * secret (`use-auth-secret`), loopback peers allowed (the browsers are on
 * this machine), no TLS and no CLI. Stopped by `close()`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";

/** A running coturn. */
export type Coturn = { url: string; secret: string; log: () => string; close(): Promise<void> };

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Start coturn (`/usr/bin/turnserver`, override with `TURNSERVER_PATH`). */
export async function startCoturn(): Promise<Coturn> {
  const port = await freePort();
  // A random 200-port relay range, so parallel runs rarely share ports.
  const minPort = 50_000 + Math.floor(Math.random() * 70) * 200;
  const secret = randomBytes(16).toString("hex");
  const proc: ChildProcess = spawn(
    process.env.TURNSERVER_PATH ?? "/usr/bin/turnserver",
    [
      "-n",
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + 199}`,
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      "--realm=connvo.test",
      "--allow-loopback-peers",
      "--no-cli",
      "--no-tls",
      "--no-dtls",
      "--no-tcp-relay",
      "--fingerprint",
      "--log-file=stdout",
      "--simple-log",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  proc.stdout?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const until = Date.now() + 10_000;
  while (!/listener opened|Total General servers/i.test(log)) {
    if (proc.exitCode !== null) throw new Error(`turnserver exited (${proc.exitCode}):\n${log}`);
    if (Date.now() > until) {
      proc.kill();
      throw new Error(`turnserver did not start in 10 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    log: () => log,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}
