/** Per test file: append what came close to a Convex limit to the run's report. */
import { appendFileSync, mkdirSync } from "node:fs";
import { afterAll, afterEach } from "vitest";
import { nearLimitReport } from "./limits";
import { drainScheduledWork } from "./live";
import { NEAR_LIMITS_FILE } from "./nearLimitsFile";

afterEach(drainScheduledWork);

afterAll(() => {
  const rows = nearLimitReport();
  if (rows.length === 0) return;
  mkdirSync("test-artifacts", { recursive: true });
  appendFileSync(NEAR_LIMITS_FILE, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
});
