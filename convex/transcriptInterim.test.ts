/** Issue 21: interim transcript words are closed by the server after a silence, never kept forever. */
import { afterEach, describe, expect, test, vi } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { roomArgs } from "../tests/harness/roomKey";
import { api, internal } from "./_generated/api";
import { openTranscriptRow } from "./lib/personalData";
import { INTERIM_TIMEOUT_MS } from "./transcripts/ingest";

afterEach(() => {
  vi.useRealTimers();
});

const chunk = (key: string, text: string, isFinal: boolean, utteranceId: string) => ({
  text,
  confidence: 0.8,
  startMs: 1000,
  endMs: 1800,
  isFinal,
  utteranceId,
  idempotencyKey: key,
});

async function utterances(f: Awaited<ReturnType<typeof meetingFixture>>) {
  await f.t.finishAllScheduledFunctions(vi.runAllTimers);
  // Stored text is sealed under the speaker's key: read it through the one opening helper.
  const rows = await f.t.run(async (ctx) => {
    const stored = await ctx.db.query("transcriptEvents").collect();
    return await Promise.all(stored.map((r) => openTranscriptRow(ctx, r)));
  });
  return rows.map((r) => [r.utteranceId, r.data.text, r.data.isFinal, r.actor]);
}

describe("interim transcript words", () => {
  test("an utterance left interim is closed with an empty final after the timeout: the words are dropped", async () => {
    vi.useFakeTimers();
    const f = await meetingFixture({ live: true });
    await f.clients.participant.mutation(api.transcripts.ingest, {
      meetingId: f.meetingId,
      chunks: [
        chunk("a1", "so the plan", false, "u1"),
        chunk("a2", "so the plan is to", false, "u1"),
      ],
    });
    const rows = await utterances(f);
    expect(rows.filter((r) => r[0] === "u1").at(-1)).toEqual([
      "u1",
      "",
      true,
      "system:interim-timeout",
    ]);
    // Exactly one closing chunk, however many interims came before it.
    expect(rows.filter((r) => r[0] === "u1" && r[2] === true)).toHaveLength(1);
  });

  test("a client final before the timeout is kept and nothing is added", async () => {
    vi.useFakeTimers();
    const f = await meetingFixture({ live: true });
    await f.clients.participant.mutation(api.transcripts.ingest, {
      meetingId: f.meetingId,
      chunks: [chunk("b1", "we ship", false, "u2"), chunk("b2", "we ship on Friday", true, "u2")],
    });
    const rows = await utterances(f);
    expect(rows.filter((r) => r[0] === "u2")).toEqual([
      ["u2", "we ship", false, expect.any(String)],
      ["u2", "we ship on Friday", true, expect.any(String)],
    ]);
  });

  test("a check that finds newer interim words waits until they too are stale", async () => {
    const f = await meetingFixture({ live: true });
    await f.clients.participant.mutation(api.transcripts.ingest, {
      meetingId: f.meetingId,
      chunks: [chunk("c1", "still talking", false, "u3")],
    });
    expect(
      await f.t.mutation(internal.transcriptInterim.settle, {
        meetingId: f.meetingId,
        utteranceId: "u3",
      }),
    ).toBe("later");
    await f.t.run(async (ctx) => {
      const row = (await ctx.db.query("transcriptEvents").collect()).find(
        (r) => r.utteranceId === "u3",
      )!;
      await ctx.db.patch("transcriptEvents", row._id, { at: Date.now() - INTERIM_TIMEOUT_MS - 1 });
    });
    expect(
      await f.t.mutation(internal.transcriptInterim.settle, {
        meetingId: f.meetingId,
        utteranceId: "u3",
      }),
    ).toBe("closed");
    expect(
      await f.t.mutation(internal.transcriptInterim.settle, {
        meetingId: f.meetingId,
        utteranceId: "u3",
      }),
    ).toBe("final");
    const segments = await f.clients.host.query(api.transcripts.stream, {
      ...(await roomArgs(f.clients.host, f.meetingId)),
    });
    expect(segments.chunks.filter((c) => c.isFinal).map((c) => c.text)).toEqual([""]);
  });
});
