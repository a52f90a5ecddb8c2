import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { describePending, summarisePending } from "./pendingChanges";

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
