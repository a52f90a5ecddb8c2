import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { describePending, pendingAtStart, summarisePending } from "./pendingChanges";

/** A doc whose notes (one paragraph) the server already has, and a recorder of later updates. */
function notes(initial: string) {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlText();
  doc.getXmlFragment("default").insert(0, [paragraph]);
  paragraph.insert(0, initial);
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  return { doc, paragraph, updates };
}

/** Types `text` at `at` one keystroke (one transaction, one update) at a time. */
function type(paragraph: Y.XmlText, at: number, text: string): void {
  for (const [i, ch] of [...text].entries()) paragraph.insert(at + i, ch);
}

describe("pending notes changes in words", () => {
  it("counts a sentence typed key by key as its words, not its keystrokes", () => {
    const { paragraph, updates } = notes("Agenda");
    type(paragraph, 6, " Written on the train, offline.");
    expect(updates.length).toBe(31);
    const s = summarisePending(updates);
    expect(s).toEqual({ words: 5, characters: 31, removed: 0, formatting: 0 });
    expect(describePending(s)).toBe("5 new words");
  });

  it("keeps words typed in two places apart", () => {
    const { paragraph, updates } = notes("ab");
    type(paragraph, 2, " end");
    type(paragraph, 0, "start ");
    expect(summarisePending(updates).words).toBe(2);
  });

  it("counts removed text the server had, and not text typed then erased", () => {
    const { paragraph, updates } = notes("Agenda for Monday");
    paragraph.delete(10, 7); // " Monday"
    type(paragraph, 10, " Tuesday");
    paragraph.delete(10, 8); // the new " Tuesday" again
    const s = summarisePending(updates);
    expect(s.removed).toBe(7);
    expect(s.words).toBe(0);
    expect(describePending(s)).toBe("7 deleted characters");
  });

  it("names formatting and short edits", () => {
    const { paragraph, updates } = notes("Agenda");
    paragraph.format(0, 6, { bold: true });
    type(paragraph, 6, "!");
    const s = summarisePending(updates);
    expect(s.formatting).toBeGreaterThan(0);
    expect(describePending(s)).toBe("1 new character and formatting");
    expect(describePending(summarisePending([]))).toBeNull();
  });
});

describe("what earlier visits left unsent, when the notes open", () => {
  /** The server's notes (by another client), and this device's doc restored with them. */
  function restored(initial: string) {
    const server = new Y.Doc();
    const text = new Y.XmlText();
    server.getXmlFragment("default").insert(0, [text]);
    text.insert(0, initial);
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
    const paragraph = device.getXmlFragment("default").get(0) as Y.XmlText;
    return { server, device, paragraph };
  }
  const entry = (clientId: number, seq: number, update: Uint8Array) => ({ clientId, seq, update });
  const none = new Map<number, number>();

  it("counts an edit whose outbox write was lost with the page: the document still has it", () => {
    const { device, paragraph } = restored("Agenda");
    const earlier = device.clientID;
    const written: Uint8Array[] = [];
    device.on("update", (u: Uint8Array) => written.push(u));
    type(paragraph, 6, " Written on the train, offline.");
    // Only the first 12 keystrokes reached the outbox before the page went away.
    const loaded = {
      entries: [entry(earlier, 1, Y.mergeUpdates(written.slice(0, 12)))],
      lastSeqs: new Map([[earlier, 1]]),
      settled: none,
    };
    const s = summarisePending(pendingAtStart(device, loaded, 12345));
    expect(s).toEqual({ words: 5, characters: 31, removed: 0, formatting: 0 });
    // The outbox alone said fewer.
    expect(summarisePending(loaded.entries.map((e) => e.update)).words).toBeLessThan(5);
  });

  it("leaves out what the server was known to hold, others' deletions and the open doc's own id", () => {
    const { server, device, paragraph } = restored("Agenda for Monday");
    const earlier = device.clientID;
    type(paragraph, 17, " and Tuesday");
    const settledAt = Y.decodeStateVector(Y.encodeStateVector(device)).get(earlier)!;
    // Someone else's deletion reached this device (it is in the document's delete set)...
    const theirs = server.getXmlFragment("default").get(0) as Y.XmlText;
    theirs.delete(6, 4); // " for"
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server, Y.encodeStateVector(device)));
    // ...then, offline, two more words (their outbox entries lost), typed and one erased again.
    type(paragraph, paragraph.length, " then lunch");
    paragraph.delete(paragraph.length - 6, 6);
    const loaded = {
      entries: [],
      lastSeqs: new Map([
        [earlier, 3],
        [device.clientID + 1, 0],
      ]),
      settled: new Map([[earlier, settledAt]]),
    };
    expect(summarisePending(pendingAtStart(device, loaded, 999))).toEqual({
      words: 1,
      characters: 5,
      removed: 0,
      formatting: 0,
    });
    // Once the server holds everything, nothing is pending; the open doc's id is never counted.
    const all = Y.decodeStateVector(Y.encodeStateVector(device)).get(earlier)!;
    expect(pendingAtStart(device, { ...loaded, settled: new Map([[earlier, all]]) }, 999)).toEqual(
      [],
    );
    expect(pendingAtStart(device, loaded, earlier)).toEqual([]);
  });
});
