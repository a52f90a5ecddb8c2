/**
 * Issue 21 in real Chromium: the app starts without a network (the service
 * worker's cached page, the notes from IndexedDB), edits made then reach the
 * others after reconnecting; chat edit, delete and the offline pending state;
 * stale interim transcript words go away; the room at phone width.
 * Screenshots of each step go to `test-artifacts/offline-*.png`.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personIn, screenshot, signIn } from "./browser";
import {
  notesText,
  openRoom,
  screenshotsOnFailure,
  seedDemoRoom,
  TEST_TIMEOUT,
  typeAtEnd,
  UI_TIMEOUT,
  waitForNotes,
  withAdaAndGrace,
} from "./room";
import { type Stack, startStack } from "./stack";

let stack: Stack;
let roomUrl: string;

beforeAll(async () => {
  stack = await startStack();
  roomUrl = await seedDemoRoom(stack);
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

/**
 * How long the first install may take: the worker precaches the whole build through a cold
 * server while the other browser suites share the 2 cores (seen at over 45 s in CI).
 */
const WORKER_INSTALL_TIMEOUT = 100_000;
/** How long the first visit waits for the worker before the person opens the room again. */
const FIRST_VISIT_PATIENCE = 60_000;
/** The first test may wait for a first visit, a reload and a full install. */
const OFFLINE_TEST_TIMEOUT = 360_000;

/** Where the page's service worker registration stands, for a failure message. */
async function workerState(page: Page): Promise<string> {
  return await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return JSON.stringify({
      readyState: document.readyState,
      controller: navigator.serviceWorker.controller?.state ?? null,
      registration: r
        ? { installing: r.installing?.state, waiting: r.waiting?.state, active: r.active?.state }
        : null,
    });
  });
}

/** Polls until the service worker controls `page`; false when `timeout` passes first. */
async function controlledWithin(page: Page, timeout: number): Promise<boolean> {
  try {
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout })
      .toBe(true);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until the service worker controls `page` and holds a copy of the page it shows.
 * If the worker is not in control within `FIRST_VISIT_PATIENCE`, the person opens the room
 * again (a reload online, as someone would the next time): what is promised is that a room
 * opened once the worker is installed starts offline. Where the registration stood is
 * printed, so a slow first install stays visible in the log rather than hidden.
 */
async function pageKeptOffline(page: Page): Promise<void> {
  const warnings: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "warning" || m.type() === "error") warnings.push(m.text());
  };
  page.on("console", onConsole);
  try {
    if (!(await controlledWithin(page, FIRST_VISIT_PATIENCE))) {
      const first = await workerState(page);
      console.warn(`offline test: no worker in control after the first visit: ${first}`);
      await page.reload();
      if (!(await controlledWithin(page, WORKER_INSTALL_TIMEOUT))) {
        throw new Error(
          `the service worker never took control; first visit: ${first}; after a reload: ${await workerState(page)}; console: ${warnings.join(" | ")}`,
        );
      }
    }
  } finally {
    page.off("console", onConsole);
  }
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          if (!navigator.serviceWorker.controller) return "no worker in control";
          const kept = await (await caches.open("pages")).match(location.href);
          return kept ? "kept" : "not cached yet";
        }),
      { timeout: UI_TIMEOUT },
    )
    .toBe("kept");
}

/** What the service worker gets when it asks the server for anything (proves it is cut off). */
async function workerNetwork(context: BrowserContext): Promise<string> {
  const [worker] = context.serviceWorkers();
  if (!worker) return "no worker";
  return await worker.evaluate(() =>
    fetch("/api/health", { cache: "no-store" }).then(
      (r) => `status ${r.status}`,
      () => "unreachable",
    ),
  );
}

