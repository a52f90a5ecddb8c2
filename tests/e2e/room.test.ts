/**
 * The web app in real Chromium against the embedded engine (issue 6):
 * co-editing with carets, offline edits surviving a reload, the room refusing
 * a non-participant. Screenshots go to `test-artifacts/`.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personIn, screenshot } from "./browser";
import {
  notesText,
  openRoom as openRoomAt,
  seedDemoRoom,
  TEST_TIMEOUT,
  typeAtEnd,
  UI_TIMEOUT,
  withAdaAndGrace,
} from "./room";
import { type Stack, startStack } from "./stack";

let stack: Stack;
let roomUrl: string;

/** Opens the demo meeting's room and waits until the seeded notes are in the editor. */
async function openRoom(page: Page): Promise<void> {
  await openRoomAt(page, roomUrl);
}

beforeAll(async () => {
  stack = await startStack();
  roomUrl = await seedDemoRoom(stack);
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("meeting room in Chromium", () => {
  it(
    "two people co-edit the notes, converge, and see each other's caret",
    async () =>
      withAdaAndGrace(stack, roomUrl, "coedit", async (ada, grace) => {
        await typeAtEnd(ada.page, "Ada: pricing page draft by Monday.");
        await typeAtEnd(grace.page, "Grace: benchmark table in the appendix.");
        for (const page of [ada.page, grace.page]) {
          await expect
            .poll(() => notesText(page), { timeout: UI_TIMEOUT })
            .toContain("Ada: pricing");
          await expect
            .poll(() => notesText(page), { timeout: UI_TIMEOUT })
            .toContain("Grace: benchmark");
        }
        await expect
          .poll(async () => (await notesText(ada.page)) === (await notesText(grace.page)), {
            timeout: UI_TIMEOUT,
          })
          .toBe(true);
        // Carets: each editor is focused in its own page, so each sees the other's labelled caret.
        await ada.page
          .locator(".collaboration-carets__label", { hasText: "Grace Hopper" })
          .waitFor({ timeout: UI_TIMEOUT });
        await grace.page
          .locator(".collaboration-carets__label", { hasText: "Ada Lovelace" })
          .waitFor({ timeout: UI_TIMEOUT });
        await expect
          .poll(() => ada.page.getByTestId("sync-status").textContent(), { timeout: UI_TIMEOUT })
          .toBe("Saved");
        // The development transcript simulator speaks as Ada; Grace's live pane shows it.
        await ada.page.getByRole("button", { name: "Simulate speaking" }).click();
        await expect
          .poll(() => grace.page.getByTestId("transcript").textContent(), { timeout: UI_TIMEOUT })
          .toContain("Thanks for making time");
        await ada.page.getByRole("button", { name: "Stop simulated speech" }).click();
        await screenshot(ada.page, "room");
      }),
    TEST_TIMEOUT,
  );

  it(
    "edits made offline reach the others once back online, in a room opened anew",
    async () =>
      withAdaAndGrace(stack, roomUrl, "offline", async (ada, grace) => {
        await grace.context.setOffline(true);
        await typeAtEnd(grace.page, "Written on the train, offline.");
        await expect
          .poll(() => grace.page.getByTestId("sync-status").textContent(), { timeout: UI_TIMEOUT })
          .toBe("Offline · 5 new words will sync when you are back online");
        await screenshot(grace.page, "room-offline");
        // Nothing reached the server: Ada does not have it.
        expect(await notesText(ada.page)).not.toContain("Written on the train");
        // Back online, a freshly opened room restores the edit from IndexedDB and pushes it
        // (a reload while still offline: tests/e2e/offline.test.ts).
        await grace.context.setOffline(false);
        await openRoom(grace.page);
        await expect
          .poll(() => notesText(grace.page), { timeout: UI_TIMEOUT })
          .toContain("Written on the train, offline.");
        await expect
          .poll(() => notesText(ada.page), { timeout: UI_TIMEOUT })
          .toContain("Written on the train, offline.");
        await expect
          .poll(async () => (await notesText(ada.page)) === (await notesText(grace.page)), {
            timeout: UI_TIMEOUT,
          })
          .toBe(true);
        await expect
          .poll(() => grace.page.getByTestId("sync-status").textContent(), { timeout: UI_TIMEOUT })
          .toBe("Saved");
      }),
    TEST_TIMEOUT,
  );

  it(
    "a person who is not a participant cannot open the room",
    async () => {
      const context = await stack.browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${stack.web.url}/sign-in`);
        await page.getByLabel("Your name").fill("Eve Outsider");
        await page.getByRole("button", { name: "Create and sign in" }).click();
        await page.getByTestId("signed-in-as").filter({ hasText: "Eve Outsider" }).waitFor();
        await page.goto(roomUrl);
        const error = page.getByTestId("room-error");
        await error.waitFor({ timeout: UI_TIMEOUT });
        expect(await error.getAttribute("data-error-code")).toBe("FORBIDDEN");
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
          "You cannot open this meeting",
        );
        expect(await page.getByTestId("notes-editor").count()).toBe(0);
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT,
  );

  // Runs after the editing tests above (same file, in order): the log then holds the seeded
  // notes first and the offline line last.
  it(
    "the timeline scrubber shows earlier text at an earlier instant",
    async () => {
      const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
      try {
        const page = ada.page;
        await page.goto(`${roomUrl}/replay`);
        const scrubber = page.getByTestId("scrubber");
        await scrubber.waitFor({ timeout: UI_TIMEOUT });
        const notes = page.getByTestId("replay-notes");
        await expect
          .poll(() => notes.textContent(), { timeout: UI_TIMEOUT })
          .toContain("Written on the train, offline.");
        // Back to the very start: no notes yet.
        await scrubber.focus();
        await page.keyboard.press("Home");
        await expect
          .poll(() => notes.textContent(), { timeout: UI_TIMEOUT })
          .not.toContain("Agenda");
        // Step through the changes until the seeded notes appear: the later lines are not there yet.
        const next = page.getByRole("button", { name: "Next change ▶" });
        for (let i = 0; i < 200 && !((await notes.textContent()) ?? "").includes("Agenda"); i++) {
          await next.click();
        }
        const earlier = (await notes.textContent()) ?? "";
        expect(earlier).toContain("Agenda");
        expect(earlier).not.toContain("Written on the train");
        expect(earlier).not.toContain("Ada: pricing");
        await screenshot(page, "replay");
        // Play moves the clock forward; Pause stops it.
        const clockText = await page.getByTestId("replay-clock").textContent();
        await page.getByRole("button", { name: "Play" }).click();
        await expect
          .poll(() => page.getByTestId("replay-clock").textContent(), { timeout: UI_TIMEOUT })
          .not.toBe(clockText);
        await page.getByRole("button", { name: "Pause" }).click();
        // And at the end everything is back.
        await scrubber.focus();
        await page.keyboard.press("End");
        await expect
          .poll(() => notes.textContent(), { timeout: UI_TIMEOUT })
          .toContain("Written on the train, offline.");
      } finally {
        await ada.context.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "the host ends the meeting and each participant reads their insights",
    async () => {
      const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
      try {
        const page = ada.page;
        await openRoom(page);
        page.once("dialog", (d) => void d.accept());
        await page.getByRole("button", { name: "End meeting" }).click();
        await page.getByRole("link", { name: "Insights" }).click();
        const card = page.getByTestId("insights-card").first();
        await card.waitFor({ timeout: 60_000 });
        expect(await card.getByRole("heading", { level: 2 }).textContent()).toBe("Your insights");
        expect(((await card.textContent()) ?? "").length).toBeGreaterThan(40);
        await screenshot(page, "insights");
      } finally {
        await ada.context.close();
      }
    },
    TEST_TIMEOUT,
  );
});

describe("meetings list in Chromium", () => {
  it(
    "a host schedules, invites and starts a meeting; the invitee sees it live",
    async () => {
      const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
      const alan = await personIn(stack.browser, stack.web.url, "Alan Turing");
      try {
        await ada.page.goto(`${stack.web.url}/meetings/new`);
        await ada.page.getByLabel("Title").fill("Hiring sync");
        await ada.page.getByRole("button", { name: "Schedule" }).click();
        await ada.page.waitForURL(/\/meetings\/(?!new)[^/]+$/, { timeout: UI_TIMEOUT });
        await ada.page.getByLabel("Email to invite").fill("alan@connvo.dev");
        await ada.page.getByRole("button", { name: "Invite" }).click();
        await ada.page.getByText("Invited alan@connvo.dev.").waitFor({ timeout: UI_TIMEOUT });
        await ada.page.getByRole("button", { name: "Start meeting" }).click();
        await ada.page.getByText("live", { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
        await alan.page.goto(stack.web.url);
        const live = alan.page.getByRole("region", { name: "Live now" });
        await live.getByRole("link", { name: "Hiring sync" }).waitFor({ timeout: UI_TIMEOUT });
        await screenshot(alan.page, "meetings");
        // Opening the live room joins the call; leaving brings Alan back to his meetings.
        await live.getByRole("link", { name: "Hiring sync" }).click();
        await alan.page.getByRole("button", { name: "Leave call" }).click({ timeout: UI_TIMEOUT });
        await alan.page.waitForURL(`${stack.web.url}/`, { timeout: UI_TIMEOUT });
      } finally {
        await ada.context.close();
        await alan.context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
