/** Machine and version details printed at the top of every report. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

function pkgVersion(root: string, name: string): string {
  try {
    const raw = readFileSync(join(root, "node_modules", name, "package.json"), "utf8");
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === "object" && parsed !== null && "version" in parsed) {
      return String(parsed.version);
    }
  } catch {
    // fall through: a missing package is reported as such
  }
  return "not installed";
}

function gitCommit(root: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

/** CPU, memory, load, runtime and the versions of the libraries compared. */
export function machineDetails(root: string): Record<string, string | number> {
  const cpus = os.cpus();
  const [l1, l5] = os.loadavg();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvg1m: Math.round((l1 ?? 0) * 100) / 100,
    loadAvg5m: Math.round((l5 ?? 0) * 100) / 100,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    yjs: pkgVersion(root, "yjs"),
    hocuspocus: pkgVersion(root, "@hocuspocus/server"),
    convex: pkgVersion(root, "convex"),
    convexTest: pkgVersion(root, "convex-test"),
    gitCommit: gitCommit(root),
  };
}
