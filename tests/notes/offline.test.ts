/**
 * Offline: edits made while offline survive closing the page (the doc in
 * IndexedDB through y-indexeddb, the outbox in IndexedDB), and arrive after
 * the provider restarts from IndexedDB and reconnects — including edits made
 * inside the coalescing window just before the page died. `fake-indexeddb`
 * stands in for the browser's IndexedDB.
 */
import "fake-indexeddb/auto";
import { describe, expect, test } from "vitest";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { IndexedDbOutbox } from "../../crdt/indexedDbOutbox";
import { NotesProvider } from "../../crdt/provider";
import { pendingAtStart, summarisePending } from "../../web/lib/pendingChanges";
import { makeConvex } from "../harness/convex";
import { roomArgs } from "../harness/roomKey";
import { docFromState, makeMeeting } from "./fixtures";
import { TestHub, TestLink } from "./testTransport";

async function openPage(name: string, meetingId: Id<"meetings">, link: TestLink) {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  const outbox = new IndexedDbOutbox(`${name}-outbox`);
  const provider = new NotesProvider({
    meetingId,
    transport: link.transport,
    doc,
    outbox,
    coalesceMs: 20,
    ignoreOrigins: [persistence],
  });
  return { doc, persistence, provider, outbox };
}

/** The badge's count when a page opens, before the server answers (`pendingAtStart`). */
async function wordsPendingAtStart(page: Awaited<ReturnType<typeof openPage>>) {
  const loaded = await page.outbox.load();
  return summarisePending(pendingAtStart(page.doc, loaded, page.doc.clientID)).words;
}

async function closePage(page: Awaited<ReturnType<typeof openPage>>) {
  page.provider.destroy();
  await page.persistence.destroy();
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe("offline editing with IndexedDB", () => {
  test("N4 offline edits survive a page restart and arrive on reconnect", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
    const hub = new TestHub();
    const annLink = new TestLink(hub, people.ann!.as);
    const bob = new NotesProvider({
      meetingId,
      transport: new TestLink(hub, people.bob!.as).transport,
      coalesceMs: 5,
    });
    await bob.connect();

    const page1 = await openPage("ann-notes", meetingId, annLink);
    await page1.provider.connect();
    page1.doc.getText("t").insert(0, "online. ");
    await page1.provider.flush();
    annLink.online = false;
    page1.provider.disconnect();
    page1.doc.getText("t").insert(8, "typed offline.");
    await tick(60); // the coalescing window closes: the edit is in the outbox
    expect(page1.provider.hasUnsyncedChanges).toBe(true);
    await closePage(page1);

    const page2 = await openPage("ann-notes", meetingId, annLink);
    expect(page2.doc.getText("t").toString()).toBe("online. typed offline.");
    // What the server acknowledged is settled; only the offline words count as pending.
    expect(await wordsPendingAtStart(page2)).toBe(2);
    annLink.online = true;
    await page2.provider.connect();
    await page2.provider.flush();
    await hub.deliver();
    await tick();
    expect(bob.doc.getText("t").toString()).toBe("online. typed offline.");
    expect(page2.provider.hasUnsyncedChanges).toBe(false);
    await closePage(page2);
  });

  test("N7 an edit inside the coalescing window when the page dies is recovered", async () => {
    const t = makeConvex();
    const { meetingId, people } = await makeMeeting(t, { ann: "host", bob: "participant" });
    const hub = new TestHub();
    const annLink = new TestLink(hub, people.ann!.as);
    const page1 = await openPage("ann-crash", meetingId, annLink);
    await page1.provider.connect();
    annLink.online = false;
    page1.provider.disconnect();
    page1.doc.getText("t").insert(0, "last words");
    await tick(5); // y-indexeddb has the update; the 20 ms coalescing window is still open
    // The page dies: no flush, no destroy of the provider (its buffer is lost).
    page1.doc.off("update", (page1.provider as unknown as { onDocUpdate: () => void }).onDocUpdate);
    await page1.persistence.destroy();

    const page2 = await openPage("ann-crash", meetingId, annLink);
    expect(page2.doc.getText("t").toString()).toBe("last words");
    // The outbox never got the edit, the document did: still counted before reconnecting.
    expect(await wordsPendingAtStart(page2)).toBe(2);
    annLink.online = true;
    await page2.provider.connect();
    await page2.provider.flush();
    const boot = await people.bob!.as.query(
      api.notes.bootstrap,
      await roomArgs(people.bob!.as, meetingId),
    );
    if (!boot.ok) throw new Error(boot.message);
    const server = docFromState(boot);
    expect(server.getText("t").toString()).toBe("last words");
    await closePage(page2);
  });
});
