/**
 * The `insights` projector: folds the meeting stream into "has ended" (and,
 * from version 2, counts note edits after the end); the batch that sees the
 * end creates the meeting's insights run and starts the generating job
 * (`insightsGenerate.generate`, under the action retrier) in the same
 * transaction, so it is requested exactly once per meeting and version; a
 * batch with new note edits after the end requests a regeneration. Meetings
 * imported from the legacy database get no generation at import (see `save`).
 */

import {
  type InsightsTrigger,
  insightsTriggerFold,
  insightsTriggerFoldV2,
} from "../../projections/insights/trigger";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { startJob } from "../ai/jobs";
import { isImportedMeeting } from "../lib/legacyRows";
import type { ProjectorImpl } from "./types";

/** The insights run of a meeting, if requested. */
export async function getInsightRun(ctx: QueryCtx, meetingId: Id<"meetings">, version: number) {
  return await ctx.db
    .query("insightRuns")
    .withIndex("by_meeting_version", (q) => q.eq("meetingId", meetingId).eq("version", version))
    .unique();
}

/** The insights projector. */
export const insightsProjector: ProjectorImpl<InsightsTrigger> = {
  name: "insights",
  latest: 2,
  folds: { 1: insightsTriggerFold, 2: insightsTriggerFoldV2 },
  // Why: meeting events are few; note batches are only counted.
  batchSize: 256,
  // Why (version 2 reads notes): one run per few seconds of typing, not one per keystroke batch;
  // the end of a meeting waits as long, which also lets the notes and transcript views settle.
  kickDelayMs: 3_000,
  // Why: as long as the kick delay: a busy stream is folded as often as a fresh kick would be.
  lingerMs: 3_000,
  async load(ctx, meetingId, version) {
    const run = await getInsightRun(ctx, meetingId, version);
    return run
      ? { ended: true, endedAt: run.requestedAt, notesAfterEnd: run.notesSeen ?? 0 }
      : (version >= 2 ? insightsTriggerFoldV2 : insightsTriggerFold).init();
  },
  async save(ctx, meetingId, version, s, info) {
    if (!s.ended) return;
    const run = await getInsightRun(ctx, meetingId, version);
    const notesSeen = s.notesAfterEnd ?? 0;
    if (!run) {
      // A meeting imported from the legacy database ended long ago with no notes or transcript:
      // nothing to generate from (and thousands of provider calls on import). Its run is recorded
      // as done; notes written to it later request a generation like any other meeting's.
      const meeting = await ctx.db.get("meetings", meetingId);
      const imported = meeting !== null && isImportedMeeting(meeting);
      await ctx.db.insert("insightRuns", {
        meetingId,
        version,
        status: imported ? "done" : "pending",
        attempts: 0,
        requestedAt: s.endedAt ?? info.now,
        notesSeen,
        seq: 1,
      });
      if (!imported) await startJob(ctx, { job: "insights", args: { meetingId, version, seq: 1 } });
      return;
    }
    if (notesSeen > (run.notesSeen ?? 0)) {
      const seq = (run.seq ?? 1) + 1;
      await ctx.db.patch("insightRuns", run._id, { notesSeen, seq, status: "pending" });
      await startJob(ctx, { job: "insights", args: { meetingId, version, seq } });
    }
  },
  async deleteVersion(ctx, version, limit) {
    const rows = await ctx.db
      .query("insights")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of rows) await ctx.db.delete("insights", r._id);
    if (rows.length > 0) return rows.length;
    const runs = await ctx.db
      .query("insightRuns")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of runs) await ctx.db.delete("insightRuns", r._id);
    return runs.length;
  },
};
