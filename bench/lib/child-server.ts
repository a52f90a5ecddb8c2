/** Start a server script as a child process (tsx) and wait for its `READY <port>` line. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** A running child server; `info` is the line it printed after READY (if asked for). */
export type ChildServer = {
  port: number;
  child: ChildProcess;
  info: string;
  /** Send one command line on stdin; resolves with the rest of the first stdout line starting with `reply `. */
  ask: (command: string, reply: string) => Promise<string>;
  stop: () => Promise<void>;
};

/** Upper bound on a child answering a command. */
const ASK_TIMEOUT_MS = 30_000;

/** Upper bound for a server to come up on a loaded 2-core machine (tsx compiles, seeding runs). */
const START_TIMEOUT_MS = 300_000;

/** Spawn `node --import tsx <script>` with extra env; resolves once it prints `READY <port>`. */
export function startChildServer(
  root: string,
  script: string,
  env: Record<string, string> = {},
  opts: { infoLine?: boolean; startTimeoutMs?: number } = {},
): Promise<ChildServer> {
  const startTimeoutMs = opts.startTimeoutMs ?? START_TIMEOUT_MS;
  // `BENCH_CHILD_PROFILE=<dir>`: a CPU profile of every child server (engine, Hocuspocus) there.
  const profileDir = process.env.BENCH_CHILD_PROFILE;
  const profile = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  let out = "";
  const waiters: { reply: string; resolve: (s: string) => void }[] = [];
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    let nl = out.indexOf("\n");
    while (nl >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      const w = waiters.findIndex((x) => line.startsWith(`${x.reply} `));
      if (w >= 0) waiters.splice(w, 1)[0]!.resolve(line.slice(line.indexOf(" ") + 1));
      nl = out.indexOf("\n");
    }
  });
  const ask = (command: string, reply: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script} did not answer ${command}`)),
        ASK_TIMEOUT_MS,
      );
      waiters.push({
        reply,
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
      });
      child.stdin?.write(`${command}\n`);
    });
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not start within ${startTimeoutMs} ms: ${stderr}`));
    }, startTimeoutMs);
    child.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = opts.infoLine ? /READY (\d+)\n(.*)\n/.exec(buf) : /READY (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), child, info: m[2] ?? "", ask, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before READY: ${stderr}`));
    });
  });
}
