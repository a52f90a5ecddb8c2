/**
 * Property: for random meeting logs (lifecycle and presence events, interim
 * and final transcript chunks, concurrent note edits from two clients,
 * duplicate appends under one idempotency key and duplicate facts), the views
 * the projectors build incrementally — drained at random points, with tiny
 * batch sizes so batches split the log everywhere — equal the pure fold of the
 * whole log from empty, for every view. And running the projectors again over
 * an already-consumed log changes nothing (the cursor moves with the view).
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Id } from "../../convex/_generated/dataModel";
import { setRunState } from "../../convex/projectors/kick";
import { getNotesRow, loadNotesDoc } from "../../convex/projectors/meetingNotes";
import { getMeetingStateRow, rowToView } from "../../convex/projectors/meetingState";
import { projectorOf } from "../../convex/projectors/registry";
import { runOnce } from "../../convex/projectors/run";
import { rowToSegment } from "../../convex/projectors/transcriptSegments";
import { foldAll } from "../../projections/core/fold";
import { deriveNotes, notesFold } from "../../projections/meetingNotes/notesView";
import { meetingStateFold } from "../../projections/meetingState/versions";
import { transcriptSegmentsFold } from "../../projections/transcriptSegments/evolve";
import { makeConvex, type TestBackend } from "../harness/convex";
import { createMeeting, readLog, withFakeScheduler } from "./fixtures";
import { play, stepArb } from "./randomLog";

async function compare(t: TestBackend, meetingId: Id<"meetings">) {
  const log = await readLog(t, meetingId);
  const expectedState = foldAll(meetingStateFold, log);
  const expectedSegments = foldAll(transcriptSegmentsFold, log).segments;
  const expectedNotes = deriveNotes(foldAll(notesFold, log));
  const stored = await t.run(async (ctx) => {
    const state = await getMeetingStateRow(ctx, meetingId, 2);
    const segs = await ctx.db
      .query("transcriptSegments")
      .withIndex("by_meeting_version_index", (q) => q.eq("meetingId", meetingId).eq("version", 1))
      .collect();
    const notes = await getNotesRow(ctx, meetingId, 1);
    const doc = await loadNotesDoc(ctx, meetingId, 1);
    return {
      state: state ? rowToView(state) : null,
      segments: segs.map(rowToSegment),
      notes: notes
        ? { text: notes.text, markdown: notes.markdown, prosemirror: notes.prosemirror }
        : null,
      docText: deriveNotes(doc).text,
    };
  });
  expect(stored.state).toEqual(expectedState);
  expect(stored.segments).toEqual(expectedSegments);
  if (log.some((e) => e.stream === "notes")) {
    expect(stored.notes).toEqual({
      text: expectedNotes.text,
      markdown: expectedNotes.markdown,
      prosemirror: JSON.stringify(expectedNotes.prosemirror),
    });
    expect(stored.docText).toBe(expectedNotes.text);
  }
  return stored;
}

const saved = new Map<string, number>();
beforeEach(() => {
  // Tiny batches make every log split across many runs (the property is about batching).
  for (const name of ["meetingState", "transcriptSegments", "meetingNotes"]) {
    const p = projectorOf(name)!;
    saved.set(name, p.batchSize);
    p.batchSize = 2;
  }
});
afterEach(() => {
  for (const [name, size] of saved) projectorOf(name)!.batchSize = size;
});

withFakeScheduler();

describe("incremental projection == fold of the whole log", () => {
  test("P4 random logs, drained at random points, small batches", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 30 }), async (steps) => {
        const t = makeConvex();
        const { meetingId } = await createMeeting(t);
        await play(t, meetingId, steps);
        const before = await compare(t, meetingId);
        // Run every projector once more over the consumed log: nothing changes.
        await t.run(async (ctx) => {
          for (const projection of ["meetingState", "transcriptSegments", "meetingNotes"]) {
            const version = projectorOf(projection)!.latest;
            const cp = await ctx.db
              .query("projectionCheckpoints")
              .withIndex("by_meeting_projection_version", (q) =>
                q.eq("meetingId", meetingId).eq("projection", projection).eq("version", version),
              )
              .unique();
            if (!cp) continue;
            await setRunState(ctx, { meetingId, projection, version }, "scheduled");
            await runOnce(ctx, { meetingId, projection, version });
          }
        });
        expect(await compare(t, meetingId)).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });
});
