/**
 * Pure helpers over binary Yjs updates (V1 encoding): validation before
 * anything is stored, merging, diffing and state vectors — in the style of
 * Yjs's own `src/utils/updates.js`. No Convex, no clock, no randomness.
 *
 * Why V1 only: the V2 decoders run-length decode counts, so a 27-byte V2
 * payload (yjs issue 687) hangs them for tens of seconds and a valid 544-byte
 * V2 update expands to a million items. V1 has no run-length counts: every
 * struct, string and delete range costs at least one input byte, so decoding
 * time is linear in the (capped) input.
 */
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** Largest update a client may push, in bytes. Why: one row must stay far
 * below Convex's 1 MiB document limit with its envelope, and a paste of 256 KiB
 * of text is already ~100 pages; bigger inputs are split by the provider. */
export const MAX_UPDATE_BYTES = 256 * 1024;

/** Why a candidate update was refused (stable strings; callers map to codes). */
export const UpdateRefusal = {
  EMPTY: "EMPTY",
  TOO_LARGE: "TOO_LARGE",
  MALFORMED: "MALFORMED",
  FOREIGN_CLIENT: "FOREIGN_CLIENT",
  UNSUPPORTED_CONTENT: "UNSUPPORTED_CONTENT",
} as const;
/** One of {@link UpdateRefusal}. */
export type UpdateRefusal = (typeof UpdateRefusal)[keyof typeof UpdateRefusal];

/** What validation learned about an accepted update. */
export type ValidUpdate = {
  ok: true;
  /** Distinct Yjs client ids that own structs in the update (sorted). */
  clientIds: number[];
  /** Number of structs (items, GCs, skips). */
  structs: number;
  /** Number of delete ranges in the update's delete set. */
  deleteRanges: number;
  /** True when Yjs parked part of it waiting for a missing dependency. */
  pending: boolean;
};
/** A refused update: nothing about it may be stored or applied. */
export type InvalidUpdate = { ok: false; reason: UpdateRefusal; message: string };

/** Options of {@link validateUpdate}. */
export type ValidateOptions = {
  /** Byte cap; defaults to {@link MAX_UPDATE_BYTES}. */
  maxBytes?: number;
  /** Client ids the sender may author; omitted = any (server-written input). */
  allowedClientIds?: (clientId: number) => boolean;
};

/**
 * Validate a V1 update received from a client before it is stored: size cap,
 * decodable as V1, no sub-documents, every struct owned by an allowed client
 * id, and applied without error to a scratch doc (never to canonical state —
 * malformed updates can throw after partly changing a doc).
 */
export function validateUpdate(
  update: Uint8Array,
  options: ValidateOptions = {},
): ValidUpdate | InvalidUpdate {
  const maxBytes = options.maxBytes ?? MAX_UPDATE_BYTES;
  // Yjs issue 498: an empty buffer looped forever in old lib0; refuse it before decoding.
  if (update.byteLength === 0) return refuse("EMPTY", "the update is empty");
  if (update.byteLength > maxBytes) {
    return refuse(
      "TOO_LARGE",
      `the update has ${update.byteLength} bytes; the limit is ${maxBytes} (split it)`,
    );
  }
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (e) {
    return refuse("MALFORMED", `not a decodable V1 Yjs update (${describe(e)})`);
  }
  const clientIds = new Set<number>();
  for (const s of decoded.structs) {
    clientIds.add(s.id.client);
    if (s instanceof Y.Item && s.content instanceof Y.ContentDoc) {
      return refuse("UNSUPPORTED_CONTENT", "sub-documents are not supported in notes");
    }
  }
  let deleteRanges = 0;
  for (const ranges of decoded.ds.clients.values()) deleteRanges += ranges.length;
  if (decoded.structs.length === 0 && deleteRanges === 0) {
    // An empty V1 update is 2 bytes; more means another encoding (V2) or trailing garbage.
    if (update.byteLength > 2) {
      return refuse("MALFORMED", "not a V1 Yjs update (V2 and other encodings are refused)");
    }
    return refuse("EMPTY", "the update changes nothing");
  }
  if (options.allowedClientIds) {
    for (const id of clientIds) {
      if (!options.allowedClientIds(id)) {
        return refuse(
          "FOREIGN_CLIENT",
          `the update carries Yjs client id ${id}, which is not registered to the sender`,
        );
      }
    }
  }
  const scratch = new Y.Doc({ gc: false });
  let pending = false;
  try {
    Y.applyUpdate(scratch, update);
    pending = scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null;
  } catch (e) {
    return refuse("MALFORMED", `the update does not apply cleanly (${describe(e)})`);
  } finally {
    scratch.destroy();
  }
  return {
    ok: true,
    clientIds: [...clientIds].sort((a, b) => a - b),
    structs: decoded.structs.length,
    deleteRanges,
    pending,
  };
}

