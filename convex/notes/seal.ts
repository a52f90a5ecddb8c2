/**
 * Sealing: moves the oldest raw `noteUpdates` rows of a meeting into one
 * `noteSegments` row (each update keeping its commitTs, time, author and
 * client), so the log does not grow by one row per keystroke batch forever
 * while staying replayable event by event. Readers see either the rows or
 * the segment, never both and never neither (one transaction).
 */
import { v } from "convex/values";
import { toArrayBuffer } from "../../crdt/updates";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { internalMutation, type MutationCtx } from "../_generated/server";
import { encodeSegment, SEGMENT_PAYLOAD_VERSION, type SegmentEntry } from "../lib/noteSegmentCodec";
import { registration } from "./push";

/** Why: keep the newest 256 updates raw so live pulls read small rows, not segments. */
export const RAW_TAIL_KEEP = 256;
/** Why: 1,024 updates per segment turns ~4 raw rows/s of typing into one row per ~4 min. */
export const SEAL_BATCH = 1024;
/** Why: a segment row must stay well below Convex's 1 MiB document limit. */
export const SEGMENT_MAX_BYTES = 512 * 1024;
/** Format version of segment rows. */
export const SEGMENT_SCHEMA_VERSION = 1;

/**
 * A push acknowledges a `clientSeq` by its raw row alone (`lastClientSeq` in
 * `push.ts`): before raw rows leave the log (sealing here, compaction in
 * `retentionSteps.ts`), each client's highest `clientSeq` among them goes into
 * its registration's `lastSeq` floor, in the same transaction, so a retried
 * push is still known as one.
 */
export async function raiseSeqFloors(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  entries: readonly Pick<SegmentEntry, "clientId" | "clientSeq">[],
): Promise<void> {
  const highest = new Map<number, number>();
  for (const e of entries)
    highest.set(e.clientId, Math.max(highest.get(e.clientId) ?? 0, e.clientSeq));
  for (const [clientId, seq] of highest) {
    const reg = await registration(ctx, meetingId, clientId);
    if (reg && reg.lastSeq < seq) await ctx.db.patch("noteClients", reg._id, { lastSeq: seq });
  }
}

/** Seal one batch of a meeting's oldest raw updates; reschedules while more qualify. */
export const sealMeeting = internalMutation({
  args: { meetingId: v.id("meetings") },
  returns: v.object({ sealed: v.number() }),
  handler: async (ctx, { meetingId }) => {
    const rows = await ctx.db
      .query("noteUpdates")
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
      .take(SEAL_BATCH + RAW_TAIL_KEEP);
    if (rows.length <= RAW_TAIL_KEEP) return { sealed: 0 };
    const candidates = rows.slice(0, rows.length - RAW_TAIL_KEEP);
    const entries: SegmentEntry[] = [];
    let bytes = 0;
    for (const row of candidates) {
      // A format-1 segment records no payload version: seal only rows of the version it implies.
      if (row.schemaVersion !== SEGMENT_PAYLOAD_VERSION) break;
      const size = row.update.byteLength + row.actor.length + 32;
      if (entries.length > 0 && bytes + size > SEGMENT_MAX_BYTES) break;
      entries.push({
        ts: row.commitTs as bigint,
        at: row.at,
        actor: row.actor,
        clientId: row.clientId,
        clientSeq: row.clientSeq,
        update: new Uint8Array(row.update),
      });
      bytes += size;
    }
    if (entries.length === 0) return { sealed: 0 };
    const packed = encodeSegment(entries);
    await ctx.db.insert("noteSegments", {
      meetingId,
      schemaVersion: SEGMENT_SCHEMA_VERSION,
      fromTs: entries[0]!.ts,
      toTs: entries[entries.length - 1]!.ts,
      count: entries.length,
      updateBytes: entries.reduce((n, e) => n + e.update.byteLength, 0),
      entries: toArrayBuffer(packed),
      sealedAt: Date.now(),
    });
    for (const row of candidates.slice(0, entries.length))
      await ctx.db.delete("noteUpdates", row._id);
    await raiseSeqFloors(ctx, meetingId, entries);
    if (entries.length === candidates.length && rows.length === SEAL_BATCH + RAW_TAIL_KEEP) {
      await ctx.scheduler.runAfter(0, internal.notes.seal.sealMeeting, { meetingId });
    } else if (entries.length < candidates.length) {
      await ctx.scheduler.runAfter(0, internal.notes.seal.sealMeeting, { meetingId });
    }
    return { sealed: entries.length };
  },
});
