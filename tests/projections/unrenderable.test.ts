/**
 * Issue 12 finding 2, the projector side (P11): an event already in the log
 * (stored before push validation knew the editor's schema) after which the
 * notes view cannot be derived is parked and reported; the projector moves
 * on (never stuck "scheduled"), later edits reach the view, and
 * `timeline.stateAt` answers at every instant.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { getKick } from "../../convex/projectors/kick";
import { getNotesRow } from "../../convex/projectors/meetingNotes";
import { computeStateAt } from "../../convex/timeline";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import { makeConvex } from "../harness/convex";
import { appendNote, createMeeting, drain, withFakeScheduler } from "./fixtures";

withFakeScheduler();

function edit(doc: Y.Doc, fn: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  fn();
  return Y.encodeStateAsUpdate(doc, before);
}

function paragraph(doc: Y.Doc, text: string): Uint8Array {
  return edit(doc, () => {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(text)]);
    const f = doc.getXmlFragment(NOTES_FRAGMENT);
    f.insert(f.length, [p]);
  });
}

describe("P11 a view that cannot be derived", () => {
  test("P11 the event is parked and reported, the projector goes on, stateAt answers", async () => {
    const t = makeConvex();
    const { meetingId } = await createMeeting(t);
    const good = new Y.Doc();
    good.clientID = 11;
    const evil = new Y.Doc();
    evil.clientID = 12;
    await appendNote(t, meetingId, 1000, paragraph(good, "before"), 11, 1);
    // A number straight in the TipTap fragment: applies, but no view can be derived.
    await appendNote(
      t,
      meetingId,
      2000,
      edit(evil, () => evil.getArray(NOTES_FRAGMENT).insert(0, [42])),
      12,
      1,
    );
    await appendNote(t, meetingId, 3000, paragraph(good, "after"), 11, 2);
    await drain(t);
    const seen = await t.run(async (ctx) => {
      const row = await getNotesRow(ctx, meetingId, 1);
      const letters = await ctx.db
        .query("projectionDeadLetters")
        .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
        .collect();
      const kick = await getKick(ctx, { meetingId, projection: "meetingNotes", version: 1 });
      const at = await computeStateAt(ctx, meetingId, 5000);
      const mid = await computeStateAt(ctx, meetingId, 2500);
      return {
        text: row?.text,
        letters: letters
          .map((l) => `${l.projection}:${l.key}:${/cannot be derived/.test(l.error)}`)
          .sort(),
        kick: kick?.state,
        atText: at.notes.text,
        atSkipped: at.skippedPoison,
        midText: mid.notes.text,
      };
    });
    expect(seen.text).toBe("before\nafter");
    expect(seen.letters).toEqual(["meetingNotes:12:1:true", "timeline:12:1:true"]);
    expect(seen.kick).toBe("idle");
    expect(seen.atText).toBe("before\nafter");
    expect(seen.midText).toBe("before");
    expect(seen.atSkipped).toBe(1);
  });
});
