/**
 * Replaying parked events after a fix. The fix is simulated by swapping the
 * deployed fold for one that throws on a given event, then restoring it (what
 * deploying corrected code does): a live projector's skipped event is applied
 * on replay; a rebuild that stalled on one resumes, switches and ends equal to
 * a fresh fold — reads staying on the old version while it was stalled.
 */
import { afterEach, describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { readVersionOf } from "../../convex/projectors/control";
import { getMeetingStateRow, rowToView } from "../../convex/projectors/meetingState";
import { projectorOf } from "../../convex/projectors/registry";
import type { Fold } from "../../projections/core/fold";
import { foldAll } from "../../projections/core/fold";
import type { MeetingStateView } from "../../projections/meetingState/evolve";
import { makeMeetingStateFold } from "../../projections/meetingState/evolve";
import { makeConvex, type TestBackend } from "../harness/convex";
import { appendMeeting, createMeeting, drain, readLog, withFakeScheduler } from "./fixtures";

withFakeScheduler();
const TOKEN = "replay-token";
const p = projectorOf("meetingState")!;
const original = { ...p.folds };

/** Deploy a v`version` fold that throws on joins of `userId` (a bug). */
function deployBuggy(version: number, userId: string) {
  const good = original[version] as Fold<MeetingStateView>;
  (p.folds as Record<number, Fold<MeetingStateView>>)[version] = {
    ...good,
    evolve: (v, e) => {
      if (
        e.stream === "meeting" &&
        e.event.type === "ParticipantJoined" &&
        e.event.userId === userId
      ) {
        throw new Error(`bug: cannot handle ${userId}`);
      }
      return good.evolve(v, e);
    },
  };
}
function deployFix() {
  Object.assign(p.folds, original);
}
afterEach(() => {
  deployFix();
  delete process.env.CONNVO_ADMIN_TOKEN;
});

async function view(t: TestBackend, meetingId: Id<"meetings">) {
  return await t.run(async (ctx) => {
    const version = await readVersionOf(ctx, "meetingState");
    const row = await getMeetingStateRow(ctx, meetingId, version);
    return { version, view: row ? rowToView(row) : null };
  });
}

async function parked(t: TestBackend) {
  return await t.query(api.projections.deadLetters, { adminToken: TOKEN });
}

describe("replaying parked events", () => {
  test("P7 an event a live projector skipped is applied on replay", async () => {
    process.env.CONNVO_ADMIN_TOKEN = TOKEN;
    const t = makeConvex();
    const { meetingId } = await createMeeting(t);
    deployBuggy(2, "zed");
    await appendMeeting(t, meetingId, { type: "MeetingStarted", at: 10 });
    await appendMeeting(t, meetingId, { type: "ParticipantJoined", at: 20, userId: "zed" });
    await appendMeeting(t, meetingId, { type: "ParticipantJoined", at: 30, userId: "amy" });
    await drain(t);
    expect((await view(t, meetingId)).view?.participants.map((x) => x.userId)).toEqual(["amy"]);
    const letters = (await parked(t)).filter((d) => d.projection === "meetingState");
    expect(letters).toHaveLength(1);
    deployFix();
    const r = await t.mutation(api.projections.replayDeadLetter, {
      adminToken: TOKEN,
      id: letters[0]!.id,
    });
    expect(r).toEqual({ ok: true, how: "applied" });
    expect(
      (await view(t, meetingId)).view?.participants.map((x) => [x.userId, x.presentSince]),
    ).toEqual([
      ["amy", 30],
      ["zed", 20],
    ]);
    expect((await parked(t)).filter((d) => d.projection === "meetingState")).toEqual([]);
  });

  test("P6 P7 P9 a rebuild stalls on a poison event, keeps reads on the old version, and resumes on replay", async () => {
    process.env.CONNVO_ADMIN_TOKEN = TOKEN;
    const t = makeConvex();
    await t.run(async (ctx) => {
      await ctx.db.insert("projectionControl", {
        projection: "meetingState",
        readVersion: 1,
        phase: "live",
        step: "none",
        meetingsSeeded: 0,
        deleted: 0,
      });
    });
    const { meetingId } = await createMeeting(t);
    await appendMeeting(t, meetingId, { type: "MeetingStarted", at: 10 });
    await appendMeeting(t, meetingId, { type: "ParticipantJoined", at: 20, userId: "zed" });
    await drain(t);
    deployBuggy(2, "zed");
    await t.mutation(api.projections.rebuild, { adminToken: TOKEN, projection: "meetingState" });
    await drain(t);
    const [stalled] = await t.query(api.projections.status, {
      adminToken: TOKEN,
      projection: "meetingState",
    });
    expect(stalled).toMatchObject({ phase: "stalled", readVersion: 1, buildVersion: 2 });
    expect(stalled!.lastError).toMatch(/bug: cannot handle zed/);
    expect((await view(t, meetingId)).version).toBe(1);
    const letter = (await parked(t)).find(
      (d) => d.projection === "meetingState" && d.version === 2,
    )!;
    expect(letter.mode).toBe("stalled");
    deployFix();
    expect(
      await t.mutation(api.projections.replayDeadLetter, { adminToken: TOKEN, id: letter.id }),
    ).toEqual({
      ok: true,
      how: "resumed",
    });
    await drain(t);
    const after = await view(t, meetingId);
    expect(after.version).toBe(2);
    expect(after.view).toEqual(
      foldAll(
        makeMeetingStateFold({ topicWindow: 12 }),
        await readLog(t, meetingId, ["meeting", "transcript"]),
      ),
    );
  });
});
