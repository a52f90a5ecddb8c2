import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { getNotesRow, loadNotesDoc } from "../../convex/projectors/meetingNotes";
import { loadNotesSnapshot } from "../../convex/projectors/notesSnapshot";
import { deriveNotes } from "../../projections/meetingNotes/notesView";
import { makeConvex } from "../harness/convex";
import { appendNote, createMeeting, drain, withFakeScheduler } from "./fixtures";

/** A TipTap-shaped editor doc whose updates we capture, one per edit. */
function editor(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const frag = doc.getXmlFragment("default");
  return {
    doc,
    updates,
    paragraph(text: string) {
      const p = new Y.XmlElement("paragraph");
      const t = new Y.XmlText();
      t.insert(0, text);
      p.insert(0, [t]);
      frag.push([p]);
    },
  };
}

withFakeScheduler();

describe("meetingNotes projector", () => {
  test("compacts note updates into a snapshot with text, ProseMirror JSON and Markdown", async () => {
    const t = makeConvex();
    const { meetingId } = await createMeeting(t);
    const ed = editor(101);
    ed.paragraph("Agenda");
    ed.paragraph("Alice will send the deck by Friday");
    ed.doc.getXmlFragment("default").get(0);
    for (const [i, u] of ed.updates.entries())
      await appendNote(t, meetingId, 1000 + i, u, 101, i + 1);
    await drain(t);
    const row = await t.run(async (ctx) => await getNotesRow(ctx, meetingId, 1));
    expect(row?.text).toBe("Agenda\nAlice will send the deck by Friday");
    expect(row?.markdown).toBe("Agenda\n\nAlice will send the deck by Friday");
    expect(row?.wordCount).toBe(8);
    expect(row?.updateCount).toBe(ed.updates.length);
    expect(JSON.parse(row!.prosemirror)).toEqual(deriveNotes(ed.doc).prosemirror);
    // The snapshot is the same document as the editor's, and the bootstrap snapshot matches the row.
    const check = await t.run(async (ctx) => {
      const doc = await loadNotesDoc(ctx, meetingId, 1);
      const snap = await loadNotesSnapshot(ctx, meetingId);
      if (!snap) return null;
      const fresh = new Y.Doc();
      Y.applyUpdateV2(fresh, snap.update);
      return {
        sameDoc: Buffer.from(Y.encodeStateVector(doc)).equals(Y.encodeStateVector(ed.doc)),
        sv: Buffer.from(snap.stateVector).equals(Y.encodeStateVector(ed.doc)),
        cursorTs: snap.cursor.ts,
        text: deriveNotes(fresh).text,
      };
    });
    expect(check).toEqual({ sameDoc: true, sv: true, cursorTs: row?.lastTs, text: row?.text });
  });
});
