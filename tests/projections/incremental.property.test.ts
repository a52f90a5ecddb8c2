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
import * as Y from "yjs";
import type { Id } from "../../convex/_generated/dataModel";
import { getNotesRow, loadNotesDoc } from "../../convex/projectors/meetingNotes";
import { getMeetingStateRow, rowToView } from "../../convex/projectors/meetingState";
import { projectorOf } from "../../convex/projectors/registry";
import { runOnce } from "../../convex/projectors/run";
import { rowToSegment } from "../../convex/projectors/transcriptSegments";
import { foldAll } from "../../projections/core/fold";
import { deriveNotes, notesFold } from "../../projections/meetingNotes/notesView";
import { meetingStateFold } from "../../projections/meetingState/evolve";
import { transcriptSegmentsFold } from "../../projections/transcriptSegments/evolve";
import { makeConvex, type TestBackend } from "../harness/convex";
import { appendChunk, appendMeeting, appendNote, createMeeting, drain, readLog } from "./fixtures";

const USERS = ["u1", "u2", "u3"];
const WORDS = ["budget", "launch", "roadmap", "hiring", "the", "and", "design", "metrics", "we"];

type Op =
  | { k: "start" }
  | { k: "end" }
  | { k: "invite"; u: number }
  | { k: "join"; u: number }
  | { k: "leave"; u: number }
  | { k: "chunk"; u: number; utt: number; final: boolean; words: string[]; dur: number }
  | { k: "note"; client: number; words: string[] }
  | { k: "drain" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ k: "start" }),
  fc.constant<Op>({ k: "end" }),
  fc.record({ k: fc.constant("invite" as const), u: fc.nat(2) }),
  fc.record({ k: fc.constant("join" as const), u: fc.nat(2) }),
  fc.record({ k: fc.constant("leave" as const), u: fc.nat(2) }),
  fc.record({
    k: fc.constant("chunk" as const),
    u: fc.nat(2),
    utt: fc.nat(5),
    final: fc.boolean(),
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
    dur: fc.integer({ min: 100, max: 8000 }),
  }),
  fc.record({
    k: fc.constant("note" as const),
    client: fc.nat(1),
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  }),
  fc.constant<Op>({ k: "drain" }),
);
const stepArb = fc.record({ op: opArb, gap: fc.integer({ min: 0, max: 15_000 }) });

async function play(t: TestBackend, meetingId: Id<"meetings">, steps: { op: Op; gap: number }[]) {
  let at = 1_000_000;
  let seq = 0;
  const clients = [new Y.Doc(), new Y.Doc()].map((doc, i) => {
    doc.clientID = 1000 + i;
    return { doc, seq: 0 };
  });
  await appendMeeting(t, meetingId, {
    type: "MeetingScheduled",
    at,
    hostId: "u1",
    title: "Sync",
    scheduledAt: at,
    durationMinutes: 30,
  });
  for (const { op, gap } of steps) {
    at += gap;
    switch (op.k) {
      case "drain":
        await drain(t);
        break;
      case "start":
        await appendMeeting(t, meetingId, { type: "MeetingStarted", at });
        break;
      case "end":
        await appendMeeting(t, meetingId, { type: "MeetingEnded", at });
        break;
      case "invite":
        await appendMeeting(t, meetingId, {
          type: "ParticipantInvited",
          at,
          userId: USERS[op.u]!,
          role: "participant",
        });
        break;
      case "join":
      case "leave":
        await appendMeeting(t, meetingId, {
          type: op.k === "join" ? "ParticipantJoined" : "ParticipantLeft",
          at,
          userId: USERS[op.u]!,
        });
        break;
      case "chunk":
        seq += 1;
        await appendChunk(t, meetingId, at, {
          seq,
          utteranceId: `utt-${op.utt}`,
          speakerId: USERS[op.u]!,
          speaker: USERS[op.u]!,
          text: op.words.join(" "),
          confidence: 0.9,
          startMs: at - 1_000_000,
          endMs: at - 1_000_000 + op.dur,
          isFinal: op.final,
        });
        break;
      case "note": {
        const c = clients[op.client]!;
        let captured: Uint8Array | null = null;
        const capture = (u: Uint8Array) => {
          captured = u;
        };
        c.doc.on("update", capture);
        const p = new Y.XmlElement("paragraph");
        const text = new Y.XmlText();
        text.insert(0, op.words.join(" "));
        p.insert(0, [text]);
        c.doc.getXmlFragment("default").insert(0, [p]);
        c.doc.off("update", capture);
        c.seq += 1;
        await appendNote(t, meetingId, at, captured!, c.doc.clientID, c.seq);
        break;
      }
    }
  }
  await drain(t);
}

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

describe("incremental projection == fold of the whole log", () => {
  test("random logs, drained at random points, small batches", async () => {
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
            await ctx.db.patch("projectionCheckpoints", cp._id, { state: "scheduled" });
            await runOnce(ctx, { meetingId, projection, version });
          }
        });
        expect(await compare(t, meetingId)).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });
});
