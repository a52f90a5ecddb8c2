/**
 * Issue 18 in real Chromium: a member searches the seeded meeting's chat and
 * transcript, reads the help, follows a hit into the replay at that moment,
 * and prepares their data export; someone who is not in the meeting finds
 * nothing. Screenshots: `test-artifacts/search-*.png`.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { personIn, screenshot } from "./browser";
import { type Stack, startStack } from "./stack";

/** Why 45 s: as in room.test.ts, a loaded 2-core machine can delay a reactive update; a healthy run takes ~3 s (the fan-out waits 2 s). */
const UI_TIMEOUT = 45_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await stack.engine.run("seed:demo", { issuer: stack.engine.devIssuer });
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("search and export in Chromium", () => {
  it("a member finds chat and transcript with replay links; an outsider finds nothing; the export is prepared", async () => {
    const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
    const outsider = await stack.browser.newContext({ viewport: { width: 1280, height: 860 } });
    const zed = await outsider.newPage();
    onTestFailed(async () => {
      await screenshot(ada.page, "failed-search-ada").catch(() => undefined);
      await screenshot(zed, "failed-search-zed").catch(() => undefined);
    });
    await ada.page.goto(`${stack.web.url}/search`);
    await expect(ada.page.getByTestId("search-help").textContent()).resolves.toMatch(
      /last word[\s\S]*prefix[\s\S]*no fuzzy matching/,
    );
    await ada.page.getByRole("searchbox", { name: "Search" }).fill("benchm");
    const results = ada.page.getByTestId("search-results");
    await results.filter({ hasText: "benchmark numbers" }).waitFor({ timeout: UI_TIMEOUT });
    await expect(results.textContent()).resolves.toContain("Connvo demo: launch planning");
    await screenshot(ada.page, "search-1-results");
    const href = await ada.page.getByTestId("search-hit-link").first().getAttribute("href");
    expect(href).toMatch(/^\/meetings\/[^/]+\/replay\?t=\d+$/);
    await ada.page.getByTestId("search-hit-link").first().click();
    await ada.page.waitForURL(/\/replay\?t=\d+/, { timeout: UI_TIMEOUT });
    await screenshot(ada.page, "search-2-replay");

    // Someone new, in no meeting: the same words find nothing.
    await zed.goto(`${stack.web.url}/sign-in`);
    await zed.locator("#new-name").fill("Zed Outsider");
    await zed.getByRole("button", { name: "Create and sign in" }).click();
    await zed
      .getByTestId("signed-in-as")
      .filter({ hasText: "Zed" })
      .waitFor({ timeout: UI_TIMEOUT });
    await zed.goto(`${stack.web.url}/search`);
    await zed.getByRole("searchbox", { name: "Search" }).fill("benchmark");
    await zed.getByText("No results in your meetings.").waitFor({ timeout: UI_TIMEOUT });

    // Ada's data export.
    await ada.page.goto(`${stack.web.url}/data`);
    await ada.page.getByTestId("export-mine").click();
    const link = ada.page.getByTestId("export-link");
    await link.waitFor({ timeout: UI_TIMEOUT });
    const url = await link.getAttribute("href");
    if (!url) throw new Error("no export link");
    const body = await (await fetch(url)).json();
    expect(body.format).toBe("connvo-export@1");
    expect(body.account.name).toBe("Ada Lovelace");
    await screenshot(ada.page, "search-3-data");
    await ada.context.close();
    await outsider.close();
  }, 240_000);
});
