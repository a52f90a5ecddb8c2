import { describe, expect, test } from "vitest";
import { decodeWav, encodeWav, resample, rms } from "./wav";

describe("WAV encoding", () => {
  test("encode → decode keeps rate, length and samples to 16-bit precision", () => {
    const samples = Float32Array.from(
      { length: 1600 },
      (_, i) => Math.sin((2 * Math.PI * 440 * i) / 16000) * 0.5,
    );
    const wav = encodeWav(samples, 16000);
    expect(wav.length).toBe(44 + 3200);
    const back = decodeWav(wav);
    expect(back.sampleRate).toBe(16000);
    expect(back.samples.length).toBe(1600);
    for (let i = 0; i < samples.length; i++)
      expect(Math.abs(back.samples[i]! - samples[i]!)).toBeLessThan(1e-4);
    expect(rms(back.samples)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  test("clips out-of-range samples and refuses what is not PCM WAV", () => {
    expect(decodeWav(encodeWav(Float32Array.from([2, -2]), 8000)).samples[0]).toBeCloseTo(1, 3);
    expect(() => decodeWav(new Uint8Array([1, 2, 3]))).toThrow(/not a WAV/);
    const wav = encodeWav(new Float32Array(4), 8000);
    wav[20] = 3; // IEEE float format
    expect(() => decodeWav(wav)).toThrow(/16-bit PCM/);
  });

  test("resampling keeps duration and a tone's level", () => {
    const tone = Float32Array.from({ length: 48000 }, (_, i) =>
      Math.sin((2 * Math.PI * 200 * i) / 48000),
    );
    const down = resample(tone, 48000, 16000);
    expect(down.length).toBe(16000);
    expect(rms(down)).toBeCloseTo(rms(tone), 2);
    expect(resample(tone, 16000, 16000)).toBe(tone);
  });
});
