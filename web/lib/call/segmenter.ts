/**
 * Cuts a microphone's sample stream into speech segments at pauses (pure: a
 * state machine over fixed-size frames; time is the sample count). A segment
 * starts when the frame level stays above the speech threshold for
 * `minSpeechMs`, keeps `preRollMs` of audio from before that (word onsets are
 * quiet), ends after `pauseMs` of quiet (the pause is trimmed to `tailMs`),
 * and is cut at `maxSegmentMs` however long the speaker goes on.
 *
 * The threshold adapts to the room: `max(minLevel, noiseFloor × noiseRatio)`,
 * with the noise floor tracked slowly over quiet frames.
 */

/** Tuning of the segmenter. */
export type SegmenterOptions = {
  sampleRate: number;
  /** Why 20 ms: the usual VAD frame; short enough to find pauses, long enough for a stable level. */
  frameMs: number;
  /** Why 0.01 RMS: above a quiet room's hiss (~0.002), below soft speech (~0.03). */
  minLevel: number;
  /** Why 3x: speech is at least ~10 dB above the room's noise. */
  noiseRatio: number;
  /** Why 120 ms: a cough or click is shorter; a syllable is longer. */
  minSpeechMs: number;
  /** Why 300 ms: keeps soft onsets ("f", "s", "h") that sit under the threshold. */
  preRollMs: number;
  /** Why 700 ms: pauses between sentences; pauses inside one are shorter. */
  pauseMs: number;
  /** Why 200 ms: keeps trailing sounds without sending the whole pause. */
  tailMs: number;
  /** Why 15 s: transcript lines appear while someone talks on; well under the server's 30 s cap. */
  maxSegmentMs: number;
};

/** Defaults (see each option's why). */
export const SEGMENTER_DEFAULTS: Omit<SegmenterOptions, "sampleRate"> = {
  frameMs: 20,
  minLevel: 0.01,
  noiseRatio: 3,
  minSpeechMs: 120,
  preRollMs: 300,
  pauseMs: 700,
  tailMs: 200,
  maxSegmentMs: 15_000,
};

/** A finished segment: samples and where they start and end in the stream (sample indices). */
export type Segment = { samples: Float32Array; startSample: number; endSample: number };

function level(frame: Float32Array): number {
  let sum = 0;
  for (const s of frame) sum += s * s;
  return Math.sqrt(sum / Math.max(1, frame.length));
}

/** The segmenter: push samples, get finished segments back. */
export class Segmenter {
  private readonly o: SegmenterOptions;
  private readonly frameSize: number;
  private pending: number[] = [];
  /** Samples of the current frame run (pre-roll while idle, the segment while speaking). */
  private buffer: Float32Array[] = [];
  private bufferStart = 0;
  private position = 0;
  private speaking = false;
  private loudRun = 0;
  private quietRun = 0;
  private noiseFloor = 0;

  constructor(options: Partial<SegmenterOptions> & { sampleRate: number }) {
    this.o = { ...SEGMENTER_DEFAULTS, ...options };
    this.frameSize = Math.round((this.o.sampleRate * this.o.frameMs) / 1000);
  }

  private frames(ms: number): number {
    return Math.ceil(ms / this.o.frameMs);
  }

  /** Feed samples; returns the segments they completed (usually none). */
  push(samples: Float32Array): Segment[] {
    const out: Segment[] = [];
    for (const s of samples) this.pending.push(s);
    while (this.pending.length >= this.frameSize) {
      const frame = Float32Array.from(this.pending.splice(0, this.frameSize));
      const seg = this.frame(frame);
      if (seg) out.push(seg);
    }
    return out;
  }

  /** End the stream: the segment in progress, if it holds speech. */
  flush(): Segment | null {
    return this.speaking ? this.cut(this.buffer.length) : null;
  }

  private frame(frame: Float32Array): Segment | null {
    const start = this.position;
    this.position += frame.length;
    const lvl = level(frame);
    const threshold = Math.max(this.o.minLevel, this.noiseFloor * this.o.noiseRatio);
    const loud = lvl > threshold;
    if (!loud) this.noiseFloor = this.noiseFloor === 0 ? lvl : this.noiseFloor * 0.95 + lvl * 0.05;
    if (this.buffer.length === 0) this.bufferStart = start;
    this.buffer.push(frame);
    if (!this.speaking) {
      this.loudRun = loud ? this.loudRun + 1 : 0;
      if (this.loudRun >= this.frames(this.o.minSpeechMs)) {
        this.speaking = true;
        this.quietRun = 0;
        // Keep the loud run and the pre-roll before it.
        const keep = this.loudRun + this.frames(this.o.preRollMs);
        this.drop(this.buffer.length - keep);
      } else {
        this.drop(this.buffer.length - this.frames(this.o.preRollMs) - this.loudRun);
      }
      return null;
    }
    this.quietRun = loud ? 0 : this.quietRun + 1;
    if (this.quietRun >= this.frames(this.o.pauseMs)) {
      const keepFrames = this.buffer.length - this.quietRun + this.frames(this.o.tailMs);
      return this.cut(keepFrames);
    }
    if (this.buffer.length >= this.frames(this.o.maxSegmentMs)) return this.cut(this.buffer.length);
    return null;
  }

  private drop(n: number): void {
    if (n <= 0) return;
    const dropped = this.buffer.splice(0, n);
    for (const f of dropped) this.bufferStart += f.length;
  }

  private cut(keepFrames: number): Segment {
    const kept = this.buffer.slice(0, Math.max(0, keepFrames));
    const length = kept.reduce((a, f) => a + f.length, 0);
    const samples = new Float32Array(length);
    let o = 0;
    for (const f of kept) {
      samples.set(f, o);
      o += f.length;
    }
    const seg = { samples, startSample: this.bufferStart, endSample: this.bufferStart + length };
    this.buffer = [];
    this.speaking = false;
    this.loudRun = 0;
    this.quietRun = 0;
    return seg;
  }
}
