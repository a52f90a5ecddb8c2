import { describe, expect, test } from "vitest";
import { foldAll } from "../core/fold";
import type { LogEvent } from "../core/logEvent";
import type { TranscriptChunk } from "../events/transcript";
import { GAP_MS, OPEN_SEGMENTS, transcriptSegmentsFold, WINDOW_MS } from "./evolve";

let n = 0;
function chunk(c: Partial<TranscriptChunk> & { speakerId: string; startMs: number }): LogEvent {
  n += 1;
  return {
    stream: "transcript",
    ts: BigInt(n),
    key: `k${n}`,
    at: c.startMs,
    actor: c.speakerId,
    chunk: {
      seq: n,
      utteranceId: c.utteranceId ?? `u${n}`,
      speakerId: c.speakerId,
      speaker: c.speakerId.toUpperCase(),
      text: c.text ?? "budget review",
      confidence: 0.9,
      startMs: c.startMs,
      endMs: c.endMs ?? c.startMs + 1000,
      isFinal: c.isFinal ?? true,
    },
  };
}

describe("transcriptSegments fold", () => {
  test("interim chunks are replaced; the first final wins", () => {
    const v = foldAll(transcriptSegmentsFold, [
      chunk({ speakerId: "a", startMs: 0, utteranceId: "x", text: "hel", isFinal: false }),
      chunk({ speakerId: "a", startMs: 0, utteranceId: "x", text: "hello team", isFinal: true }),
      chunk({ speakerId: "a", startMs: 0, utteranceId: "x", text: "hello steam", isFinal: true }),
    ]);
    expect(v.segments.map((s) => s.text)).toEqual(["hello team"]);
  });

  test("a new segment per speaker turn, per window and after a pause", () => {
    const v = foldAll(transcriptSegmentsFold, [
      chunk({ speakerId: "a", startMs: 0 }),
      chunk({ speakerId: "a", startMs: 2000 }),
      chunk({ speakerId: "b", startMs: 4000 }),
      chunk({ speakerId: "b", startMs: 5000 + GAP_MS + 1 }),
      chunk({ speakerId: "b", startMs: 5000 + GAP_MS + 1 + 1000 }),
    ]);
    expect(v.segments.map((s) => [s.speakerId, s.utterances.length])).toEqual([
      ["a", 2],
      ["b", 1],
      ["b", 2],
    ]);
    const long = foldAll(
      transcriptSegmentsFold,
      Array.from({ length: 30 }, (_, i) =>
        chunk({ speakerId: "a", startMs: i * 3000, endMs: i * 3000 + 2900 }),
      ),
    );
    expect(long.segments.every((s) => s.endMs - s.startMs <= WINDOW_MS + 3000)).toBe(true);
    expect(long.segments.length).toBe(2);
    expect(long.segments[0]!.keywords).toEqual(["budget", "review"]);
  });

  test("closed segments never change: a late chunk for one starts fresh at the tail", () => {
    const events = [
      chunk({ speakerId: "a", startMs: 0, utteranceId: "old", text: "draft", isFinal: false }),
    ];
    for (let i = 1; i <= OPEN_SEGMENTS; i++)
      events.push(chunk({ speakerId: i % 2 ? "b" : "a", startMs: i * 1000 }));
    events.push(chunk({ speakerId: "a", startMs: 0, utteranceId: "old", text: "final words" }));
    const v = foldAll(transcriptSegmentsFold, events);
    expect(v.segments[0]!.text).toBe("draft");
    const tail = v.segments[v.segments.length - 1]!;
    expect(tail.utterances[tail.utterances.length - 1]).toMatchObject({
      id: "old",
      text: "final words",
    });
  });
});
