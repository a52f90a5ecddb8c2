/**
 * Helpers the meeting-room browser tests share: reading and typing the notes,
 * opening the room, screenshots on failure, and their patience.
 */
import type { BrowserContext, Page } from "playwright-core";
import { expect, onTestFailed } from "vitest";
import type { Id } from "../../convex/_generated/dataModel";
import { seedNotes } from "../../scripts/start/seed-notes";
import { DEMO_USERS } from "../../web/lib/devUsers";
import { personIn, screenshot } from "./browser";
import type { Stack } from "./stack";

/**
 * Why 45 s: on two cores under a full parallel test run, a reconnect plus the provider's push
 * backoff (up to 10 s) can delay convergence well past the ~1 s it takes when idle; a healthy
 * run never waits this long, a broken one still fails.
 */
export const UI_TIMEOUT = 45_000;
/** Why: a test makes several such waits in a row; vitest's default (60 s) would cut them short. */
export const TEST_TIMEOUT = 180_000;

/** Text of the notes editor on `page`, without the name labels of other people's carets. */
export async function notesText(page: Page): Promise<string> {
  return await page.getByTestId("notes-editor").evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll(".collaboration-carets__caret")) caret.remove();
    return copy.textContent ?? "";
  });
}

/** On failure, keeps a screenshot of each page (as `test-artifacts/failed-<name>.png`). */
export function screenshotsOnFailure(pages: Record<string, Page>): void {
  onTestFailed(async () => {
    for (const [name, page] of Object.entries(pages)) {
      if (!page.isClosed()) await screenshot(page, `failed-${name}`).catch(() => undefined);
    }
  });
}

/** Opens the room at `roomUrl` and waits until the seeded notes are in the editor. */
export async function openRoom(page: Page, roomUrl: string): Promise<void> {
  await page.goto(roomUrl);
  await waitForNotes(page);
}

/** Waits until the notes editor shows the seeded notes. */
export async function waitForNotes(page: Page): Promise<void> {
  await page.getByTestId("notes-editor").waitFor({ timeout: UI_TIMEOUT });
  await expect.poll(() => notesText(page), { timeout: UI_TIMEOUT }).toContain("Agenda");
}

/**
 * Whether the editor's own selection (not only the DOM's) is a caret with no text after it.
 * TipTap puts the editor on its DOM element (`dom.editor`).
 */
async function caretAtEnd(page: Page): Promise<boolean> {
  return await page.getByTestId("notes-editor").evaluate((el) => {
    const editor = (el as unknown as { editor?: EditorLike }).editor;
    if (!editor) return false;
    const { doc, selection } = editor.state;
    return selection.empty && doc.textBetween(selection.head, doc.content.size, "\n") === "";
  });
}
type EditorLike = {
  state: {
    doc: { content: { size: number }; textBetween(from: number, to: number, sep: string): string };
    selection: { empty: boolean; head: number };
  };
};

/**
 * Types `text` as a new paragraph at the end of the notes. ProseMirror learns of a caret the
 * keyboard moved from the browser's `selectionchange` event, which comes later; Enter pressed
 * before it would split the paragraph the click left the caret in (seen under load: the
 * sentence landed above the first line). So it waits until the editor has the caret at the end.
 */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.getByTestId("notes-editor").click();
  await expect
    .poll(
      async () => {
        if (await caretAtEnd(page)) return true;
        await page.keyboard.press("Control+End");
        return false;
      },
      { timeout: UI_TIMEOUT },
    )
    .toBe(true);
  await page.keyboard.press("Enter");
  await page.keyboard.type(text);
}

/** Seeds the demo (its live meeting, with notes by Ada); returns the meeting's room URL. */
export async function seedDemoRoom(stack: Stack): Promise<string> {
  const seeded = (await stack.engine.run("seed:demo", { issuer: stack.engine.devIssuer })) as {
    meetingId: Id<"meetings">;
  };
  await seedNotes(
    stack.engine.url,
    (u) => stack.engine.mintDevToken({ subject: u.subject, name: u.name, email: u.email }),
    DEMO_USERS[0]!,
    seeded.meetingId,
  );
  return `${stack.web.url}/meetings/${seeded.meetingId}`;
}

/** A signed-in person's own browser context and page. */
export type Person = { context: BrowserContext; page: Page };

/**
 * Runs `body` with Ada and Grace signed in, each in a browser context of their own
 * (own storage, own IndexedDB), both in the room at `roomUrl` with its notes loaded;
 * screenshots both on failure (`failed-<name>-ada.png`, …) and closes both after.
 */
export async function withAdaAndGrace(
  stack: Stack,
  roomUrl: string,
  name: string,
  body: (ada: Person, grace: Person) => Promise<void>,
): Promise<void> {
  const ada = await personIn(stack.browser, stack.web.url, "Ada Lovelace");
  const grace = await personIn(stack.browser, stack.web.url, "Grace Hopper");
  screenshotsOnFailure({ [`${name}-ada`]: ada.page, [`${name}-grace`]: grace.page });
  try {
    await openRoom(ada.page, roomUrl);
    await openRoom(grace.page, roomUrl);
    await body(ada, grace);
  } finally {
    await ada.context.close();
    await grace.context.close();
  }
}
