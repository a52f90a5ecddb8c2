/**
 * meetingNotes folds a batch in one Yjs transaction (the `inBatch` fast
 * path); a malformed update in the batch must fall back to the per-event
 * loop: the good updates around it are applied, the bad one is parked.
 */

import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { getNotesRow } from "../../convex/projectors/meetingNotes";
import { makeConvex } from "../harness/convex";
import { appendNote, createMeeting, drain, withFakeScheduler } from "./fixtures";

withFakeScheduler();

function typed(text: string): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = 7;
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const t = doc.getText("trace");
  for (const ch of text) t.insert(t.length, ch);
  return updates;
}

describe("meetingNotes batch fast path", () => {
  test("P5 P6 one batch with a malformed update: the rest applied, the bad one parked", async () => {
    const t = makeConvex();
    const { meetingId } = await createMeeting(t);
    const updates = typed("abcd");
    let seq = 1;
    for (const u of updates.slice(0, 2)) await appendNote(t, meetingId, 1000 + seq, u, 7, seq++);
    await appendNote(t, meetingId, 1000 + seq, new Uint8Array([255, 255, 255, 1]), 7, seq++);
    for (const u of updates.slice(2)) await appendNote(t, meetingId, 1000 + seq, u, 7, seq++);
    await drain(t);
    const seen = await t.run(async (ctx) => {
      const row = await getNotesRow(ctx, meetingId, 1);
      const letters = await ctx.db
        .query("projectionDeadLetters")
        .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
        .collect();
      return {
        traceText: row?.traceText,
        notesLetters: letters.filter((l) => l.projection === "meetingNotes").length,
      };
    });
    expect(seen).toEqual({ traceText: "abcd", notesLetters: 1 });
  });
});
