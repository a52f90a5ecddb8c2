/** Start a server script as a child process (tsx) and wait for its `READY <port>` line. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** A running child server; `info` is the line it printed after READY (if asked for). */
export type ChildServer = {
  port: number;
  child: ChildProcess;
  info: string;
  stop: () => Promise<void>;
};

/** Upper bound for a server to come up on a loaded 2-core machine (tsx compiles, seeding runs). */
const START_TIMEOUT_MS = 300_000;

/** Spawn `node --import tsx <script>` with extra env; resolves once it prints `READY <port>`. */
export function startChildServer(
  root: string,
  script: string,
  env: Record<string, string> = {},
  opts: { infoLine?: boolean } = {},
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
      const m = opts.infoLine ? /READY (\d+)\n(.*)\n/.exec(buf) : /READY (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), child, info: m[2] ?? "", stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before READY: ${stderr}`));
    });
  });
}
