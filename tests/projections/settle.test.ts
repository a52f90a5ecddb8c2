/**
 * P8: a run that caught up to its snapshot goes idle in its own transaction
 * only when no event lies past that snapshot. convex-test runs transactions
 * one at a time, so "an append that committed after the run's snapshot" is
 * set up by answering the run's `getSnapshotTs()` with the commitTs of the
 * earlier chunk (what Convex's run would have seen had the later append
 * landed while it ran): the run must fold up to its snapshot and queue
 * another run, never go idle with the later chunk unfolded.
 */
import { describe, expect, test } from "vitest";
import type { Id } from "../../convex/_generated/dataModel";
import type { MutationCtx } from "../../convex/_generated/server";
import { getCheckpoint, getKick } from "../../convex/projectors/kick";
import { projectorOf } from "../../convex/projectors/registry";
import { runOnce } from "../../convex/projectors/run";
import { makeConvex, type TestBackend } from "../harness/convex";
import { appendChunk, createMeeting, drain, withFakeScheduler } from "./fixtures";

withFakeScheduler();

const projection = "transcriptSegments";
const version = 1;

async function chunk(t: TestBackend, meetingId: Id<"meetings">, speakerId: string, seq: number) {
  await appendChunk(t, meetingId, 1000 + seq, {
    seq,
    utteranceId: `u${seq}`,
    speakerId,
    speaker: "Host",
    text: `chunk ${seq}`,
    confidence: 0.9,
    startMs: seq * 1000,
    endMs: seq * 1000 + 900,
    isFinal: true,
  });
}

/** The commitTs of a meeting's chunk `seq`. */
async function commitTsOf(t: TestBackend, meetingId: Id<"meetings">, seq: number) {
  return await t.run(async (ctx) => {
    const row = await ctx.db
      .query("transcriptEvents")
      .withIndex("by_meeting_seq", (q) => q.eq("meetingId", meetingId).eq("seq", seq))
      .unique();
    return row!.commitTs as bigint;
  });
}

/** `ctx` whose snapshot timestamp reads `ts` (the moment the run would have started at). */
function snapshotAt(ctx: MutationCtx, ts: bigint): MutationCtx {
  return { ...ctx, meta: { ...ctx.meta, getSnapshotTs: () => ts } };
}

/** Projector runs and settles waiting to start. */
async function scheduledJobs(t: TestBackend): Promise<number> {
  return await t.run(async (ctx) => {
    const jobs = await ctx.db.system.query("_scheduled_functions").collect();
    return jobs.filter((j) => j.state.kind === "pending" && j.name.startsWith("projectors/run"))
      .length;
  });
}

describe("P8 a run goes idle only when nothing lies past its snapshot", () => {
  test("P8 an event committed after the run's snapshot queues another run, never idle", async () => {
    const t = makeConvex();
    const { meetingId, hostId } = await createMeeting(t);
    await chunk(t, meetingId, hostId, 1);
    await chunk(t, meetingId, hostId, 2);
    const ts1 = await commitTsOf(t, meetingId, 1);
    const ts2 = await commitTsOf(t, meetingId, 2);
    const key = { meetingId, projection, version };
    const pendingBefore = await scheduledJobs(t);
    const first = await t.run(async (ctx) => {
      const out = await runOnce(snapshotAt(ctx, ts1), key);
      return { out, kick: (await getKick(ctx, key))?.state, cp: await getCheckpoint(ctx, key) };
    });
    // Folded up to its snapshot, saw chunk 2 past it: stays scheduled and queues a run.
    expect(first.out).toEqual({ status: "more", applied: 1 });
    expect(first.kick).toBe("scheduled");
    expect(first.cp?.cursors.transcript?.ts).toBe(ts1);
    expect(await scheduledJobs(t)).toBe(pendingBefore + 1);
    await drain(t);
    const after = await t.run(async (ctx) => ({
      kick: (await getKick(ctx, key))?.state,
      cp: await getCheckpoint(ctx, key),
    }));
    expect(after.kick).toBe("idle");
    expect(after.cp?.cursors.transcript?.ts).toBe(ts2);
    expect(after.cp?.processed).toBe(2);
  });

  test("P8 a run that caught up goes idle in the same transaction, queueing nothing", async () => {
    const t = makeConvex();
    const { meetingId, hostId } = await createMeeting(t);
    await chunk(t, meetingId, hostId, 1);
    const key = { meetingId, projection, version };
    const pendingBefore = await scheduledJobs(t);
    const out = await t.run(async (ctx) => {
      const r = await runOnce(ctx, key);
      return { r, kick: (await getKick(ctx, key))?.state, cp: await getCheckpoint(ctx, key) };
    });
    expect(out.r).toEqual({ status: "idle", applied: 1 });
    expect(out.kick).toBe("idle");
    expect(out.cp?.state).toBe("idle");
    expect(await scheduledJobs(t)).toBe(pendingBefore);
    // The run the append queued finds the flag idle and does nothing.
    await drain(t);
    const cp = await t.run(async (ctx) => await getCheckpoint(ctx, key));
    expect(cp?.processed).toBe(1);
  });
});

describe("P8 a busy stream lingers instead of going idle", () => {
  test("P8 a run that folded a fresh event queues the next one lingerMs later and stays scheduled", async () => {
    const t = makeConvex();
    const { meetingId, hostId } = await createMeeting(t);
    const key = { meetingId, projection, version };
    const lingerMs = projectorOf(projection)!.lingerMs;
    await appendChunk(t, meetingId, Date.now(), {
      seq: 1,
      utteranceId: "u1",
      speakerId: hostId,
      speaker: "Host",
      text: "fresh",
      confidence: 0.9,
      startMs: 0,
      endMs: 900,
      isFinal: true,
    });
    const first = await t.run(async (ctx) => ({
      r: await runOnce(ctx, key),
      kick: (await getKick(ctx, key))?.state,
    }));
    expect(first).toEqual({ r: { status: "linger", applied: 1 }, kick: "scheduled" });
    const queued = await t.run(async (ctx) => {
      const jobs = await ctx.db.system.query("_scheduled_functions").collect();
      return jobs
        .filter((j) => j.state.kind === "pending" && j.name.startsWith("projectors/run"))
        .map((j) => j.scheduledTime - j._creationTime);
    });
    // The append's own kick (at once) and the lingering run's next one, lingerMs later.
    expect(queued.some((d) => d >= lingerMs - 5)).toBe(true);
    // A chunk appended meanwhile finds the projector scheduled; the lingering run folds it,
    // the one after a quiet spell goes idle.
    await chunk(t, meetingId, hostId, 2);
    expect(await t.run(async (ctx) => (await getKick(ctx, key))?.state)).toBe("scheduled");
    await drain(t);
    const end = await t.run(async (ctx) => ({
      kick: (await getKick(ctx, key))?.state,
      cp: await getCheckpoint(ctx, key),
    }));
    expect(end.kick).toBe("idle");
    expect(end.cp?.processed).toBe(2);
  });
});
