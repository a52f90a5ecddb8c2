// @vitest-environment happy-dom
/**
 * The editor's Yjs binding (TipTap's Collaboration over `@tiptap/y-tiptap`, patched in
 * `patches/`): what a local edit writes into the shared document. Enter at the start of a
 * paragraph must add one empty paragraph and leave the paragraph's text as it is; before the
 * patch the binding deleted that text and wrote a copy, so another person's concurrent edit to
 * the line was lost and the offline badge counted the whole line as new.
 */
import { Editor } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import StarterKit from "@tiptap/starter-kit";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import { summarisePending } from "../lib/pendingChanges";

const LINES = [
  "Agenda: launch date and pricing",
  "Decision: ship notes first",
  "To do: share numbers",
];
const editors: Editor[] = [];

afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

/** A document holding `LINES` as paragraphs, and an editor bound to a copy of it. */
function setUp() {
  const source = new Y.Doc();
  const fragment = source.getXmlFragment(NOTES_FRAGMENT);
  for (const line of LINES) {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(line)]);
    fragment.push([p]);
  }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  const editor = new Editor({
    extensions: [
      StarterKit.configure({ undoRedo: false }),
      Collaboration.configure({ document: doc, field: NOTES_FRAGMENT }),
    ],
  });
  editors.push(editor);
  const written: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => written.push(u));
  return { source, doc, editor, written };
}

/** The paragraphs of `doc`'s notes as text. */
function lines(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(NOTES_FRAGMENT)
    .toArray()
    .map((p) =>
      (p as Y.XmlElement)
        .toArray()
        .map((t) => (t as Y.XmlText).toString())
        .join(""),
    );
}

/** The position at the start of paragraph `index` (0-based) of the editor's document. */
function startOf(editor: Editor, index: number): number {
  let pos = 0;
  for (let i = 0; i < index; i++) pos += editor.state.doc.child(i).nodeSize;
  return pos + 1;
}

describe("the notes editor's Yjs binding", () => {
  for (const index of [0, 1]) {
    it(`Enter at the start of paragraph ${index + 1} adds an empty paragraph and rewrites no text`, () => {
      const { doc, editor, written } = setUp();
      editor.commands.setTextSelection(startOf(editor, index));
      editor.commands.enter();
      const expected = [...LINES];
      expected.splice(index, 0, "");
      expect(lines(doc)).toEqual(expected);
      expect(summarisePending(written)).toEqual({
        words: 0,
        characters: 0,
        removed: 0,
        formatting: 0,
      });
    });
  }

  it("a concurrent edit to a line someone splits above survives the merge", () => {
    const { source, doc, editor } = setUp();
    // Ada, on her own copy, deletes " and pricing" from the first line...
    const ada = new Y.Doc();
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(source));
    const first = ada.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement;
    const text = first.get(0) as Y.XmlText;
    text.delete(LINES[0]!.indexOf(" and pricing"), " and pricing".length);
    // ...while Grace presses Enter at its start.
    editor.commands.setTextSelection(startOf(editor, 0));
    editor.commands.enter();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(ada, Y.encodeStateVector(doc)));
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(ada)));
    expect(lines(doc)).toEqual(["", "Agenda: launch date", ...LINES.slice(1)]);
    expect(lines(ada)).toEqual(lines(doc));
  });

  it("moving a paragraph keeps the others' shared types (the binding's move handling still works)", () => {
    const { doc, editor } = setUp();
    const before = doc.getXmlFragment(NOTES_FRAGMENT).toArray();
    // Move the last paragraph to the top, as a drag and drop does (the same node, cut and pasted).
    const last = editor.state.doc.child(2);
    const from = startOf(editor, 2) - 1;
    editor.view.dispatch(editor.state.tr.delete(from, from + last.nodeSize).insert(0, last));
    const after = doc.getXmlFragment(NOTES_FRAGMENT).toArray();
    expect(lines(doc)).toEqual([LINES[2], LINES[0], LINES[1]]);
    expect(after[1]).toBe(before[0]);
    expect(after[2]).toBe(before[1]);
  });
});
