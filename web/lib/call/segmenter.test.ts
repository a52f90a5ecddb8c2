/**
 * The segmenter cuts at pauses: each run of speech between pauses becomes one
 * segment whose bounds match the speech (within the pre-roll and tail), short
 * clicks and silence make none, long speech is cut at the maximum, and the
 * result does not depend on how the stream was chunked.
 */
import { describe, expect, test } from "vitest";
import { type Segment, Segmenter } from "./segmenter";

const RATE = 16_000;
const ms = (n: number) => Math.round((n * RATE) / 1000);

/** A stream of [kind, milliseconds] parts: speech is a 200 Hz tone at 0.2, silence is faint noise. */
function stream(parts: ["speech" | "quiet", number][], seed = 1): Float32Array {
  const total = parts.reduce((a, [, d]) => a + ms(d), 0);
  const out = new Float32Array(total);
  let x = seed;
  const noise = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648 - 0.5) * 0.004;
  };
  let i = 0;
  for (const [kind, d] of parts)
    for (let k = 0; k < ms(d); k++, i++)
      out[i] =
        kind === "speech" ? 0.2 * Math.sin((2 * Math.PI * 200 * i) / RATE) + noise() : noise();
  return out;
}

function run(samples: Float32Array, chunk: number, options = {}): Segment[] {
  const seg = new Segmenter({ sampleRate: RATE, ...options });
  const out: Segment[] = [];
  for (let i = 0; i < samples.length; i += chunk)
    out.push(...seg.push(samples.subarray(i, i + chunk)));
  const last = seg.flush();
  if (last) out.push(last);
  return out;
}

const bounds = (segs: Segment[]) => segs.map((s) => [s.startSample / RATE, s.endSample / RATE]);

describe("segmenter", () => {
  test("two sentences with a pause between them are two segments around the speech", () => {
    const segs = run(
      stream([
        ["quiet", 1000],
        ["speech", 1500],
        ["quiet", 1200],
        ["speech", 800],
        ["quiet", 1500],
      ]),
      128,
    );
    expect(segs).toHaveLength(2);
    const [a, b] = bounds(segs) as [number[], number[]];
    // Starts within the pre-roll before the speech; ends within the tail after it.
    expect(a[0]).toBeGreaterThanOrEqual(1.0 - 0.3 - 0.001);
    expect(a[0]).toBeLessThanOrEqual(1.0);
    expect(a[1]).toBeGreaterThanOrEqual(2.5);
    expect(a[1]).toBeLessThanOrEqual(2.5 + 0.2 + 0.02);
    expect(b[0]).toBeGreaterThanOrEqual(3.7 - 0.3 - 0.001);
    expect(b[1]).toBeLessThanOrEqual(4.5 + 0.2 + 0.02);
    for (const s of segs) expect(s.samples.length).toBe(s.endSample - s.startSample);
  });

  test("a short pause inside a sentence does not cut it", () => {
    expect(
      run(
        stream([
          ["speech", 900],
          ["quiet", 300],
          ["speech", 900],
          ["quiet", 1000],
        ]),
        480,
      ),
    ).toHaveLength(1);
  });

  test("silence and clicks make no segment", () => {
    expect(run(stream([["quiet", 3000]]), 128)).toEqual([]);
    expect(
      run(
        stream([
          ["quiet", 500],
          ["speech", 60],
          ["quiet", 1500],
        ]),
        128,
      ),
    ).toEqual([]);
  });

  test("speech longer than the maximum is cut at the maximum", () => {
    const segs = run(
      stream([
        ["speech", 5000],
        ["quiet", 1000],
      ]),
      1024,
      { maxSegmentMs: 2000 },
    );
    expect(segs.length).toBe(3);
    for (const s of segs.slice(0, 2))
      expect(s.samples.length).toBeLessThanOrEqual(ms(2000) + ms(20));
  });

  test("chunking does not change the result", () => {
    const s = stream(
      [
        ["quiet", 700],
        ["speech", 1200],
        ["quiet", 900],
        ["speech", 400],
        ["quiet", 900],
      ],
      7,
    );
    const ref = bounds(run(s, 128));
    for (const chunk of [1, 37, 320, 4096, s.length]) expect(bounds(run(s, chunk))).toEqual(ref);
  });
});
