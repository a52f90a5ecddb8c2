/**
 * Transcription from the call's audio through the real action and the real
 * OpenAI-compatible client against a loopback fake (`fakeStt.ts`): the
 * multipart request shape, retries on 429 and 500 with backoff, one provider
 * call and one transcript chunk per segment however often it is sent, the
 * speaker attribution, and consent (host turns it on, opt-out, observers,
 * no provider configured). The browser half is in `tests/e2e/call.test.ts`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { PLANS } from "../../convex/billing/plans";
import { entitlementsOfMeeting } from "../../convex/billing/subscriptions";
import { usagePeriod } from "../../convex/billing/usage";
import {
  openAiCompatibleStt,
  readSttConfig,
  SttError,
  withRetries,
} from "../../convex/lib/speechToText";
import { encodeWav } from "../../web/lib/call/wav";
import { meetingFixture } from "../core/fixtures";
import { roomArgs } from "../harness/roomKey";
import { type FakeStt, startFakeStt } from "./fakeStt";

const SENTENCE = "Let us ship the pricing page on Monday.";
const MODEL = "whisper-test-1";
const KEY = "sk-test-123";

let stt: FakeStt;
const saved = { ...process.env };

beforeAll(async () => {
  stt = await startFakeStt({ model: MODEL, apiKey: KEY, sentence: SENTENCE });
});
afterAll(async () => {
  await stt.close();
});
afterEach(() => {
  for (const k of ["STT_URL", "STT_MODEL", "STT_API_KEY", "STT_RESPONSE_FORMAT"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function configure() {
  process.env.STT_URL = stt.url;
  process.env.STT_MODEL = MODEL;
  process.env.STT_API_KEY = KEY;
}

/** 1.2 s of a voice-like tone (speech energy) as 16 kHz WAV. */
function speechWav(): ArrayBuffer {
  const s = Float32Array.from(
    { length: 19_200 },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * 180 * i) / 16_000),
  );
  const bytes = encodeWav(s, 16_000);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

type Fixture = Awaited<ReturnType<typeof meetingFixture>>;

async function liveCall(): Promise<Fixture> {
  const f = await meetingFixture({ live: true });
  for (const c of [f.clients.host, f.clients.participant, f.clients.observer])
    await c.mutation(api.rtcSessions.join, {
      meetingId: f.meetingId,
      deviceId: "tab",
      media: { audio: true, video: false },
    });
  return f;
}

const segment = (meetingId: Id<"meetings">, segmentId: string) => ({
  meetingId,
  segmentId,
  startMs: 4000,
  endMs: 5200,
  mimeType: "audio/wav",
  audio: speechWav(),
});

async function finals(f: Fixture) {
  const r = await f.clients.observer.query(api.transcripts.stream, {
    ...(await roomArgs(f.clients.observer, f.meetingId)),
  });
  return r.chunks.map((c) => ({
    speaker: c.speaker,
    speakerId: c.speakerId,
    text: c.text,
    utteranceId: c.utteranceId,
    isFinal: c.isFinal,
  }));
}

