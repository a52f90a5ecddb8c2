/**
 * Reading the note log in commit order: sealed segments first (they always
 * hold the oldest updates of a meeting), then raw `noteUpdates` rows. Every
 * update is yielded exactly once, whether or not sealing ran in between two
 * reads, because the cursor is the update's own `commitTs` (one note update
 * per meeting per transaction).
 */
import { v } from "convex/values";
import type { StoredNotePayload } from "../../projections/events/notes";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { decodeSegment, SEGMENT_PAYLOAD_VERSION } from "./noteSegmentCodec";

/** Where a reader of the note log stands: the commitTs of the last update it consumed. */
export type NoteCursor = { ts: bigint };
/** Validator for {@link NoteCursor}. */
export const noteCursorValidator = v.object({ ts: v.int64() });

/**
 * One note update as read from the log: its stored payload (sealed entries keep
 * the version of format-1 segments: 1), where it stands and its meeting.
 */
export type NoteLogUpdate = StoredNotePayload & {
  cursor: NoteCursor;
  meetingId: Id<"meetings">;
};

/** Why: a read must stay well inside Convex's 16 MiB read budget per transaction. */
export const READ_BYTE_BUDGET = 4 * 1024 * 1024;

/**
 * Up to `limit` note updates of one meeting after `after` (null = from the
 * start), in commit order. `done` is true when nothing more exists right now.
 * `until` (optional; a projector passes `ctx.meta.getSnapshotTs()`) bounds the
 * index ranges read at that commitTs, so an update appended concurrently
 * (always with a later commitTs) is outside the read set and does not
 * conflict with the reader; nothing visible is left out. An earlier `until`
 * also reads the one segment that may straddle it (sealed after `until`,
 * holding updates at or before it); at the snapshot none can exist, so a
 * projector's read set stays bounded.
 */
export async function readNoteUpdates(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  after: NoteCursor | null,
  limit: number,
  until?: bigint,
): Promise<{ updates: NoteLogUpdate[]; done: boolean }> {
  const afterTs = after?.ts ?? -1n;
  const updates: NoteLogUpdate[] = [];
  let bytes = 0;
  const segments = ctx.db.query("noteSegments").withIndex("by_meeting_to", (q) => {
    const r = q.eq("meetingId", meetingId).gt("toTs", afterTs);
    return until === undefined ? r : r.lte("toTs", until);
  });
  const fromSegment = (seg: Doc<"noteSegments">, upTo: bigint | undefined): boolean => {
    for (const e of decodeSegment(new Uint8Array(seg.entries))) {
      if (e.ts <= afterTs) continue;
      if (upTo !== undefined && e.ts > upTo) break;
      if (updates.length >= limit || bytes >= READ_BYTE_BUDGET) return false;
      updates.push({
        cursor: { ts: e.ts },
        meetingId,
        schemaVersion: SEGMENT_PAYLOAD_VERSION,
        at: e.at,
        actor: e.actor,
        clientId: e.clientId,
        clientSeq: e.clientSeq,
        update: e.update,
      });
      bytes += e.update.byteLength;
    }
    return true;
  };
  for await (const seg of segments) {
    if (!fromSegment(seg, undefined)) return { updates, done: false };
  }
  if (until !== undefined && until > afterTs && until < ctx.meta.getSnapshotTs()) {
    // Sealed segments hold a meeting's oldest updates, so past a straddling segment no raw
    // row at or before `until` remains: its entries up to `until` are the rest of the answer.
    const straddling = await ctx.db
      .query("noteSegments")
      .withIndex("by_meeting_to", (q) => q.eq("meetingId", meetingId).gt("toTs", until))
      .first();
    if (straddling && !fromSegment(straddling, until)) return { updates, done: false };
  }
  const rows = ctx.db.query("noteUpdates").withIndex("by_meeting_commit", (q) => {
    const r = q.eq("meetingId", meetingId).gt("commitTs", afterTs);
    return until === undefined ? r : r.lte("commitTs", until);
  });
  for await (const row of rows) {
    if (updates.length >= limit || bytes >= READ_BYTE_BUDGET) return { updates, done: false };
    const update = new Uint8Array(row.update);
    updates.push({
      cursor: { ts: row.commitTs as bigint },
      meetingId,
      schemaVersion: row.schemaVersion,
      at: row.at,
      actor: row.actor,
      clientId: row.clientId,
      clientSeq: row.clientSeq,
      update,
    });
    bytes += update.byteLength;
  }
  return { updates, done: true };
}
