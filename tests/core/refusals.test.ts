/**
 * Issue 12 finding 10 (the API side): numbers that `v.number()` lets through
 * (NaN, ±Infinity) are VALIDATION_ERROR, never an uncoded TypeError or a
 * stored NaN; and an unknown meeting is answered exactly like someone else's
 * meeting (no existence oracle).
 */
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { roomArgs } from "../harness/roomKey";
import { meetingFixture } from "./fixtures";

/** The coded data a call threw, or "ok" when it answered. */
async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  try {
    const r = await call();
    if (r && typeof r === "object" && "ok" in r && r.ok === false) {
      const { code, message } = r as unknown as { code: string; message: string };
      return { code, message };
    }
    return "ok";
  } catch (e) {
    if (e instanceof ConvexError) return e.data as unknown;
    return `uncoded: ${e instanceof Error ? e.message : String(e)}`;
  }
}

describe("finding 10: refusals", () => {
  test("NaN and Infinity as limits, positions and instants are VALIDATION_ERROR", async () => {
    const { clients, meetingId } = await meetingFixture({ live: true });
    const c = clients.participant;
    const { roomKey } = await roomArgs(c, meetingId);
    const calls: Array<() => Promise<unknown>> = [
      () => c.query(api.insights.mine, { limit: Number.NaN }),
      () => c.query(api.timeline.events, { meetingId, limit: Number.POSITIVE_INFINITY }),
      () => c.query(api.transcriptSegments.list, { meetingId, roomKey, limit: Number.NaN }),
      () => c.query(api.transcriptSegments.list, { meetingId, roomKey, fromIndex: Number.NaN }),
      () => c.query(api.transcripts.stream, { meetingId, roomKey, fromSequence: Number.NaN }),
      () => c.query(api.timeline.stateAt, { meetingId, t: Number.NaN }),
      () => c.query(api.chat.list, { meetingId, limit: Number.NaN }),
    ];
    for (const call of calls) {
      expect(await outcome(call)).toMatchObject({ code: "VALIDATION_ERROR" });
    }
  });

  test("NaN or Infinity in presence is refused and stores nothing", async () => {
    const { t, clients, meetingId } = await meetingFixture({ live: true });
    const c = clients.participant;
    await c.mutation(api.notes.registerClient, { meetingId, clientId: 77 });
    for (const clock of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      expect(
        await outcome(() =>
          c.mutation(api.presence.set, { meetingId, clientId: 77, clock, state: "{}" }),
        ),
      ).toMatchObject({ code: "VALIDATION_ERROR" });
    }
    expect(
      await outcome(() =>
        c.mutation(api.presence.set, { meetingId, clientId: Number.NaN, clock: 1, state: "{}" }),
      ),
    ).toMatchObject({ code: "VALIDATION_ERROR" });
    expect(await t.run((ctx) => ctx.db.query("notePresence").collect())).toEqual([]);
  });

  test("an unknown meeting and someone else's meeting get the same answer", async () => {
    const { t, clients, meetingId } = await meetingFixture();
    // A well-formed id of a meeting that no longer exists.
    const gone = await t.run(async (ctx) => {
      const id = await ctx.db.insert("meetings", {
        title: "gone",
        scheduledAt: 0,
        durationMinutes: 30,
        hostId: (await ctx.db.query("users").first())!._id,
        status: "scheduled",
        createdAt: 0,
      });
      await ctx.db.delete("meetings", id);
      return id;
    });
    const c = clients.nonParticipant;
    const probes = [
      (id: typeof meetingId) => () => c.query(api.meetings.get, { meetingId: id }),
      (id: typeof meetingId) => () => c.query(api.rooms.access, { meetingId: id }),
      // A room query with a made-up key: the same answer for a real and a gone meeting.
      (id: typeof meetingId) => () =>
        c.query(api.notes.pull, { meetingId: id, roomKey: "x".repeat(22), after: null }),
      (id: typeof meetingId) => () => c.mutation(api.meetings.start, { meetingId: id }),
      (id: typeof meetingId) => () => c.mutation(api.participants.join, { meetingId: id }),
    ];
    for (const probe of probes) {
      const foreign = await outcome(probe(meetingId));
      expect(foreign).toMatchObject({ code: "FORBIDDEN" });
      expect(await outcome(probe(gone))).toEqual(foreign);
    }
  });
});