describe("transcription from audio (action + OpenAI-compatible client)", () => {
  test("without a provider the room says it is off and nothing can turn it on", async () => {
    delete process.env.STT_URL;
    const f = await liveCall();
    expect(
      await f.clients.participant.query(api.rtcTranscription.status, { meetingId: f.meetingId }),
    ).toMatchObject({
      providerConfigured: false,
      enabled: false,
    });
    expect(
      await f.clients.host.mutation(api.rtcTranscription.setEnabled, {
        meetingId: f.meetingId,
        enabled: true,
      }),
    ).toMatchObject({ ok: false, code: "PROVIDER_ERROR" });
    expect(
      await f.clients.participant.action(api.rtcTranscribe.transcribe, segment(f.meetingId, "s0")),
    ).toMatchObject({
      ok: false,
      code: "PROVIDER_ERROR",
    });
  });

  test("the host turns it on, everyone sees it; 429 and 500 are retried and the chunk lands once as the speaker", async () => {
    configure();
    const f = await liveCall();
    expect(
      await f.clients.participant.mutation(api.rtcTranscription.setEnabled, {
        meetingId: f.meetingId,
        enabled: true,
      }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    // Before the host turns it on, nothing reaches the provider.
    const before = stt.requests.length;
    expect(
      await f.clients.participant.action(
        api.rtcTranscribe.transcribe,
        segment(f.meetingId, "early"),
      ),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(stt.requests.length).toBe(before);
    expect(
      await f.clients.host.mutation(api.rtcTranscription.setEnabled, {
        meetingId: f.meetingId,
        enabled: true,
      }),
    ).toEqual({ ok: true });
    expect(
      await f.clients.observer.query(api.rtcTranscription.status, { meetingId: f.meetingId }),
    ).toMatchObject({
      providerConfigured: true,
      provider: `openai-compatible:${MODEL}`,
      enabled: true,
      changedBy: "Hana",
    });

    stt.failNext(429, 500);
    const r = await f.clients.participant.action(
      api.rtcTranscribe.transcribe,
      segment(f.meetingId, "seg-1"),
    );
    expect(r).toMatchObject({ ok: true, text: SENTENCE, attempts: 3 });
    const mine = stt.requests.slice(before);
    expect(mine.map((q) => q.status)).toEqual([429, 500, 200]);
    for (const q of mine) {
      expect(q).toMatchObject({
        model: MODEL,
        responseFormat: "json",
        fileName: "seg-1.wav",
        fileType: "audio/wav",
        error: null,
      });
      expect(q.durationMs).toBeCloseTo(1200, 0);
    }
    // The same segment again (a client retry): no provider call, no second chunk.
    const again = await f.clients.participant.action(
      api.rtcTranscribe.transcribe,
      segment(f.meetingId, "seg-1"),
    );
    expect(again).toMatchObject({ ok: true, text: SENTENCE });
    expect(stt.requests.length).toBe(before + 3);
    expect(await finals(f)).toEqual([
      {
        speaker: "Pia",
        speakerId: f.ids.participant,
        text: SENTENCE,
        utteranceId: "stt:seg-1",
        isFinal: true,
      },
    ]);
  });

  test("a provider that keeps failing is a PROVIDER_ERROR and appends nothing; a 400 is not retried", async () => {
    configure();
    const f = await liveCall();
    await f.clients.host.mutation(api.rtcTranscription.setEnabled, {
      meetingId: f.meetingId,
      enabled: true,
    });
    const before = stt.requests.length;
    stt.failNext(500, 503, 502, 500);
    const r = await f.clients.host.action(
      api.rtcTranscribe.transcribe,
      segment(f.meetingId, "down"),
    );
    expect(r).toMatchObject({ ok: false, code: "PROVIDER_ERROR" });
    expect(r.ok === false && r.message).toMatch(/HTTP 500/);
    expect(stt.requests.length - before).toBe(4);
    process.env.STT_MODEL = "wrong-model";
    const bad = await f.clients.host.action(
      api.rtcTranscribe.transcribe,
      segment(f.meetingId, "bad"),
    );
    expect(bad).toMatchObject({ ok: false, code: "PROVIDER_ERROR" });
    expect(bad.ok === false && bad.message).toMatch(/HTTP 400/);
    expect(stt.requests.length - before).toBe(5);
    expect(await finals(f)).toEqual([]);
    // The failed segment's claim was released: it can be sent again once the provider is back.
    process.env.STT_MODEL = MODEL;
    expect(
      await f.clients.host.action(api.rtcTranscribe.transcribe, segment(f.meetingId, "down")),
    ).toMatchObject({ ok: true, text: SENTENCE });
    expect((await finals(f)).map((c) => c.speaker)).toEqual(["Hana"]);
  });

  test("an org whose transcription minutes are used up is refused before the provider is paid", async () => {
    configure();
    const f = await liveCall();
    await f.clients.host.mutation(api.rtcTranscription.setEnabled, {
      meetingId: f.meetingId,
      enabled: true,
    });
    await f.t.run(async (ctx) => {
      const meeting = await ctx.db.get("meetings", f.meetingId);
      const { orgId } = await entitlementsOfMeeting(ctx, meeting ?? {});
      if (!orgId) throw new Error("the fixture meeting has no org");
      await ctx.db.insert("usageTotals", {
        orgId,
        metric: "transcriptionMs",
        period: usagePeriod(Date.now()),
        used: PLANS.free.transcriptionMinutesPerMonth * 60_000,
        updatedAt: Date.now(),
      });
    });
    const before = stt.requests.length;
    const r = await f.clients.host.action(
      api.rtcTranscribe.transcribe,
      segment(f.meetingId, "over"),
    );
    expect(r).toMatchObject({ ok: false, code: "QUOTA_EXCEEDED" });
    expect(stt.requests.length).toBe(before);
    expect(await finals(f)).toEqual([]);
  });

  test("consent: an opted-out participant and an observer are not transcribed; bad segments are refused", async () => {
    configure();
    const f = await liveCall();
    await f.clients.host.mutation(api.rtcTranscription.setEnabled, {
      meetingId: f.meetingId,
      enabled: true,
    });
    expect(
      await f.clients.participant.mutation(api.rtcTranscription.setOptOut, {
        meetingId: f.meetingId,
        optOut: true,
      }),
    ).toEqual({ ok: true });
    const status = await f.clients.host.query(api.rtcTranscription.status, {
      meetingId: f.meetingId,
    });
    expect(status).toMatchObject({ enabled: true, myOptOut: false, optedOut: ["Pia"] });
    const before = stt.requests.length;
    expect(
      await f.clients.participant.action(api.rtcTranscribe.transcribe, segment(f.meetingId, "p1")),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(
      await f.clients.observer.action(api.rtcTranscribe.transcribe, segment(f.meetingId, "o1")),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(
      await f.clients.nonParticipant.action(
        api.rtcTranscribe.transcribe,
        segment(f.meetingId, "n1"),
      ),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    for (const bad of [
      { segmentId: "../etc" },
      { mimeType: "text/plain" },
      { startMs: 5000, endMs: 4000 },
      { startMs: 0, endMs: 60_000 },
      { audio: new ArrayBuffer(0) },
    ])
      expect(
        await f.clients.host.action(api.rtcTranscribe.transcribe, {
          ...segment(f.meetingId, "h1"),
          ...bad,
        }),
      ).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(stt.requests.length).toBe(before);
    // Opting back in works.
    await f.clients.participant.mutation(api.rtcTranscription.setOptOut, {
      meetingId: f.meetingId,
      optOut: false,
    });
    expect(
      await f.clients.participant.action(api.rtcTranscribe.transcribe, segment(f.meetingId, "p2")),
    ).toMatchObject({ ok: true });
  });

  test("silence appends nothing", async () => {
    configure();
    const f = await liveCall();
    await f.clients.host.mutation(api.rtcTranscription.setEnabled, {
      meetingId: f.meetingId,
      enabled: true,
    });
    const quiet = encodeWav(new Float32Array(16_000), 16_000);
    const r = await f.clients.host.action(api.rtcTranscribe.transcribe, {
      ...segment(f.meetingId, "quiet"),
      audio: quiet.buffer.slice(
        quiet.byteOffset,
        quiet.byteOffset + quiet.byteLength,
      ) as ArrayBuffer,
    });
    expect(r).toEqual({ ok: true, text: "", sequence: null, attempts: 1 });
    expect(await finals(f)).toEqual([]);
  });
});

describe("OpenAI-compatible client and retry policy", () => {
  test("configuration: base URL or full endpoint, defaults, malformed values named", () => {
    expect(readSttConfig({})).toBeNull();
    expect(readSttConfig({ STT_URL: "https://api.openai.com/v1/" })).toMatchObject({
      url: "https://api.openai.com/v1/audio/transcriptions",
      model: "whisper-1",
      apiKey: null,
      responseFormat: "json",
    });
    expect(
      readSttConfig({
        STT_URL: "http://127.0.0.1:8080/v1/audio/transcriptions",
        STT_MODEL: "base.en",
      })?.url,
    ).toBe("http://127.0.0.1:8080/v1/audio/transcriptions");
    expect(() => readSttConfig({ STT_URL: "not a url" })).toThrow(/STT_URL/);
    expect(() => readSttConfig({ STT_URL: "ftp://x/v1" })).toThrow(/STT_URL/);
    expect(() => readSttConfig({ STT_URL: "http://x/v1", STT_RESPONSE_FORMAT: "srt" })).toThrow(
      /STT_RESPONSE_FORMAT/,
    );
  });

  test("verbose_json answers carry a confidence from the segments' log-probabilities", async () => {
    const settings = readSttConfig({
      STT_URL: "http://x/v1",
      STT_RESPONSE_FORMAT: "verbose_json",
    })!;
    const fake: typeof fetch = async () =>
      new Response(
        JSON.stringify({
          text: " hi ",
          segments: [{ avg_logprob: Math.log(0.8) }, { avg_logprob: Math.log(0.6) }],
        }),
      );
    const r = await openAiCompatibleStt(settings, fake).transcribe({
      audio: speechWav(),
      mimeType: "audio/wav",
      fileName: "a.wav",
    });
    expect(r.text).toBe("hi");
    expect(r.confidence).toBeCloseTo(0.7, 5);
  });

  test("a provider that never answers times out (retryable) and the retry gets the text", async () => {
    const settings = {
      ...readSttConfig({ STT_URL: stt.url, STT_MODEL: MODEL, STT_API_KEY: KEY })!,
    };
    // Why 3 s: the fake holds the hung request forever, and an answered one must not time out
    // on a loaded 2-core machine (a loopback answer takes milliseconds when idle).
    settings.timeoutMs = 3_000;
    const client = openAiCompatibleStt(settings);
    const seen = stt.requests.length;
    stt.failNext("hang");
    const errors: unknown[] = [];
    const r = await withRetries(
      async () => {
        try {
          return await client.transcribe({
            audio: speechWav(),
            mimeType: "audio/wav",
            fileName: "seg.wav",
          });
        } catch (e) {
          errors.push(e);
          throw e;
        }
      },
      { attempts: 3, baseMs: 1, maxMs: 1, sleep: async () => {} },
    );
    expect(r).toEqual({ value: { text: SENTENCE, confidence: null }, attempts: 2 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SttError);
    expect((errors[0] as SttError).retryable).toBe(true);
    expect(String((errors[0] as SttError).message)).toMatch(/timed out after 3000 ms/);
    expect(stt.requests.slice(seen).map((q) => q.status)).toEqual([-1, 200]);
  });

  test("backoff doubles from the base, honours Retry-After, and stops at the attempt limit", async () => {
    const waits: number[] = [];
    const errors = [
      new SttError("x", true, 500),
      new SttError("x", true, 429, 1234),
      new SttError("x", true, 500),
    ];
    const r = await withRetries(
      async () => {
        const e = errors.shift();
        if (e) throw e;
        return "done";
      },
      { attempts: 4, baseMs: 100, maxMs: 10_000, sleep: async (ms) => void waits.push(ms) },
    );
    expect(r).toEqual({ value: "done", attempts: 4 });
    expect(waits).toEqual([100, 1234, 400]);
    await expect(
      withRetries(
        async () => {
          throw new SttError("no", false, 400);
        },
        { attempts: 4, baseMs: 1, maxMs: 1, sleep: async () => {} },
      ),
    ).rejects.toThrow("no");
  });
});
