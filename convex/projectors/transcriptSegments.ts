/**
 * Storage of the `transcriptSegments` view: one row per segment. A batch
 * loads only the open tail (the fold never changes older segments, see
 * projections/transcriptSegments) and writes back the segments it changed.
 */

import {
  OPEN_SEGMENTS,
  type Segment,
  type TranscriptSegmentsView,
  transcriptSegmentsFold,
} from "../../projections/transcriptSegments/evolve";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { indexSegments } from "../searchSources";
import type { ProjectorImpl } from "./types";

/** The segment part of a stored row. */
export function rowToSegment(row: Doc<"transcriptSegments">): Segment {
  const { _id, _creationTime, meetingId, version, ...seg } = row;
  void _id;
  void _creationTime;
  void meetingId;
  void version;
  return seg;
}

async function tail(ctx: QueryCtx, meetingId: Id<"meetings">, version: number) {
  return await ctx.db
    .query("transcriptSegments")
    .withIndex("by_meeting_version_index", (q) =>
      q.eq("meetingId", meetingId).eq("version", version),
    )
    .order("desc")
    .take(OPEN_SEGMENTS);
}

/** The `transcriptSegments` projector. */
export const transcriptSegmentsProjector: ProjectorImpl<TranscriptSegmentsView> = {
  name: "transcriptSegments",
  latest: 1,
  folds: { 1: transcriptSegmentsFold },
  // Why: 2,000 chunks (~3 min of speech at 10 chunks/s) are < 1 MB of reads and rewrite a
  // few dozen segment rows, inside Convex's limits; larger batches amortize per-run overhead.
  batchSize: 2000,
  // Why: the live transcript reads this.
  kickDelayMs: 0,
  // Why: while people talk (10 chunks/s) the live pane updates 4 times a second, one run
  // each, instead of a run per chunk; the first chunk after a pause still lands at once.
  lingerMs: 250,
  async load(ctx, meetingId, version) {
    const rows = (await tail(ctx, meetingId, version)).reverse();
    const segments = rows.map(rowToSegment);
    return { firstIndex: segments[0]?.index ?? 0, segments };
  },
  async save(ctx, meetingId, version, view) {
    const stored = new Map((await tail(ctx, meetingId, version)).map((r) => [r.index, r]));
    const changed: Segment[] = [];
    for (const seg of view.segments) {
      const row = stored.get(seg.index);
      if (!row) {
        await ctx.db.insert("transcriptSegments", { meetingId, version, ...seg });
        changed.push(seg);
      } else if (JSON.stringify(rowToSegment(row)) !== JSON.stringify(seg)) {
        await ctx.db.replace("transcriptSegments", row._id, { meetingId, version, ...seg });
        changed.push(seg);
      }
    }
    // Search (issue 18): a changed segment is searchable once this batch lands.
    await indexSegments(ctx, meetingId, changed);
  },
  async deleteVersion(ctx, version, limit) {
    const rows = await ctx.db
      .query("transcriptSegments")
      .withIndex("by_version", (q) => q.eq("version", version))
      .take(limit);
    for (const r of rows) await ctx.db.delete("transcriptSegments", r._id);
    return rows.length;
  },
};
