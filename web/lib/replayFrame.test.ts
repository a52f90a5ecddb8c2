import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { LogEvent } from "../../projections/core/logEvent";
import { NOTES_FRAGMENT } from "../../projections/meetingNotes/notesView";
import { frameAt, timeSpan } from "./replayFrame";

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

describe("replay frames", () => {
  const writer = new Y.Doc();
  const events: LogEvent[] = [
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
    notesEvent(3_000, typeParagraph(writer, "first idea"), 3),
    notesEvent(5_000, typeParagraph(writer, "second idea"), 4),
  ];

  it("shows earlier text at an earlier instant and all of it at the end", () => {
    expect(frameAt(events, 2_500).notesText).toBe("");
    const mid = frameAt(events, 4_000);
    expect(mid.notesText).toContain("first idea");
    expect(mid.notesText).not.toContain("second idea");
    expect(frameAt(events, 5_000).notesText).toBe("first idea\nsecond idea");
  });

  it("folds the lifecycle up to the instant", () => {
    expect(frameAt(events, 1_500).state.status).toBe("scheduled");
    expect(frameAt(events, 2_000).state.status).toBe("active");
    expect(frameAt(events, 4_000).eventCount).toBe(3);
  });

  it("spans first to last event, or to now while live", () => {
    expect(timeSpan(events)).toEqual({ from: 1_000, to: 5_000 });
    expect(timeSpan(events, 9_000)).toEqual({ from: 1_000, to: 9_000 });
    expect(timeSpan([], 9_000)).toEqual({ from: 9_000, to: 9_000 });
  });
});
