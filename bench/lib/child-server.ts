/** Start a server script as a child process (tsx) and wait for its `READY <port>` line. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** A running child server. */
export type ChildServer = { port: number; child: ChildProcess; stop: () => Promise<void> };

/** Upper bound for a server to come up on a loaded 2-core machine (tsx compiles on start). */
const START_TIMEOUT_MS = 60_000;

/** Spawn `node --import tsx <script>` with extra env; resolves once it prints `READY <port>`. */
export function startChildServer(
  root: string,
  script: string,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), child, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before READY: ${stderr}`));
    });
  });
}
