/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser
 * build), and small helpers the browser tests share.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Where screenshots go (ignored by git; CI keeps them as artifacts). */
export const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

/** Launches headless Chromium from `/usr/bin/chromium` (override: `CHROMIUM_PATH`), with `extraArgs`. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-gpu",
      ...extraArgs,
    ],
  });
}

/** Signs the page in through the development sign-in as the demo person named `name`. */
export async function signIn(page: Page, webUrl: string, name: string): Promise<void> {
  await page.goto(`${webUrl}/sign-in`);
  await page.getByRole("button", { name: `Continue as ${name}` }).click();
  await page.getByTestId("signed-in-as").filter({ hasText: name }).waitFor();
}

/** A fresh browser context (own storage, own IndexedDB) signed in as `name`. */
export async function personIn(
  browser: Browser,
  webUrl: string,
  name: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await signIn(page, webUrl, name);
  return { context, page };
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
