/**
 * Segment packing. Property: decode(encode(entries)) equals entries for any
 * bounded list of entries (bigint ts, float time, unicode actor, u32 ids, bytes).
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { decodeSegment, encodeSegment, type SegmentEntry } from "./noteSegmentCodec";

const entryArb: fc.Arbitrary<SegmentEntry> = fc.record({
  ts: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
  at: fc.double({ noNaN: true, noDefaultInfinity: true }),
  actor: fc.string({ maxLength: 40, unit: "grapheme" }),
  clientId: fc.nat({ max: 0xffffffff }),
  clientSeq: fc.nat(),
  update: fc.uint8Array({ maxLength: 64 }),
});

test("segments round-trip (property)", () => {
  fc.assert(
    fc.property(fc.array(entryArb, { maxLength: 20 }), (entries) => {
      expect(decodeSegment(encodeSegment(entries))).toEqual(entries);
    }),
    { numRuns: 200, seed: 11 },
  );
});

test("an unknown segment format is an error, not garbage", () => {
  expect(() => decodeSegment(new Uint8Array([2, 0]))).toThrow(/format/);
});
