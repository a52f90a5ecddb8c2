/**
 * A spoken sentence as a WAV file for Chromium's fake microphone: Debian's
 * espeak-ng says it, then 1.5 s of silence follows (the file loops, so the
 * browser hears sentence, pause, sentence, …), at 48 kHz 16-bit mono.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeWav, encodeWav, resample } from "../../web/lib/call/wav";

/** Why 1.5 s: twice the segmenter's pause, so every loop of the file is its own segment. */
const PAUSE_MS = 1500;
const RATE = 48_000;

/** The file, how long the voice in it lasts, and a cleanup. */
export type SpeechFile = { path: string; voicedMs: number; remove(): void };

/** Speak `sentence` into a temporary WAV (`/usr/bin/espeak-ng`, override with `ESPEAK_PATH`). */
export function speechWav(sentence: string): SpeechFile {
  const dir = mkdtempSync(join(tmpdir(), "connvo-speech-"));
  const raw = join(dir, "raw.wav");
  execFileSync(process.env.ESPEAK_PATH ?? "/usr/bin/espeak-ng", ["-s", "150", "-w", raw, sentence]);
  const spoken = decodeWav(new Uint8Array(readFileSync(raw)));
  const voice = resample(spoken.samples, spoken.sampleRate, RATE);
  // Trim espeak's own leading/trailing silence so `voicedMs` is the voice alone.
  let a = 0;
  let b = voice.length;
  while (a < b && Math.abs(voice[a] ?? 0) < 0.01) a++;
  while (b > a && Math.abs(voice[b - 1] ?? 0) < 0.01) b--;
  const pause = Math.round((RATE * PAUSE_MS) / 1000);
  const out = new Float32Array(b - a + pause);
  out.set(voice.subarray(a, b), 0);
  const path = join(dir, "speech.wav");
  writeFileSync(path, encodeWav(out, RATE));
  return {
    path,
    voicedMs: ((b - a) / RATE) * 1000,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