describe("offline start-up in Chromium", () => {
  it(
    "a reload without network opens the room with its notes; edits made then reach Ada after reconnecting",
    async () =>
      withAdaAndGrace(stack, roomUrl, "offline", async (ada, grace) => {
        await pageKeptOffline(grace.page);
        await screenshot(grace.page, "offline-1-room-online");

        await grace.context.setOffline(true);
        expect(await workerNetwork(grace.context)).toBe("unreachable");
        // The reload is answered by the service worker from its copy; the notes come from IndexedDB.
        const answer = await grace.page.reload();
        expect(answer?.fromServiceWorker()).toBe(true);
        await waitForNotes(grace.page);
        await grace.page.getByTestId("offline-banner").waitFor({ timeout: UI_TIMEOUT });
        expect(await grace.page.getByTestId("offline-banner").textContent()).toContain(
          "Offline — changes will sync.",
        );
        expect(await grace.page.getByRole("heading", { level: 1 }).textContent()).toBe(
          "Connvo demo: launch planning",
        );
        await screenshot(grace.page, "offline-2-reloaded-offline");

        await typeAtEnd(grace.page, "Written on the train, offline.");
        expect(await notesText(grace.page)).toMatch(/Friday\.Written on the train, offline\.$/);
        await expect
          .poll(() => grace.page.getByTestId("sync-status").textContent(), { timeout: UI_TIMEOUT })
          .toBe("Offline · 5 new words will sync when you are back online");
        await screenshot(grace.page, "offline-3-edited-offline");

        // A second offline reload keeps the edit (IndexedDB) and still counts all of it as pending,
        // even if the outbox's last write had not landed when the page went away right after
        // typing: the restored notes hold the words (README "Starting offline").
        await grace.page.reload();
        await waitForNotes(grace.page);
        expect(await notesText(grace.page)).toContain("Written on the train, offline.");
        await expect
          .poll(() => grace.page.getByTestId("sync-status").textContent(), { timeout: UI_TIMEOUT })
          .toBe("Offline · 5 new words will sync when you are back online");
        expect(await notesText(ada.page)).not.toContain("Written on the train");

        // Back online: the same page (no reload) pushes the edit, and Ada gets it.
        await grace.context.setOffline(false);
        await expect
          .poll(() => notesText(ada.page), { timeout: UI_TIMEOUT })
          .toContain("Written on the train, offline.");
        await expect
          .poll(() => grace.page.getByTestId("sync-status").textContent(), { timeout: UI_TIMEOUT })
          .toBe("Saved");
        await expect
          .poll(() => grace.page.getByTestId("offline-banner").count(), { timeout: UI_TIMEOUT })
          .toBe(0);
        // The live room is back (people panel, chat), and both copies of the notes agree.
        await grace.page.getByTestId("chat-log").waitFor({ timeout: UI_TIMEOUT });
        await expect
          .poll(async () => (await notesText(ada.page)) === (await notesText(grace.page)), {
            timeout: UI_TIMEOUT,
          })
          .toBe(true);
        await screenshot(grace.page, "offline-4-synced-grace");
        await screenshot(ada.page, "offline-5-arrived-ada");
      }),
    OFFLINE_TEST_TIMEOUT,
  );

  it(
    "offline, the meetings list says what this device keeps, and a meeting never opened here says it is not available",
    async () => {
      const alan = await personIn(stack.browser, stack.web.url, "Alan Turing");
      screenshotsOnFailure({ "offline-unknown": alan.page });
      try {
        // Only the meetings list was opened here.
        await alan.page.goto(stack.web.url);
        await pageKeptOffline(alan.page);
        await alan.context.setOffline(true);
        // The kept meetings list opens, and says which meetings this device can open offline.
        await alan.page.reload();
        const kept = alan.page.getByTestId("offline-meetings");
        await kept.waitFor({ timeout: UI_TIMEOUT });
        expect(await kept.textContent()).toContain("No meeting was opened on this device yet");
        await screenshot(alan.page, "offline-6-meetings-list");
        await alan.page.goto(roomUrl);
        await alan.page.getByTestId("offline-fallback").waitFor({ timeout: UI_TIMEOUT });
        await screenshot(alan.page, "offline-7-not-kept");
      } finally {
        await alan.context.close();
      }
    },
    OFFLINE_TEST_TIMEOUT,
  );
});

