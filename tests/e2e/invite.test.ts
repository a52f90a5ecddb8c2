/**
 * Issue 21 in real Chromium: a person invited by email before they have an
 * account opens the meeting link signed out, signs in with that email verified
 * and lands in the meeting (a signed-out deep link returns after sign-in); an
 * unverified account with the same email does not get in; an invite link works
 * once, and not after it is used up or revoked. Screenshots: `test-artifacts/invite-*.png`.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import type { Id } from "../../convex/_generated/dataModel";
import { personIn, screenshot } from "./browser";
import { type Stack, startStack } from "./stack";

/** Why 45 s: as in room.test.ts, a loaded 2-core machine can delay a reactive update; a healthy run takes ~1 s. */
const UI_TIMEOUT = 45_000;
const TEST_TIMEOUT = 240_000;
const NEWCOMER = "newt.comer@outside.example";

let stack: Stack;
let meetingId: Id<"meetings">;
let roomUrl: string;

beforeAll(async () => {
  stack = await startStack();
  const seeded = (await stack.engine.run("seed:demo", { issuer: stack.engine.devIssuer })) as {
    meetingId: Id<"meetings">;
  };
  meetingId = seeded.meetingId;
  roomUrl = `${stack.web.url}/meetings/${meetingId}`;
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

/** A signed-out browser context. */
async function stranger(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  return { context, page: await context.newPage() };
}

/** From a signed-out page showing "Sign in to continue": sign in as someone new, with an email. */
async function signInNew(page: Page, name: string, email: string | null, verified: boolean) {
  await page.getByTestId("sign-in-to-continue").click();
  await page.waitForURL(/\/sign-in\?next=/, { timeout: UI_TIMEOUT });
  await page.locator("#new-name").fill(name);
  if (email) await page.locator("#new-email").fill(email);
  const box = page.getByRole("checkbox", { name: "email verified" });
  if ((await box.isChecked()) !== verified) await box.click();
  await page.getByRole("button", { name: "Create and sign in" }).click();
  await page.getByTestId("signed-in-as").filter({ hasText: name }).waitFor({ timeout: UI_TIMEOUT });
}

function keepScreenshots(pages: Record<string, Page>): void {
  onTestFailed(async () => {
    for (const [name, page] of Object.entries(pages))
      if (!page.isClosed()) await screenshot(page, `failed-invite-${name}`).catch(() => undefined);
  });
}

describe("invitations in Chromium", () => {
  it(
    "invited by email before having an account: signs in with that verified email from the deep link and lands in the meeting; an unverified account does not",
    async () => {
      const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
      const mallory = await stranger(stack.browser);
      const newt = await stranger(stack.browser);
      keepScreenshots({ ada: ada.page, mallory: mallory.page, newt: newt.page });
      try {
        await ada.page.goto(roomUrl);
        await ada.page.locator("#invite-email").fill(NEWCOMER);
        await ada.page.getByRole("button", { name: "Invite", exact: true }).click();
        await ada.page
          .getByTestId("pending-invitations")
          .filter({ hasText: NEWCOMER })
          .waitFor({ timeout: UI_TIMEOUT });
        await screenshot(ada.page, "invite-1-host-pending-invitation");

        // The same address, unverified: signed in, back at the meeting, refused.
        await mallory.page.goto(roomUrl);
        await signInNew(mallory.page, "Mallory", NEWCOMER, false);
        await mallory.page.waitForURL(`**/meetings/${meetingId}`, { timeout: UI_TIMEOUT });
        const refusal = mallory.page.getByTestId("room-error");
        await refusal.waitFor({ timeout: UI_TIMEOUT });
        expect(await refusal.getAttribute("data-error-code")).toBe("FORBIDDEN");
        await screenshot(mallory.page, "invite-2-unverified-same-email-refused");
        // Still pending for the address's owner.
        await expect
          .poll(() => ada.page.getByTestId("pending-invitations").textContent(), {
            timeout: UI_TIMEOUT,
          })
          .toContain(NEWCOMER);

        // The owner opens the link from the mail signed out, signs in verified, lands in the room.
        await newt.page.goto(roomUrl);
        await newt.page.getByTestId("sign-in-to-continue").waitFor({ timeout: UI_TIMEOUT });
        await screenshot(newt.page, "invite-3-deep-link-signed-out");
        await signInNew(newt.page, "Newt Comer", NEWCOMER, true);
        // Back where the link pointed, not on the home page.
        await newt.page.waitForURL(`**/meetings/${meetingId}`, { timeout: UI_TIMEOUT });
        await newt.page.getByTestId("notes-editor").waitFor({ timeout: UI_TIMEOUT });
        await screenshot(newt.page, "invite-4-newcomer-in-the-meeting");
        await ada.page
          .getByTestId("participants")
          .filter({ hasText: "Newt Comer" })
          .waitFor({ timeout: UI_TIMEOUT });
        await expect.poll(() => ada.page.getByTestId("pending-invitations").count()).toBe(0);
        await screenshot(ada.page, "invite-5-host-sees-newcomer");
      } finally {
        await ada.context.close();
        await mallory.context.close();
        await newt.context.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "an invite link works once, then says it was used; a revoked link says so",
    async () => {
      const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
      const lina = await stranger(stack.browser);
      const sam = await stranger(stack.browser);
      keepScreenshots({ ada: ada.page, lina: lina.page, sam: sam.page });
      try {
        await ada.page.goto(roomUrl);
        await ada.page.getByRole("button", { name: "Make a link" }).click();
        const first = await ada.page
          .getByTestId("fresh-link")
          .locator("input")
          .inputValue({ timeout: UI_TIMEOUT });
        expect(first).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
        await screenshot(ada.page, "invite-6-link-made");

        // Lina opens it signed out, signs in, comes back to the link and joins.
        await lina.page.goto(first);
        await signInNew(lina.page, "Lina Link", null, true);
        await lina.page.waitForURL(first, { timeout: UI_TIMEOUT });
        await lina.page.getByTestId("redeem-link").click();
        await lina.page.waitForURL(`**/meetings/${meetingId}`, { timeout: UI_TIMEOUT });
        await lina.page.getByTestId("notes-editor").waitFor({ timeout: UI_TIMEOUT });
        await screenshot(lina.page, "invite-7-joined-with-link");

        // Sam: the same single-use link is spent.
        await sam.page.goto(first);
        await signInNew(sam.page, "Sam Second", null, true);
        await sam.page.waitForURL(first, { timeout: UI_TIMEOUT });
        await sam.page.getByTestId("redeem-link").click();
        await expect
          .poll(() => sam.page.getByTestId("redeem-error").textContent(), { timeout: UI_TIMEOUT })
          .toContain("already been used");
        await screenshot(sam.page, "invite-8-link-used-up");

        // A new link, revoked before Sam uses it.
        await ada.page.getByRole("button", { name: "Make a link" }).click();
        await expect
          .poll(() => ada.page.getByTestId("fresh-link").locator("input").inputValue(), {
            timeout: UI_TIMEOUT,
          })
          .not.toBe(first);
        const second = await ada.page.getByTestId("fresh-link").locator("input").inputValue();
        await ada.page
          .getByTestId("invite-links")
          .getByRole("button", { name: "Revoke" })
          .first()
          .click();
        await ada.page
          .getByTestId("invite-links")
          .filter({ hasText: "revoked" })
          .waitFor({ timeout: UI_TIMEOUT });
        await sam.page.goto(second);
        await sam.page.getByTestId("redeem-link").click();
        await expect
          .poll(() => sam.page.getByTestId("redeem-error").textContent(), { timeout: UI_TIMEOUT })
          .toContain("revoked");
        await screenshot(sam.page, "invite-9-link-revoked");
        await sam.page.goto(roomUrl);
        await sam.page.getByTestId("room-error").waitFor({ timeout: UI_TIMEOUT });
      } finally {
        await ada.context.close();
        await lina.context.close();
        await sam.context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
