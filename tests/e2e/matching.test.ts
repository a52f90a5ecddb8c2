/**
 * Meeting the right people in real Chromium against the embedded engine
 * (conflict mode on): two demo people with fitting profiles enter the queue
 * from "Meet someone", are proposed to each other with reasons, both accept,
 * and find the meeting in their list; then they connect and exchange direct
 * messages that appear live. A newcomer is taken through onboarding after
 * the first sign-in. Screenshots go to `test-artifacts/`.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { personIn, screenshot } from "./browser";
import { type Stack, startStack } from "./stack";

/** A 1×1 PNG (the smallest real image the avatar check accepts). */
const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** Why 60 s: a cycle is kicked ~1 s after entering, or when the 20 s gap after the previous one ends. */
const UI_TIMEOUT = 60_000;
const TEST_TIMEOUT = 240_000;

let stack: Stack;
let ids: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  const seeded = (await stack.engine.run("seed:demo", { issuer: stack.engine.devIssuer })) as {
    users: { subject: string; userId: string }[];
  };
  ids = Object.fromEntries(seeded.users.map((u) => [u.subject, u.userId]));
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

function shotsOnFailure(pages: Record<string, Page>): void {
  onTestFailed(async () => {
    for (const [name, page] of Object.entries(pages))
      if (!page.isClosed()) await screenshot(page, `failed-${name}`).catch(() => undefined);
  });
}

async function enterQueue(page: Page): Promise<void> {
  await page.goto(`${stack.web.url}/meet`);
  await page.getByRole("button", { name: "Find someone to meet" }).click();
  await expect
    .poll(() => page.getByTestId("queue-status").getAttribute("data-status"), {
      timeout: UI_TIMEOUT,
    })
    .toMatch(/waiting|proposed/);
}

describe("meeting the right people in Chromium", () => {
  it(
    "two people are proposed with reasons, accept, find the meeting, connect and message",
    async () => {
      const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
      const grace = await personIn(stack.browser, stack.web.url, "Grace Hopper");
      shotsOnFailure({ "match-ada": ada.page, "match-grace": grace.page });
      try {
        await enterQueue(ada.page);
        await enterQueue(grace.page);
        const adaCard = ada.page.getByTestId("proposal").filter({ hasText: "Grace Hopper" });
        await adaCard.waitFor({ timeout: UI_TIMEOUT });
        const why = ada.page.getByRole("list", { name: "Why you were matched" });
        await expect
          .poll(() => why.textContent())
          .toContain("They know Compilers, which you want to learn");
        await expect
          .poll(() => why.textContent())
          .toContain("You share an interest: Developer Tools");
        await screenshot(ada.page, "match-proposal");
        await adaCard.getByRole("button", { name: "Accept" }).click();
        await ada.page
          .getByText("You accepted; waiting for Grace Hopper")
          .waitFor({ timeout: UI_TIMEOUT });
        const graceCard = grace.page.getByTestId("proposal").filter({ hasText: "Ada Lovelace" });
        await graceCard.waitFor({ timeout: UI_TIMEOUT });
        await expect
          .poll(() => graceCard.getByRole("list", { name: "Why you were matched" }).textContent())
          .toContain("You know Compilers, which they want to learn");
        await graceCard.getByRole("button", { name: "Accept" }).click();
        for (const page of [ada.page, grace.page]) {
          await page
            .getByTestId("proposal")
            .and(page.locator('[data-status="accepted"]'))
            .getByRole("link", { name: "Open the meeting" })
            .waitFor({ timeout: UI_TIMEOUT });
          await page.goto(stack.web.url);
          await page
            .getByRole("region", { name: "Upcoming" })
            .getByRole("link", { name: "Connvo match: Ada & Grace" })
            .waitFor({ timeout: UI_TIMEOUT });
        }
        await screenshot(grace.page, "match-meeting-listed");

        // Connections: the match is a suggestion; Ada asks, Grace accepts.
        await ada.page.goto(`${stack.web.url}/connections`);
        const suggestion = ada.page.getByRole("listitem").filter({ hasText: "You were matched" });
        await suggestion.getByRole("button", { name: "Connect" }).click({ timeout: UI_TIMEOUT });
        await grace.page.goto(`${stack.web.url}/connections`);
        const incoming = grace.page.getByRole("region", { name: "Requests to you" });
        await incoming.getByRole("button", { name: "Accept" }).click({ timeout: UI_TIMEOUT });
        await grace.page
          .getByRole("region", { name: "Your connections" })
          .getByRole("link", { name: "Ada Lovelace" })
          .waitFor({ timeout: UI_TIMEOUT });

        // Messages, live both ways.
        await ada.page.goto(`${stack.web.url}/messages/${ids["demo-grace"]}`);
        await grace.page.goto(`${stack.web.url}/messages/${ids["demo-ada"]}`);
        await ada.page
          .getByLabel("Message", { exact: true })
          .fill("Hello Grace, looking forward to it!");
        await ada.page.getByRole("button", { name: "Send" }).click();
        await grace.page
          .getByTestId("thread")
          .getByText("Hello Grace, looking forward to it!")
          .waitFor({ timeout: UI_TIMEOUT });
        await grace.page.getByLabel("Message", { exact: true }).fill("Likewise, Ada.");
        await grace.page.getByRole("button", { name: "Send" }).click();
        await ada.page
          .getByTestId("thread")
          .getByText("Likewise, Ada.")
          .waitFor({ timeout: UI_TIMEOUT });
        await screenshot(ada.page, "messages");
      } finally {
        await ada.context.close();
        await grace.context.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "a newcomer is taken to onboarding after the first sign-in",
    async () => {
      const context = await stack.browser.newContext();
      const page = await context.newPage();
      shotsOnFailure({ onboarding: page });
      try {
        await page.goto(`${stack.web.url}/sign-in`);
        await page.getByLabel("Your name").fill("Nia Newcomer");
        await page.getByRole("button", { name: "Create and sign in" }).click();
        await page.waitForURL(/\/profile\?onboarding=1$/, { timeout: UI_TIMEOUT });
        await page.getByTestId("onboarding-missing").waitFor({ timeout: UI_TIMEOUT });
        await page.getByLabel("Headline").fill("Data engineer");
        await page.getByLabel("Role").selectOption("data");
        await page.getByLabel(/^Languages/).fill("en, de");
        await page.getByLabel(/^Interests/).fill("Climate, Open Source");
        await page.getByRole("button", { name: "Finish onboarding" }).click();
        await page.waitForURL(/\/meet$/, { timeout: UI_TIMEOUT });
        await page.goto(`${stack.web.url}/profile`);
        await page.getByRole("heading", { name: "Your profile" }).waitFor({ timeout: UI_TIMEOUT });
        // Avatar: the browser POSTs the bytes to the engine's upload URL, then claims them.
        await page.getByLabel(/^Avatar/).setInputFiles({
          name: "me.png",
          mimeType: "image/png",
          buffer: Buffer.from(PNG_1X1, "base64"),
        });
        const avatar = page.getByAltText("Your avatar");
        await avatar.waitFor({ timeout: UI_TIMEOUT });
        await page.waitForFunction(
          () =>
            (document.querySelector('img[alt="Your avatar"]') as HTMLImageElement | null)
              ?.naturalWidth === 1,
          undefined,
          { timeout: UI_TIMEOUT },
        );
        expect(await avatar.getAttribute("src")).toContain("/api/storage/");
        await screenshot(page, "profile");
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
