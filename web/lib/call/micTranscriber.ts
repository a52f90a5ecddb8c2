/**
 * Taps this participant's own microphone track (an AudioWorklet copies its
 * samples off the audio thread), cuts it at pauses (`Segmenter`), and hands
 * each segment on as a 16 kHz WAV with its offsets from the meeting's start.
 * Sending is the caller's business (`useCallTranscription` calls the
 * `rtcTranscribe.transcribe` action). Nothing is recorded while stopped or
 * muted: the room stops the transcriber when the track goes away.
 */
import { Segmenter } from "./segmenter";
import { encodeWav, resample, SPEECH_SAMPLE_RATE } from "./wav";

/** One cut segment ready to send. */
export type MicSegment = {
  segmentId: string;
  /** Offsets from the meeting's start (ms). */
  startMs: number;
  endMs: number;
  wav: Uint8Array;
};

/** Why 2,048 samples: ~43 ms at 48 kHz per message, instead of one per 128-sample render quantum. */
const WORKLET = `
class ConnvoTap extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Float32Array(2048); this.n = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) {
      for (let i = 0; i < ch.length; i++) {
        this.buf[this.n++] = ch[i];
        if (this.n === this.buf.length) { this.port.postMessage(this.buf.slice(0)); this.n = 0; }
      }
    }
    return true;
  }
}
registerProcessor("connvo-tap", ConnvoTap);
`;

/** A running tap on one microphone track. */
export class MicTranscriber {
  private ctx: AudioContext | null = null;
  private segmenter: Segmenter | null = null;
  private position = 0;
  private stopped = false;

  constructor(
    private readonly track: MediaStreamTrack,
    private readonly meetingStartedAt: number,
    private readonly onSegment: (segment: MicSegment) => void,
  ) {}

  /** Start tapping (resolves once audio flows through the worklet). */
  async start(): Promise<void> {
    const ctx = new AudioContext();
    this.ctx = ctx;
    const url = URL.createObjectURL(new Blob([WORKLET], { type: "application/javascript" }));
    try {
      await ctx.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    if (this.stopped) return;
    const source = ctx.createMediaStreamSource(new MediaStream([this.track]));
    const tap = new AudioWorkletNode(ctx, "connvo-tap");
    // A silent sink keeps the graph pulled without playing the microphone back.
    const mute = ctx.createGain();
    mute.gain.value = 0;
    source.connect(tap);
    tap.connect(mute);
    mute.connect(ctx.destination);
    const rate = ctx.sampleRate;
    this.segmenter = new Segmenter({ sampleRate: rate });
    tap.port.onmessage = ({ data }: MessageEvent<Float32Array>) => {
      if (this.stopped || !this.segmenter) return;
      this.position += data.length;
      const wallAtEnd = Date.now();
      for (const seg of this.segmenter.push(data)) this.emit(seg, rate, wallAtEnd);
    };
    await ctx.resume();
  }

  private emit(
    seg: { samples: Float32Array; startSample: number; endSample: number },
    rate: number,
    wallAtEnd: number,
  ): void {
    const toWall = (sample: number) => wallAtEnd - ((this.position - sample) / rate) * 1000;
    const startMs = Math.max(0, Math.round(toWall(seg.startSample) - this.meetingStartedAt));
    const endMs = Math.max(startMs + 1, Math.round(toWall(seg.endSample) - this.meetingStartedAt));
    this.onSegment({
      segmentId: crypto.randomUUID(),
      startMs,
      endMs,
      wav: encodeWav(resample(seg.samples, rate, SPEECH_SAMPLE_RATE), SPEECH_SAMPLE_RATE),
    });
  }

  /** Stop tapping; the segment in progress is sent if it holds speech. */
  stop(): void {
    if (this.stopped) return;
    const last = this.segmenter?.flush();
    if (last && this.ctx) this.emit(last, this.ctx.sampleRate, Date.now());
    this.stopped = true;
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }
}
