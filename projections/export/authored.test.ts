/**
 * `deleteAuthored` (issue 18): deletes exactly the live characters a person's
 * client ids created — inside someone else's paragraph too — and leaves the
 * other people's characters; once the document is garbage-collected and
 * re-encoded, the deleted text is gone from the bytes.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { NOTES_FRAGMENT } from "../meetingNotes/document";
import { authoredBlocks, deleteAuthored } from "./authored";

function paragraph(doc: Y.Doc, line: string): Y.XmlText {
  const text = new Y.XmlText(line);
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [text]);
  const frag = doc.getXmlFragment(NOTES_FRAGMENT);
  frag.insert(frag.length, [p]);
  return text;
}

function sync(from: Y.Doc, to: Y.Doc) {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe("deleteAuthored", () => {
  test("removes the person's characters, in their paragraphs and inside others', and keeps everyone else's", () => {
    const pia = new Y.Doc();
    const hana = new Y.Doc();
    paragraph(pia, "pia owns this line");
    sync(pia, hana);
    const shared = paragraph(hana, "hana starts, ");
    sync(hana, pia);
    // Pia types into Hana's paragraph.
    const piaView = (pia.getXmlFragment(NOTES_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    piaView.insert(piaView.length, "pia adds okapi");
    sync(pia, hana);
    expect(shared.toString()).toBe("hana starts, pia adds okapi");

    const server = new Y.Doc({ gc: true });
    sync(hana, server);
    let deleted = 0;
    server.transact(() => {
      deleted = deleteAuthored(server, NOTES_FRAGMENT, new Set([pia.clientID]));
    });
    expect(deleted).toBe("pia owns this line".length + "pia adds okapi".length);
    expect(authoredBlocks(server, NOTES_FRAGMENT, new Set([hana.clientID]))).toEqual([
      "hana starts, ",
    ]);
    expect(authoredBlocks(server, NOTES_FRAGMENT, new Set([pia.clientID]))).toEqual([]);
    const bytes = new TextDecoder().decode(Y.encodeStateAsUpdate(server));
    expect(bytes).not.toContain("okapi");
    expect(bytes).not.toContain("pia owns");
    expect(bytes).toContain("hana starts");
    // A second pass finds nothing left.
    server.transact(() => {
      deleted = deleteAuthored(server, NOTES_FRAGMENT, new Set([pia.clientID]));
    });
    expect(deleted).toBe(0);
  });
});
