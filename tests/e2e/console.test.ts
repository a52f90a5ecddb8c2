/**
 * Issue 15's console in real Chromium: an operator pastes the deployment's
 * operator token and sees the scheduled health checks (a run of
 * `ops/health:check`, as the cron makes every 60 s) and the latency and
 * errors of the functions the signed-in page called, as that page timed and
 * reported them. Screenshot: `test-artifacts/console-ops.png`.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { personIn, screenshot } from "./browser";
import { type Stack, startStack } from "./stack";

/** Why 45 s: as in room.test.ts, a loaded 2-core machine can delay a reactive update. */
const UI_TIMEOUT = 45_000;
const TOKEN = "e2e-console-operator-token";

let stack: Stack;
let before: string | undefined;

beforeAll(async () => {
  before = process.env.CONNVO_ADMIN_TOKEN;
  // The embedded engine reads its own process environment, as a deployment reads its own.
  process.env.CONNVO_ADMIN_TOKEN = TOKEN;
  stack = await startStack();
}, 300_000);

afterAll(async () => {
  await stack?.close();
  if (before === undefined) delete process.env.CONNVO_ADMIN_TOKEN;
  else process.env.CONNVO_ADMIN_TOKEN = before;
});

describe("operator console in Chromium", () => {
  it("shows the health checks and the page's own calls with their latency", async () => {
    const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
    onTestFailed(async () => {
      await screenshot(ada.page, "failed-console-ops").catch(() => undefined);
    });
    await ada.page.goto(`${stack.web.url}/console`);
    await ada.page.getByRole("heading", { name: "Operator" }).waitFor({ timeout: UI_TIMEOUT });
    // Hiding the page sends what it timed so far (signing in called `users:ensure`).
    await ada.page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", {
        configurable: true,
        get: () => "hidden",
      });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await stack.engine.run("ops/health:check", {});

    // A wrong token is refused in words, and the page stays usable.
    await ada.page.getByLabel("Operator token").fill("not the token");
    await ada.page.getByRole("button", { name: "Open" }).click();
    await expect
      .poll(() => ada.page.getByTestId("operator-error").textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/refused this operator token/);
    expect(await ada.page.getByTestId("health-checks").count()).toBe(0);
    await ada.page.getByLabel("Operator token").fill(TOKEN);
    await ada.page.getByRole("button", { name: "Open" }).click();
    const health = ada.page.getByTestId("health-checks");
    await health.waitFor({ timeout: UI_TIMEOUT });
    await expect
      .poll(() => ada.page.getByTestId("health-status").textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/^(All checks pass|\d+ failing) · last run .* · 1 run in the last hour$/);
    expect(await health.textContent()).toMatch(/mutation round trip\d+ ms/);
    expect(await health.textContent()).toMatch(/provider maillocal default: the local mailbox/);
    const calls = ada.page.getByTestId("function-latency");
    await expect
      .poll(() => calls.textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/users:ensure\d+/);
    expect(await ada.page.getByTestId("rtc-counters").textContent()).toMatch(
      /0 people in calls now/,
    );
    await screenshot(ada.page, "console-ops");
  }, 180_000);
});