describe("room rough edges in Chromium", () => {
  it(
    "chat: a message is edited and deleted in the page; one sent offline waits, then arrives",
    async () =>
      withAdaAndGrace(stack, roomUrl, "chat", async (ada, grace) => {
        const adaChat = ada.page.getByTestId("chat-log");
        const graceChat = grace.page.getByTestId("chat-log");
        await ada.page
          .getByLabel("Message", { exact: true })
          .fill("Pricing deck v3 is in the drive");
        await ada.page.getByRole("button", { name: "Send" }).click();
        const graceSees = graceChat
          .getByTestId("chat-message")
          .filter({ hasText: "Pricing deck v3" });
        await graceSees.waitFor({ timeout: UI_TIMEOUT });

        const mine = adaChat.getByTestId("chat-message").filter({ hasText: "Pricing deck v3" });
        await mine.getByRole("button", { name: "Edit" }).click();
        await ada.page.getByLabel("Edit message").fill("Pricing deck v3 is in the shared folder");
        await ada.page.getByRole("button", { name: "Save" }).click();
        await expect
          .poll(() => graceSees.textContent(), { timeout: UI_TIMEOUT })
          .toContain("Pricing deck v3 is in the shared folder");
        expect(await graceSees.textContent()).toContain("· edited");
        await screenshot(grace.page, "chat-1-edited");

        await mine.getByRole("button", { name: "Delete" }).click();
        await expect.poll(() => graceSees.count(), { timeout: UI_TIMEOUT }).toBe(0);
        await graceChat
          .getByTestId("chat-message")
          .filter({ hasText: "(message deleted)" })
          .waitFor({ timeout: UI_TIMEOUT });
        await screenshot(grace.page, "chat-2-deleted");

        // Offline, a sent message stays in the page as waiting, then goes out on reconnect.
        await grace.context.setOffline(true);
        await grace.page.getByLabel("Message", { exact: true }).fill("Sent from a tunnel");
        await grace.page.getByRole("button", { name: "Send" }).click();
        const waiting = graceChat.getByTestId("chat-pending").filter({ hasText: "Sent from a" });
        await waiting.waitFor({ timeout: UI_TIMEOUT });
        expect(await waiting.textContent()).toContain("waiting to send (offline)");
        await screenshot(grace.page, "chat-3-pending-offline");
        await grace.context.setOffline(false);
        await adaChat
          .getByTestId("chat-message")
          .filter({ hasText: "Sent from a tunnel" })
          .waitFor({ timeout: UI_TIMEOUT });
        await expect.poll(() => waiting.count(), { timeout: UI_TIMEOUT }).toBe(0);
      }),
    TEST_TIMEOUT,
  );

  it(
    "the transcript leaves no stale interim words after the speaker stops mid-sentence",
    async () =>
      withAdaAndGrace(stack, roomUrl, "interim", async (ada, grace) => {
        const transcript = grace.page.getByTestId("transcript");
        await ada.page.getByRole("button", { name: "Simulate speaking" }).click();
        // Stop while a sentence is still interim (italic) on Grace's screen.
        await transcript.locator(".interim").first().waitFor({ timeout: UI_TIMEOUT });
        await ada.page.getByRole("button", { name: "Stop simulated speech" }).click();
        await screenshot(grace.page, "transcript-1-interim");
        // The server closes the utterance after its interim timeout (10 s): the words go.
        await expect
          .poll(() => transcript.locator(".interim").count(), { timeout: UI_TIMEOUT })
          .toBe(0);
        await screenshot(grace.page, "transcript-2-no-stale-interim");
      }),
    TEST_TIMEOUT,
  );

  it(
    "at phone width the notes, call and transcript are tabs, and switching keeps the editor's text",
    async () => {
      const context = await stack.browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      screenshotsOnFailure({ phone: page });
      try {
        await signIn(page, stack.web.url, "Grace Hopper");
        await openRoom(page, roomUrl);
        const tabs = page.getByRole("tablist", { name: "Meeting room" });
        await tabs.waitFor({ timeout: UI_TIMEOUT });
        const editor = page.getByTestId("notes-editor");
        expect(await editor.isVisible()).toBe(true);
        await typeAtEnd(page, "Typed on a phone.");
        await screenshot(page, "phone-1-notes");

        await tabs.getByRole("tab", { name: "Call" }).click();
        const call = page.getByTestId("call");
        await call.waitFor({ state: "visible", timeout: UI_TIMEOUT });
        expect(await editor.isVisible()).toBe(false);
        await screenshot(page, "phone-2-call");

        await tabs.getByRole("tab", { name: "Transcript" }).click();
        await page.getByTestId("transcript").waitFor({ state: "visible", timeout: UI_TIMEOUT });
        expect(await call.isVisible()).toBe(false);
        await screenshot(page, "phone-3-transcript");

        await tabs.getByRole("tab", { name: "People & chat" }).click();
        await page.getByTestId("chat-log").waitFor({ state: "visible", timeout: UI_TIMEOUT });
        await screenshot(page, "phone-4-people");

        await tabs.getByRole("tab", { name: "Notes" }).click();
        expect(await editor.isVisible()).toBe(true);
        expect(await notesText(page)).toContain("Typed on a phone.");
        // Nothing is wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          390,
        );
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT,
  );
});
