/**
 * The rebuild CLI against the embedded engine by URL, on the demo data: it
 * starts a rebuild through the public operator API and watches it to the
 * switch, and the status/dead-letter commands answer.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Engine, startEngine } from "../../engine/engine";
import { runRebuildCli } from "../../scripts/rebuild";

const TOKEN = "cli-test-token";
let engine: Engine;

beforeAll(async () => {
  process.env.CONNVO_ADMIN_TOKEN = TOKEN;
  engine = await startEngine({
    port: 0,
    sitePort: null,
    dataDir: null,
    crons: false,
    logLevel: "error",
  });
  await engine.run("seed:demo", { issuer: engine.devIssuer });
  // Let the projectors fold the seeded events.
  await new Promise((r) => setTimeout(r, 1500));
});
afterAll(async () => {
  await engine?.close();
  delete process.env.CONNVO_ADMIN_TOKEN;
});

describe("npm run rebuild", () => {
  test("rebuilds meetingState to another version and reports progress", async () => {
    const lines: string[] = [];
    await runRebuildCli({
      url: engine.url,
      token: TOKEN,
      projection: "meetingState",
      version: 1,
      mode: "rebuild",
      log: (l) => lines.push(l),
      timeoutMs: 30_000,
    });
    expect(lines[0]).toMatch(/^rebuilding meetingState: v2 -> v1 on http/);
    expect(lines[lines.length - 1]).toMatch(/^done: meetingState reads v1 \(\d+ events/);
    const status: string[] = [];
    await runRebuildCli({
      url: engine.url,
      token: TOKEN,
      projection: "meetingState",
      mode: "status",
      log: (l) => status.push(l),
    });
    expect(status[0]).toMatch(
      /^meetingState: reads v1 \(latest v2\), live; 1 meetings, \d+ events/,
    );
    const letters: string[] = [];
    await runRebuildCli({
      url: engine.url,
      token: TOKEN,
      mode: "dead-letters",
      log: (l) => letters.push(l),
    });
    expect(letters).toEqual(["no parked events"]);
  });

  test("a wrong token is refused with a clear message", async () => {
    await expect(
      runRebuildCli({ url: engine.url, token: "wrong", mode: "status", log: () => {} }),
    ).rejects.toThrow(/wrong operator token/);
  });
});
