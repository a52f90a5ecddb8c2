/** The overdue sweep ends abandoned live meetings only, as a system actor. */
import { describe, expect, test } from "vitest";
import { meetingFixture } from "../tests/core/fixtures";
import { internal } from "./_generated/api";
import { OVERDUE_GRACE_MS } from "./meetingSweeps";

describe("endOverdue", () => {
  test("given a live meeting past its end and grace, then it is ended by the system; a fresh one is not", async () => {
    const { t, meetingId } = await meetingFixture({ live: true });
    const meeting = await t.run(async (ctx) => await ctx.db.get("meetings", meetingId));
    const plannedEnd = meeting!.startedAt! + meeting!.durationMinutes * 60_000;
    expect(
      await t.mutation(internal.meetingSweeps.endOverdue, {
        now: plannedEnd + OVERDUE_GRACE_MS - 1,
      }),
    ).toEqual({
      ended: 0,
      more: false,
    });
    expect(
      await t.mutation(internal.meetingSweeps.endOverdue, {
        now: plannedEnd + OVERDUE_GRACE_MS + 1,
      }),
    ).toEqual({
      ended: 1,
      more: false,
    });
    const after = await t.run(async (ctx) => ({
      meeting: await ctx.db.get("meetings", meetingId),
      actors: (await ctx.db.query("meetingEvents").collect())
        .slice(-1)
        .map((e) => [e.kind, e.actor]),
      joined: (await ctx.db.query("participants").collect()).filter((p) => p.status === "joined")
        .length,
    }));
    expect(after.meeting?.status).toBe("ended");
    expect(after.actors).toEqual([["MeetingEnded", "system:overdue-sweep"]]);
    expect(after.joined).toBe(0);
    expect(
      await t.mutation(internal.meetingSweeps.endOverdue, {
        now: plannedEnd + OVERDUE_GRACE_MS + 2,
      }),
    ).toEqual({
      ended: 0,
      more: false,
    });
  });
});
