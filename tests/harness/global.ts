/**
 * Run-wide: start with an empty near-limit report, and at the end print the
 * functions that came within half of a Convex limit (worst first).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import type { NearLimit } from "./limits";
import { NEAR_LIMITS_FILE } from "./nearLimitsFile";

export function setup(): void {
  rmSync(NEAR_LIMITS_FILE, { force: true });
}

export function teardown(): void {
  if (!existsSync(NEAR_LIMITS_FILE)) {
    console.log("[limits] no query, mutation or argument came within half of a Convex limit");
    return;
  }
  const rows = readFileSync(NEAR_LIMITS_FILE, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as NearLimit);
  const worst = new Map<string, NearLimit>();
  for (const r of rows) {
    const key = `${r.fn} ${r.measure}`;
    const prev = worst.get(key);
    if (!prev || r.value > prev.value) worst.set(key, r);
  }
  const sorted = [...worst.values()].sort((a, b) => b.value / b.limit - a.value / a.limit);
  console.log(
    `[limits] ${sorted.length} function/measure pairs came within half of a Convex limit (${NEAR_LIMITS_FILE}):`,
  );
  for (const r of sorted.slice(0, 15)) {
    console.log(
      `[limits]   ${r.fn}: ${r.measure} ${r.value} of ${r.limit} (${Math.round((100 * r.value) / r.limit)}%)`,
    );
  }
}
