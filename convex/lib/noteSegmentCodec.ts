/**
 * The packed form of sealed note updates: many updates in one `noteSegments`
 * row, each keeping its commit timestamp, time, author and client. Pure (lib0
 * only), so it runs in Convex and in tools.
 *
 * Layout (lib0 encoding): varuint version=1, varuint count, then per entry:
 * bigUint64 ts, float64 at, varString actor, varuint clientId,
 * varuint clientSeq, varUint8Array update.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** One sealed update. */
export type SegmentEntry = {
  ts: bigint;
  at: number;
  actor: string;
  clientId: number;
  clientSeq: number;
  update: Uint8Array;
};

const FORMAT_VERSION = 1;

/**
 * The note payload version every entry of a format-1 segment holds. A new
 * note payload version needs a new segment format that records it per entry.
 */
export const SEGMENT_PAYLOAD_VERSION = 1;

/** Pack entries (already in commit order) into segment bytes. */
export function encodeSegment(entries: readonly SegmentEntry[]): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, FORMAT_VERSION);
  encoding.writeVarUint(enc, entries.length);
  for (const e of entries) {
    encoding.writeBigUint64(enc, e.ts);
    encoding.writeFloat64(enc, e.at);
    encoding.writeVarString(enc, e.actor);
    encoding.writeVarUint(enc, e.clientId);
    encoding.writeVarUint(enc, e.clientSeq);
    encoding.writeVarUint8Array(enc, e.update);
  }
  return encoding.toUint8Array(enc);
}

/** Unpack segment bytes written by {@link encodeSegment}. */
export function decodeSegment(bytes: Uint8Array): SegmentEntry[] {
  const dec = decoding.createDecoder(bytes);
  const version = decoding.readVarUint(dec);
  if (version !== FORMAT_VERSION) throw new Error(`unknown note segment format ${version}`);
  const count = decoding.readVarUint(dec);
  const out: SegmentEntry[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      ts: decoding.readBigUint64(dec),
      at: decoding.readFloat64(dec),
      actor: decoding.readVarString(dec),
      clientId: decoding.readVarUint(dec),
      clientSeq: decoding.readVarUint(dec),
      // Copy out of the segment buffer so callers may keep it independently.
      update: decoding.readVarUint8Array(dec).slice(),
    });
  }
  return out;
}
