/**
 * `transcriptSegments.list` pages are bounded by utterances as well as by
 * segments (issue 20): a live pane's page stays the same size however long
 * the meeting, a page always holds at least one segment, and following
 * `nextIndex` visits every segment once, in order.
 */
import type { FunctionReturnType } from "convex/server";
import { describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { MAX_UTTERANCES_PER_PAGE } from "../../convex/transcriptSegments";
import { roomArgs } from "../harness/roomKey";
import { meetingFixture } from "./fixtures";

type SegmentPage = FunctionReturnType<typeof api.transcriptSegments.list>;

function segment(index: number, utterances: number) {
  return {
    index,
    speakerId: "s1",
    speaker: "Pia",
    startMs: index * 60_000,
    endMs: index * 60_000 + 59_000,
    firstAt: index,
    lastAt: index,
    utterances: Array.from({ length: utterances }, (_, i) => ({
      id: `u${index}-${i}`,
      text: `words ${i}`,
      startMs: index * 60_000 + i * 100,
      endMs: index * 60_000 + i * 100 + 100,
      isFinal: true,
      confidence: 0.9,
    })),
    text: "words",
    keywords: [],
  };
}

describe("transcript segment pages", () => {
  test("a page stops at the utterance budget, holds at least one segment, and pages cover everything", async () => {
    const f = await meetingFixture({ live: true });
    // Sizes in utterances: two fit a page together, the third does not; one alone exceeds the budget.
    const half = Math.floor(MAX_UTTERANCES_PER_PAGE / 2);
    const sizes = [half, half, half, MAX_UTTERANCES_PER_PAGE + 10, 3, 4];
    await f.t.run(async (ctx) => {
      for (const [i, n] of sizes.entries()) {
        await ctx.db.insert("transcriptSegments", {
          meetingId: f.meetingId,
          version: 1,
          ...segment(i, n),
        });
      }
    });
    const pages: number[][] = [];
    let from: number | null = 0;
    while (from !== null) {
      const page: SegmentPage = await f.clients.participant.query(api.transcriptSegments.list, {
        ...(await roomArgs(f.clients.participant, f.meetingId)),
        fromIndex: from,
      });
      expect(page.segments.length).toBeGreaterThan(0);
      const utterances = page.segments.reduce((n, s) => n + s.utterances.length, 0);
      if (page.segments.length > 1) expect(utterances).toBeLessThanOrEqual(MAX_UTTERANCES_PER_PAGE);
      pages.push(page.segments.map((s) => s.index));
      from = page.nextIndex;
    }
    expect(pages).toEqual([[0, 1], [2], [3], [4, 5]]);
  });
});
