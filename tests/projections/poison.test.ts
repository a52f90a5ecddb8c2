import { describe, expect, test } from "vitest";
import { MAX_ATTEMPTS } from "../../convex/projectors/foldBatch";
import { getMeetingStateRow } from "../../convex/projectors/meetingState";
import { makeConvex } from "../harness/convex";
import { appendMeeting, createMeeting, drain, withFakeScheduler } from "./fixtures";

withFakeScheduler();

describe("poison events", () => {
  test("P5 P6 a poison event is retried, parked and reported, and other meetings go on", async () => {
    const t = makeConvex();
    const a = await createMeeting(t, "A");
    const b = await createMeeting(t, "B");
    await appendMeeting(t, a.meetingId, { type: "MeetingStarted", at: 10 });
    // A payload from a future schema version: the upcaster refuses it (a poison event).
    await appendMeeting(t, a.meetingId, { type: "MeetingEnded", at: 20 }, 99);
    await appendMeeting(t, a.meetingId, { type: "ParticipantJoined", at: 30, userId: "u1" });
    await appendMeeting(t, b.meetingId, { type: "MeetingStarted", at: 15 });
    await drain(t);
    const seen = await t.run(async (ctx) => {
      const stateA = await getMeetingStateRow(ctx, a.meetingId, 2);
      const stateB = await getMeetingStateRow(ctx, b.meetingId, 2);
      const letters = await ctx.db
        .query("projectionDeadLetters")
        .withIndex("by_meeting", (q) => q.eq("meetingId", a.meetingId))
        .collect();
      const cp = await ctx.db
        .query("projectionCheckpoints")
        .withIndex("by_meeting_projection_version", (q) =>
          q.eq("meetingId", a.meetingId).eq("projection", "meetingState").eq("version", 2),
        )
        .unique();
      return {
        a: { status: stateA?.status, joined: stateA?.participants.map((p) => p.status) },
        b: stateB?.status,
        letters: letters.map((l) => ({
          projection: l.projection,
          mode: l.mode,
          status: l.status,
          attempts: l.attempts,
          error: l.error.includes("schemaVersion 99"),
        })),
        skipped: cp?.skipped,
        state: cp?.state,
      };
    });
    // The live projector skipped the poison event and applied the one after it.
    expect(seen.a).toEqual({ status: "active", joined: ["joined"] });
    expect(seen.b).toBe("active");
    // Parked once per projection that reads the meeting stream.
    const parked = (projection: string) => ({
      projection,
      mode: "skipped",
      status: "parked",
      attempts: MAX_ATTEMPTS,
      error: true,
    });
    expect(seen.letters.sort((x, y) => x.projection.localeCompare(y.projection))).toEqual([
      parked("aiPrecall"),
      parked("insights"),
      parked("meetingState"),
      parked("searchFeed"),
      parked("timeline"),
    ]);
    expect(seen).toMatchObject({ skipped: 1, state: "idle" });
  });
});
