/**
 * Replay frames. Invariant (property): the frame a {@link Replay} computes
 * from its keyframes at any instant equals the fold of the whole log prefix
 * from empty (`foldAll` of `timelineFold`), for any keyframe spacing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { foldAll } from "../../projections/core/fold";
import { type LogEvent, truncateAt } from "../../projections/core/logEvent";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/document";
import { deriveNotes } from "../../projections/meetingNotes/notesView";
import { timelineFold } from "../../projections/timeline/timelineState";
import { Replay } from "./replayFrame";

/** Appends a paragraph to `doc` and returns the Yjs update that did it. */
function typeParagraph(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | null = null;
  const grab = (u: Uint8Array) => {
    update = u;
  };
  doc.on("update", grab);
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
  doc.off("update", grab);
  return update!;
}

function notesEvent(at: number, update: Uint8Array, n: number): LogEvent {
  return { stream: "notes", ts: BigInt(n), key: `1:${n}`, at, actor: "u1", update };
}

const meetingStart: LogEvent[] = [
  {
    stream: "meeting",
    ts: 1n,
    key: "m1",
    at: 1_000,
    actor: "u1",
    event: {
      type: "MeetingScheduled",
      at: 1_000,
      hostId: "u1",
      title: "Weekly",
      scheduledAt: 1_000,
      durationMinutes: 30,
    },
  },
  {
    stream: "meeting",
    ts: 2n,
    key: "m2",
    at: 2_000,
    actor: "u1",
    event: { type: "MeetingStarted", at: 2_000 },
  },
];

/** Reference: fold the whole prefix from empty. */
function naive(events: readonly LogEvent[], t: number) {
  const s = foldAll(timelineFold, truncateAt(events, t));
  try {
    return { notesText: deriveNotes(s.doc).text, status: s.meeting.status, count: s.eventCount };
  } finally {
    s.doc.destroy();
  }
}

describe("replay frames", () => {
  const writer = new Y.Doc();
  const events: LogEvent[] = [
    ...meetingStart,
    notesEvent(3_000, typeParagraph(writer, "first idea"), 3),
    notesEvent(5_000, typeParagraph(writer, "second idea"), 4),
  ];

  it("shows earlier text at an earlier instant and all of it at the end", () => {
    const r = new Replay(events);
    expect(r.frameAt(2_500).notesText).toBe("");
    const mid = r.frameAt(4_000);
    expect(mid.notesText).toContain("first idea");
    expect(mid.notesText).not.toContain("second idea");
    expect(r.frameAt(5_000).notesText).toBe("first idea\nsecond idea");
  });

  it("folds the lifecycle up to the instant", () => {
    const r = new Replay(events);
    expect(r.frameAt(1_500).state.status).toBe("scheduled");
    expect(r.frameAt(2_000).state.status).toBe("active");
    expect(r.frameAt(4_000).eventCount).toBe(3);
  });

  it("spans first to last event, or to now while live, and lists the instants", () => {
    const r = new Replay(events);
    expect(r.span()).toEqual({ from: 1_000, to: 5_000 });
    expect(r.span(9_000)).toEqual({ from: 1_000, to: 9_000 });
    expect(new Replay([]).span(9_000)).toEqual({ from: 9_000, to: 9_000 });
    expect(r.instants()).toEqual([1_000, 2_000, 3_000, 5_000]);
  });

  it("a keyframed frame equals the fold of the whole prefix (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 0, maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 40 }),
        (lines, every, probe) => {
          const doc = new Y.Doc();
          const log: LogEvent[] = [
            ...meetingStart,
            ...lines.map((line, i) => notesEvent(3_000 + i * 100, typeParagraph(doc, line), i + 3)),
          ];
          const t = 2_900 + probe * 100;
          const got = new Replay(log, every).frameAt(t);
          const want = naive(log, t);
          expect(got.notesText).toBe(want.notesText);
          expect(got.state.status).toBe(want.status);
          expect(got.eventCount).toBe(want.count);
        },
      ),
      { numRuns: 60 },
    );
  });
});
