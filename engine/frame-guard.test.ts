/**
 * Properties of the frame guard (issue 12.1):
 * - `closeReason` is always at most 123 UTF-8 bytes and a prefix of its input
 *   (plus "..." when cut), never splitting a character;
 * - `jsonDepth` equals the nesting depth of any JSON value (strings with
 *   brackets and escapes do not count) up to its limit;
 * - `parseFrame` never throws and refuses exactly what is too deep, not JSON,
 *   or not an object;
 * - the rate limiter admits `burst` at once and `perSecond` afterwards.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  closeReason,
  DEFAULT_CONNECTION_LIMITS,
  jsonDepth,
  MAX_CLOSE_REASON_BYTES,
  parseFrame,
  RateLimiter,
} from "./frame-guard";

const bytes = (s: string) => new TextEncoder().encode(s).length;

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === "object") return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe("frame guard", () => {
  it("cuts close reasons to 123 bytes at a character boundary", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => {
        const r = closeReason(s);
        expect(bytes(r)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
        if (r !== s) {
          expect(r.endsWith("...")).toBe(true);
          expect(s.startsWith(r.slice(0, -3))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    // Pinned: the frames of issue 12.1.
    expect(bytes(closeReason(`Malformed message: ${"€".repeat(80)}`))).toBeLessThanOrEqual(123);
  });

  it("measures JSON depth like the parsed value's nesting", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => {
        const text = JSON.stringify(v);
        expect(jsonDepth(text, 1000)).toBe(depthOf(v));
      }),
      { numRuns: 300 },
    );
    expect(jsonDepth('{"a":"[[[{{{\\"]]]"}', 100)).toBe(1);
  });

  it("parses frames without throwing, refusing deep, non-JSON and non-object ones", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = parseFrame(s, DEFAULT_CONNECTION_LIMITS);
        if (r.ok) expect(typeof r.message).toBe("object");
      }),
      { numRuns: 300 },
    );
    const deep = `{"type":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    expect(parseFrame(deep, DEFAULT_CONNECTION_LIMITS)).toMatchObject({ ok: false });
    expect(parseFrame("[1]", DEFAULT_CONNECTION_LIMITS)).toMatchObject({ ok: false });
    expect(parseFrame('{"type":"Connect"}', DEFAULT_CONNECTION_LIMITS)).toMatchObject({ ok: true });
  });

  it("admits a burst, then the sustained rate", () => {
    const limiter = new RateLimiter(10, 5, 0);
    let admitted = 0;
    for (let i = 0; i < 20; i++) if (limiter.take(0)) admitted += 1;
    expect(admitted).toBe(5);
    expect(limiter.take(50)).toBe(false);
    expect(limiter.take(100)).toBe(true);
    let later = 0;
    for (let t = 100; t <= 1100; t += 10) if (limiter.take(t)) later += 1;
    expect(later).toBeGreaterThanOrEqual(9);
    expect(later).toBeLessThanOrEqual(11);
  });
});
