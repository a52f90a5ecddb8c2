/**
 * Property: `timeline.stateAt(meetingId, t)` at random instants `t` equals
 * the timeline fold of the log truncated at `t` (the events before the first
 * one appended after `t`), whatever keyframes exist: keyframes are turned
 * down to every 3 events / 5 s and batches to 2 events so most instants start
 * from a keyframe and fold a tail.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { projectorOf } from "../../convex/projectors/registry";
import { timelineProjector } from "../../convex/projectors/timeline";
import { computeStateAt, TRANSCRIPT_AT_SEGMENTS } from "../../convex/timeline";
import { foldAll } from "../../projections/core/fold";
import { truncateAt } from "../../projections/core/logEvent";
import { frameOf, timelineFold } from "../../projections/timeline/timelineState";
import { makeConvex } from "../harness/convex";
import { createMeeting, readLog, withFakeScheduler } from "./fixtures";
import { play, stepArb } from "./randomLog";

const knobs = { batch: new Map<string, number>(), keyframe: timelineProjector.keyframeEvery };
beforeEach(() => {
  for (const name of ["timeline", "transcriptSegments"]) {
    const p = projectorOf(name)!;
    knobs.batch.set(name, p.batchSize);
    p.batchSize = 2;
  }
  timelineProjector.keyframeEvery = { events: 3, ms: 5_000, tailRatio: 0 };
});
afterEach(() => {
  for (const [name, size] of knobs.batch) projectorOf(name)!.batchSize = size;
  timelineProjector.keyframeEvery = knobs.keyframe;
});

withFakeScheduler();

describe("stateAt", () => {
  test("equals the fold of the log truncated at t, at random instants", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        async (steps, fractions) => {
          const t = makeConvex();
          const { meetingId } = await createMeeting(t);
          await play(t, meetingId, steps);
          const log = await readLog(t, meetingId);
          const first = log[0]!.at;
          const last = log[log.length - 1]!.at;
          const keyframes = await t.run(
            async (ctx) =>
              (await ctx.db.query("timelineKeyframes").collect()).filter(
                (k) => k.kind === "keyframe",
              ).length,
          );
          if (log.length > 8) expect(keyframes).toBeGreaterThan(0);
          for (const f of fractions) {
            const at = Math.floor(first - 1 + f * (last - first + 2));
            const expected = foldAll(timelineFold, truncateAt(log, at));
            const frame = frameOf(expected);
            const got = await t.run(async (ctx) => await computeStateAt(ctx, meetingId, at));
            expect(got.notes).toEqual(frame.notes);
            expect(got.meeting).toEqual(frame.meeting);
            expect(got.present).toEqual(frame.present);
            expect(got.eventCount).toBe(frame.eventCount);
            const segs = expected.transcript.segments;
            expect(got.transcript).toEqual({
              total: segs.length,
              segments: segs.slice(-TRANSCRIPT_AT_SEGMENTS),
            });
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
