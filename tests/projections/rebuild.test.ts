/**
 * Versioned rebuild under concurrent appends: `meetingState` v1 (topic window
 * 8) is live; a rebuild builds v2 (window 12) beside it while events keep
 * arriving between scheduler steps. Reads stay on a complete view the whole
 * time, the switch is atomic, v1 rows are deleted afterwards, and the final
 * views equal a fresh v2 fold of each meeting's log — with every event
 * processed exactly once.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { readVersionOf } from "../../convex/projectors/control";
import { getMeetingStateRow, rowToView } from "../../convex/projectors/meetingState";
import { projectorOf } from "../../convex/projectors/registry";
import { foldAll } from "../../projections/core/fold";
import { makeMeetingStateFold } from "../../projections/meetingState/evolve";
import { makeConvex, type TestBackend } from "../harness/convex";
import {
  appendChunk,
  appendMeeting,
  createMeeting,
  drain,
  readLog,
  withFakeScheduler,
} from "./fixtures";

const TOKEN = "test-operator-token";
const WORDS = ["budget", "launch", "roadmap", "hiring", "design", "metrics", "pricing", "churn"];

let chunkSeq = 0;
async function speak(t: TestBackend, meetingId: Id<"meetings">, at: number, i: number) {
  chunkSeq += 1;
  await appendChunk(t, meetingId, at, {
    seq: chunkSeq,
    utteranceId: `u-${chunkSeq}`,
    speakerId: i % 2 ? "u1" : "u2",
    speaker: i % 2 ? "Ann" : "Bob",
    text: `${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} ${WORDS[(i * 5 + 1) % WORDS.length]}`,
    confidence: 0.9,
    startMs: i * 3000,
    endMs: i * 3000 + 2500,
    isFinal: true,
  });
}

async function readView(t: TestBackend, meetingId: Id<"meetings">) {
  return await t.run(async (ctx) => {
    const version = await readVersionOf(ctx, "meetingState");
    const row = await getMeetingStateRow(ctx, meetingId, version);
    return { version, view: row ? rowToView(row) : null };
  });
}

afterEach(() => {
  vi.useRealTimers();
  delete process.env.CONNVO_ADMIN_TOKEN;
});

withFakeScheduler();

describe("zero-downtime rebuild", () => {
  test("P9 builds v2 beside v1 while appends continue, switches atomically, cleans up", async () => {
    process.env.CONNVO_ADMIN_TOKEN = TOKEN;
    const t = makeConvex();
    // This deployment was serving meetingState v1 before v2 shipped.
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
    const meetings: Id<"meetings">[] = [];
    for (const name of ["A", "B", "C"]) {
      const { meetingId } = await createMeeting(t, name);
      meetings.push(meetingId);
      await appendMeeting(t, meetingId, { type: "MeetingStarted", at: 1000 });
      for (let i = 0; i < 14; i++) await speak(t, meetingId, 2000 + i * 1000, i);
    }
    await drain(t);
    const before = await readView(t, meetings[0]!);
    expect(before.version).toBe(1);
    expect(before.view?.topics).toEqual(
      foldAll(makeMeetingStateFold({ topicWindow: 8 }), await readLog(t, meetings[0]!)).topics,
    );
    // Small batches so the catch-up takes many steps, interleaved with appends.
    const p = projectorOf("meetingState")!;
    const saved = p.batchSize;
    p.batchSize = 3;
    try {
      const started = await t.mutation(api.projections.rebuild, {
        adminToken: TOKEN,
        projection: "meetingState",
      });
      expect(started).toMatchObject({ phase: "building", buildVersion: 2, readVersion: 1 });
      let i = 100;
      let switchedSeen = false;
      for (let stepNo = 0; stepNo < 400; stepNo++) {
        const m = meetings[stepNo % meetings.length]!;
        if (stepNo < 60) await speak(t, m, 20_000 + stepNo * 100, i++);
        vi.advanceTimersToNextTimer();
        await t.finishInProgressScheduledFunctions();
        // Reads never see a half-built view: whichever version they read holds the whole history.
        for (const id of meetings) {
          const r = await readView(t, id);
          expect(r.view).not.toBeNull();
          expect(r.view!.eventCount).toBeGreaterThanOrEqual(15);
          if (r.version === 2) switchedSeen = true;
        }
        const [s] = await t.query(api.projections.status, {
          adminToken: TOKEN,
          projection: "meetingState",
        });
        if (s!.phase === "live" && s!.readVersion === 2) break;
      }
      expect(switchedSeen).toBe(true);
    } finally {
      p.batchSize = saved;
    }
    await drain(t);
    const [status] = await t.query(api.projections.status, {
      adminToken: TOKEN,
      projection: "meetingState",
    });
    expect(status).toMatchObject({ phase: "live", readVersion: 2, buildVersion: null });
    for (const id of meetings) {
      const log = await readLog(t, id, ["meeting", "transcript"]);
      const r = await readView(t, id);
      expect(r.version).toBe(2);
      expect(r.view).toEqual(foldAll(makeMeetingStateFold({ topicWindow: 12 }), log));
      const cp = await t.run(async (ctx) =>
        ctx.db
          .query("projectionCheckpoints")
          .withIndex("by_meeting_projection_version", (q) =>
            q.eq("meetingId", id).eq("projection", "meetingState").eq("version", 2),
          )
          .unique(),
      );
      // Zero events skipped or applied twice.
      expect({ processed: cp?.processed, skipped: cp?.skipped }).toEqual({
        processed: log.length,
        skipped: 0,
      });
    }
    // The old version is gone: rows, checkpoints and run flags.
    const leftovers = await t.run(async (ctx) => ({
      rows: (
        await ctx.db
          .query("meetingStates")
          .withIndex("by_version", (q) => q.eq("version", 1))
          .collect()
      ).length,
      cps: (
        await ctx.db
          .query("projectionCheckpoints")
          .withIndex("by_projection_version", (q) =>
            q.eq("projection", "meetingState").eq("version", 1),
          )
          .collect()
      ).length,
      kicks: (
        await ctx.db
          .query("projectionKicks")
          .withIndex("by_projection_version", (q) =>
            q.eq("projection", "meetingState").eq("version", 1),
          )
          .collect()
      ).length,
    }));
    expect(leftovers).toEqual({ rows: 0, cps: 0, kicks: 0 });
  });

  test("operator functions refuse a wrong token", async () => {
    process.env.CONNVO_ADMIN_TOKEN = TOKEN;
    const t = makeConvex();
    await expect(t.query(api.projections.status, { adminToken: "nope" })).rejects.toThrow(
      /wrong operator token/,
    );
  });
});
