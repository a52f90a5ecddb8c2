/**
 * Interim/final supersession. Property (fast-check): for any arrival order of
 * chunks, `supersede` keeps exactly one chunk per utterance — its final when
 * one exists, else its latest interim — and nothing else.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  supersede,
  type TranscriptChunk,
  transcriptBucket,
  upcastTranscriptChunk,
} from "./transcript";

const mk = (
  seq: number,
  utteranceId: string,
  isFinal: boolean,
  text = `${utteranceId}@${seq}`,
): TranscriptChunk => ({
  seq,
  utteranceId,
  speakerId: "s",
  speaker: "S",
  text,
  confidence: 1,
  startMs: 0,
  endMs: 1,
  isFinal,
});

describe("supersede", () => {
  test("finals replace interims; open utterances keep their latest interim", () => {
    const out = supersede([
      mk(1, "a", false),
      mk(2, "b", false),
      mk(3, "a", true),
      mk(4, "b", false),
      mk(5, "a", false),
    ]);
    expect(out.map((c) => c.text)).toEqual(["a@3", "b@4"]);
  });

  test("property: one chunk per utterance, the final if any, else the latest interim", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ u: fc.constantFrom("a", "b", "c"), fin: fc.boolean() }), {
          maxLength: 30,
        }),
        (spec) => {
          const chunks = spec.map((s, i) => mk(i + 1, s.u, s.fin));
          const out = supersede(chunks);
          const utterances = new Set(chunks.map((c) => c.utteranceId));
          expect(out).toHaveLength(utterances.size);
          for (const u of utterances) {
            const mine = chunks.filter((c) => c.utteranceId === u);
            const final = mine.find((c) => c.isFinal);
            const expected = final ?? mine[mine.length - 1];
            expect(out.find((c) => c.utteranceId === u)).toEqual(expected);
          }
          for (let i = 1; i < out.length; i++) expect(out[i]!.seq).toBeGreaterThan(out[i - 1]!.seq);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("buckets are whole minutes from the meeting start", () => {
    expect([0, 59_999, 60_000, 125_000].map(transcriptBucket)).toEqual([0, 0, 1, 2]);
  });
});

describe("transcript upcasting", () => {
  test("a stored chunk reads back; a missing step throws", () => {
    const data = {
      speakerId: "s",
      speaker: "S",
      text: "t",
      confidence: 1,
      startMs: 0,
      endMs: 1,
      isFinal: true,
    };
    expect(upcastTranscriptChunk({ schemaVersion: 1, seq: 4, utteranceId: "u", data })).toEqual({
      seq: 4,
      utteranceId: "u",
      ...data,
    });
    expect(() =>
      upcastTranscriptChunk({ schemaVersion: 1, seq: 4, utteranceId: "u", data }, {}, 2),
    ).toThrow(/no upcaster/);
  });
});
