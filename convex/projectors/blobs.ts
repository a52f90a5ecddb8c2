/**
 * Binary state too large for one document (Yjs snapshots), split across
 * `projectionBlobs` rows. Written and replaced inside the caller's
 * transaction, so readers see either the old chunks or the new ones.
 */
import type { Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

/**
 * Why: 512 KiB per row stays well under Convex's 1 MiB document limit with
 * room for the other fields, while a typical notes snapshot (< 200 KB) is one row.
 */
export const BLOB_CHUNK_BYTES = 512 * 1024;

/** A Uint8Array's bytes as the exact ArrayBuffer `v.bytes()` expects. */
export function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

/** Read a blob; null when none was written. */
export async function readBlob(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  version: number,
  owner: string,
): Promise<Uint8Array | null> {
  const rows = await ctx.db
    .query("projectionBlobs")
    .withIndex("by_owner", (q) =>
      q.eq("meetingId", meetingId).eq("version", version).eq("owner", owner),
    )
    .collect();
  if (rows.length === 0) return null;
  const total = rows.reduce((n, r) => n + r.bytes.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const r of rows) {
    out.set(new Uint8Array(r.bytes), off);
    off += r.bytes.byteLength;
  }
  return out;
}

/** Delete a blob's chunks; returns how many rows went. */
export async function deleteBlob(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  version: number,
  owner: string,
): Promise<number> {
  const rows = await ctx.db
    .query("projectionBlobs")
    .withIndex("by_owner", (q) =>
      q.eq("meetingId", meetingId).eq("version", version).eq("owner", owner),
    )
    .collect();
  for (const r of rows) await ctx.db.delete("projectionBlobs", r._id);
  return rows.length;
}

function sameBytes(a: ArrayBuffer, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  for (let i = 0; i < x.length; i++) if (x[i] !== b[i]) return false;
  return true;
}

/**
 * Replace a blob with `bytes`; returns the number of chunks. Chunks whose
 * bytes did not change are left alone (a timeline head whose batch had no
 * notes update rewrites no blob; a growing snapshot rewrites only the chunks
 * that changed), so storage writes follow what changed.
 */
export async function writeBlob(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  version: number,
  owner: string,
  bytes: Uint8Array,
): Promise<number> {
  const existing = await ctx.db
    .query("projectionBlobs")
    .withIndex("by_owner", (q) =>
      q.eq("meetingId", meetingId).eq("version", version).eq("owner", owner),
    )
    .collect();
  const bySeq = new Map(existing.map((r) => [r.seq, r]));
  let seq = 0;
  for (let off = 0; off < bytes.byteLength || seq === 0; off += BLOB_CHUNK_BYTES) {
    const part = bytes.subarray(off, Math.min(bytes.byteLength, off + BLOB_CHUNK_BYTES));
    const old = bySeq.get(seq);
    bySeq.delete(seq);
    if (old && sameBytes(old.bytes, part)) {
      // unchanged: no write
    } else if (old) {
      await ctx.db.patch("projectionBlobs", old._id, { bytes: toArrayBuffer(part) });
    } else {
      await ctx.db.insert("projectionBlobs", {
        meetingId,
        version,
        owner,
        seq,
        bytes: toArrayBuffer(part),
      });
    }
    seq++;
  }
  for (const r of bySeq.values()) await ctx.db.delete("projectionBlobs", r._id);
  return seq;
}
