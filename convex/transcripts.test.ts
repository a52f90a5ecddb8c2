/** Given-When-Then specs of transcript ingestion and the resumable stream. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { roomArgs } from "../tests/harness/roomKey";
import { api } from "./_generated/api";

const chunk = (
  i: number,
  over: Partial<{ isFinal: boolean; utteranceId: string; text: string }> = {},
) => ({
  text: `words ${i}`,
  confidence: 0.9,
  startMs: i * 1000,
  endMs: i * 1000 + 900,
  isFinal: true,
  idempotencyKey: `c${i}${over.isFinal === false ? "i" : ""}`,
  ...over,
});

describe("transcripts", () => {
  test("given a live meeting, when a joined participant ingests, then chunks get per-meeting sequences", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    const a = await clients.participant.mutation(api.transcripts.ingest, {
      meetingId,
      chunks: [chunk(1), chunk(2)],
    });
    const b = await clients.host.mutation(api.transcripts.append, {
      meetingId,
      interim: false,
      text: "hello",
      confidence: 1,
      startMs: 5000,
      endMs: 5500,
      idempotencyKey: "h1",
    });
    expect(a).toEqual({ ok: true, sequences: [1, 2] });
    expect(b).toEqual({ ok: true, sequences: [3] });
    const s = await clients.observer.query(api.transcripts.stream, {
      ...(await roomArgs(clients.observer, meetingId)),
    });
    expect(s.chunks.map((c) => [c.seq, c.speaker, c.text])).toEqual([
      [1, "Pia", "words 1"],
      [2, "Pia", "words 2"],
      [3, "Hana", "hello"],
    ]);
    expect(s).toMatchObject({ nextSequence: 4, done: true });
  });

  test("given a retried batch, then nothing is stored twice and the original sequences come back", async () => {
    const { t, clients, meetingId } = await meetingFixture({ live: true });
    await clients.participant.mutation(api.transcripts.ingest, {
      meetingId,
      chunks: [chunk(1), chunk(2)],
    });
    const retry = await clients.participant.mutation(api.transcripts.ingest, {
      meetingId,
      chunks: [chunk(2), chunk(3)],
    });
    expect(retry).toEqual({ ok: true, sequences: [2, 3] });
    const n = await t.run(async (ctx) => (await ctx.db.query("transcriptEvents").collect()).length);
    expect(n).toBe(3);
  });

  test("given interims then a final of one utterance, then the stream serves only the final", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    const u = { utteranceId: "u1" };
    await clients.participant.mutation(api.transcripts.ingest, {
      meetingId,
      chunks: [
        { ...chunk(1, { ...u, isFinal: false, text: "hel" }), idempotencyKey: "a" },
        { ...chunk(1, { ...u, isFinal: false, text: "hello wor" }), idempotencyKey: "b" },
        { ...chunk(2, { utteranceId: "u2", isFinal: false, text: "open" }), idempotencyKey: "c" },
        { ...chunk(1, { ...u, isFinal: true, text: "hello world" }), idempotencyKey: "d" },
      ],
    });
    const s = await clients.participant.query(api.transcripts.stream, {
      ...(await roomArgs(clients.participant, meetingId)),
    });
    expect(s.chunks.map((c) => [c.seq, c.text, c.isFinal])).toEqual([
      [3, "open", false],
      [4, "hello world", true],
    ]);
  });

  test("the stream is bounded and resumable by sequence", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    const chunks = Array.from({ length: 7 }, (_, i) => chunk(i));
    await clients.participant.mutation(api.transcripts.ingest, { meetingId, chunks });
    const seen: number[] = [];
    let from = 1;
    for (let page = 0; page < 10; page++) {
      const s = await clients.participant.query(api.transcripts.stream, {
        ...(await roomArgs(clients.participant, meetingId)),
        fromSequence: from,
        limit: 3,
      });
      seen.push(...s.chunks.map((c) => c.seq));
      from = s.nextSequence;
      if (s.done) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await expect(
      clients.participant.query(api.transcripts.stream, {
        ...(await roomArgs(clients.participant, meetingId)),
        limit: 201,
      }),
    ).rejects.toThrow(/limit/);
  });

  test("given a scheduled meeting, then ingestion is MEETING_NOT_ACTIVE and audited", async () => {
    const { t, clients, meetingId } = await meetingFixture();
    const r = await clients.host.mutation(api.transcripts.ingest, {
      meetingId,
      chunks: [chunk(1)],
    });
    expect(r).toMatchObject({ ok: false, code: "MEETING_NOT_ACTIVE" });
    const audit = await t.run(async (ctx) => await ctx.db.query("auditLog").collect());
    expect(
      audit.some((a) => a.action === "transcript.ingest" && a.code === "MEETING_NOT_ACTIVE"),
    ).toBe(true);
  });

  test("invited-not-joined participants and observers cannot ingest; bad chunks are refused", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    expect(
      await clients.invited.mutation(api.transcripts.ingest, { meetingId, chunks: [chunk(1)] }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(
      await clients.observer.mutation(api.transcripts.ingest, { meetingId, chunks: [chunk(1)] }),
    ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    for (const bad of [
      { ...chunk(1), text: "" },
      { ...chunk(1), text: "x".repeat(2001) },
      { ...chunk(1), confidence: 1.5 },
      { ...chunk(1), startMs: 10, endMs: 5 },
    ]) {
      expect(
        await clients.participant.mutation(api.transcripts.ingest, { meetingId, chunks: [bad] }),
      ).toMatchObject({
        ok: false,
        code: "VALIDATION_ERROR",
      });
    }
  });

  test("a flood is RATE_LIMITED and the refused requests still spend tokens", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const big = Array.from({ length: 50 }, (_, j) => ({
        ...chunk(j),
        text: "",
        idempotencyKey: `f${i}-${j}`,
      }));
      const r = await clients.participant.mutation(api.transcripts.ingest, {
        meetingId,
        chunks: big,
      });
      codes.push(r.ok ? "ok" : r.code);
    }
    // 2 × 50 invalid chunks empty the 100-token bucket; the next calls are rate limited.
    expect(codes).toEqual(["VALIDATION_ERROR", "VALIDATION_ERROR", "RATE_LIMITED", "RATE_LIMITED"]);
  });
});

describe("transcripts.range", () => {
  test("serves the window through time buckets, finals over interims", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    await clients.participant.mutation(api.transcripts.ingest, {
      meetingId,
      chunks: [
        { ...chunk(10), utteranceId: "a" }, // 10 s
        { ...chunk(70, { isFinal: false, text: "draft" }), utteranceId: "b" }, // 70 s, bucket 1
        { ...chunk(70, { text: "final" }), utteranceId: "b" },
        { ...chunk(130), utteranceId: "c" }, // 130 s, bucket 2
      ],
    });
    const r = await clients.host.query(api.transcripts.range, {
      meetingId,
      fromMs: 60_000,
      toMs: 120_000,
    });
    expect(r).toMatchObject({ truncated: false });
    expect(r.chunks.map((c) => [c.utteranceId, c.text])).toEqual([["b", "final"]]);
    await expect(
      clients.host.query(api.transcripts.range, { meetingId, fromMs: 0, toMs: 11 * 60_000 }),
    ).rejects.toThrow(/window/);
  });
});

describe("transcript sequencing property", () => {
  /**
   * Property: for any interleaving of batches from several joined speakers,
   * including retries of earlier chunks, the stored sequence numbers are
   * exactly 1..n (gap-free, unique), n = the number of distinct
   * (speaker, key) pairs, and every retry answers with the original number.
   */
  test("sequences are gap-free and retries keep their numbers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            who: fc.constantFrom("host", "participant"),
            keys: fc.uniqueArray(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (batches) => {
          const { t, clients, meetingId } = await meetingFixture({ live: true });
          const first = new Map<string, number>();
          for (const b of batches) {
            const r = await clients[b.who as "host" | "participant"].mutation(
              api.transcripts.ingest,
              {
                meetingId,
                chunks: b.keys.map((k) => ({ ...chunk(k), idempotencyKey: `k${k}` })),
              },
            );
            if (!r.ok) throw new Error(r.message);
            for (const [i, k] of b.keys.entries()) {
              const id = `${b.who}:${k}`;
              const seq = r.sequences[i]!;
              if (first.has(id)) expect(seq).toBe(first.get(id));
              else first.set(id, seq);
            }
          }
          const seqs = await t.run(async (ctx) =>
            (await ctx.db.query("transcriptEvents").collect()).map((r) => r.seq),
          );
          expect(seqs.sort((a, b) => a - b)).toEqual(
            Array.from({ length: first.size }, (_, i) => i + 1),
          );
        },
      ),
      { numRuns: 12 },
    );
  });
});