/** Merge V1 updates through a Y.Doc (linear, unlike `Y.mergeUpdates` on many rows). */
export function mergeViaDoc(updates: Iterable<Uint8Array>): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  try {
    doc.transact(() => {
      for (const u of updates) Y.applyUpdate(doc, u);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Merge a few small V1 updates without a doc (fine for a coalescing window). */
export function mergeSmall(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  return Y.mergeUpdates(updates);
}

/** The V1 update holding what `stateVector` lacks of `state` (the Yjs diff). */
export function diffFromStateVector(state: Uint8Array, stateVector: Uint8Array): Uint8Array {
  return Y.diffUpdate(state, stateVector);
}

/** The state vector encoded in a V1 update (without building a doc). */
export function stateVectorOf(update: Uint8Array): Uint8Array {
  return Y.encodeStateVectorFromUpdate(update);
}

/** Encode a state vector map (client id → clock) in the V1 wire format. */
export function encodeStateVector(sv: Map<number, number>): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, sv.size);
  for (const [client, clock] of sv) {
    encoding.writeVarUint(enc, client);
    encoding.writeVarUint(enc, clock);
  }
  return encoding.toUint8Array(enc);
}

/**
 * The structs `doc` holds of each client id in `since` from that id's clock on, with the
 * deletions of those ids' own structs, as one V1 update; null when there are none (or the doc
 * waits on a missing dependency). Unlike `Y.encodeStateAsUpdate`, which carries the doc's whole
 * delete set, deletions of other clients' content are left out: a doc does not say who made them.
 */
export function ownEditsSince(doc: Y.Doc, since: ReadonlyMap<number, number>): Uint8Array | null {
  if (hasPending(doc)) return null;
  const local = Y.decodeStateVector(Y.encodeStateVector(doc));
  const target = new Map(local);
  for (const [id, clock] of since) {
    if ((local.get(id) ?? 0) > clock) target.set(id, clock);
  }
  if ([...since.keys()].every((id) => target.get(id) === local.get(id))) return null;
  // A V1 update is its structs, then the delete set; with nothing after `local`, only the
  // delete set follows a zero client count (one byte).
  const withDeletes = Y.encodeStateAsUpdate(doc, encodeStateVector(target));
  const deletesOnly = Y.encodeStateAsUpdate(doc, encodeStateVector(local));
  const enc = encoding.createEncoder();
  encoding.writeUint8Array(
    enc,
    withDeletes.subarray(0, withDeletes.length - deletesOnly.length + 1),
  );
  const deleted = Y.createDeleteSetFromStructStore(doc.store).clients;
  const ids = [...since.keys()].filter((id) => deleted.has(id));
  encoding.writeVarUint(enc, ids.length);
  for (const id of ids) {
    const ranges = deleted.get(id)!;
    encoding.writeVarUint(enc, id);
    encoding.writeVarUint(enc, ranges.length);
    for (const r of ranges) {
      encoding.writeVarUint(enc, r.clock);
      encoding.writeVarUint(enc, r.len);
    }
  }
  return encoding.toUint8Array(enc);
}

/** True when the doc holds structs or deletes waiting for a missing dependency. */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/** A copy of exactly the bytes of a view, as an `ArrayBuffer` (what `v.bytes()` takes). */
export function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

function refuse(reason: UpdateRefusal, message: string): InvalidUpdate {
  return { ok: false, reason, message };
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
