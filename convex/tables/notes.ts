import { defineTable } from "convex/server";
import { v } from "convex/values";
import { eventEnvelopeFields } from "../lib/eventEnvelope";
import { noteUpdateKind } from "../lib/eventValidators";

/**
 * Collaborative notes: Yjs updates as events, sealed segments, client-id
 * registrations and ephemeral presence. Owned by the notes sync (issue 4).
 */
export const notesTables = {
  /**
   * One V1 Yjs update per row (an event; never patched). Idempotency key is
   * `${clientId}:${clientSeq}`. Older rows are moved into `noteSegments` by
   * sealing, keeping each update's commitTs, time and author.
   */
  noteUpdates: defineTable({
    ...eventEnvelopeFields,
    kind: noteUpdateKind,
    clientId: v.number(),
    clientSeq: v.number(),
    update: v.bytes(),
  })
    .index("by_meeting_commit", ["meetingId", "commitTs"])
    .index("by_meeting_key", ["meetingId", "idempotencyKey"])
    /** A client's newest raw update: its last acknowledged `clientSeq` (with `noteClients.lastSeq`). */
    .index("by_meeting_client_seq", ["meetingId", "clientId", "clientSeq"])
    .index("by_commit", ["commitTs"]),

  /**
   * Many sealed note updates in one row, in commit order, packed by
   * `convex/lib/noteSegmentCodec.ts`. `[fromTs, toTs]` is the commitTs range.
   */
  noteSegments: defineTable({
    meetingId: v.id("meetings"),
    schemaVersion: v.number(),
    fromTs: v.int64(),
    toTs: v.int64(),
    count: v.number(),
    /** Sum of the Yjs update bytes inside (for storage accounting). */
    updateBytes: v.number(),
    entries: v.bytes(),
    sealedAt: v.number(),
  })
    .index("by_meeting_to", ["meetingId", "toTs"])
    .index("by_to", ["toTs"]),

  /**
   * Yjs client ids registered per meeting: who may author structs with this
   * id. `lastSeq` is a floor of the highest acknowledged `clientSeq`: sealing
   * and retention's compaction and deletion raise it to the highest
   * `clientSeq` they move out of the raw log (`raiseSeqFloors`; and
   * rows of earlier deployments, which patched it on every push, hold theirs),
   * while a push writes only its `noteUpdates` row: the acknowledged sequence
   * is the larger of this and the client's newest raw row (`lastClientSeq` in
   * `notes/push.ts`). Duplicates at or below it are acknowledged without
   * storing, even after sealing.
   */
  noteClients: defineTable({
    meetingId: v.id("meetings"),
    clientId: v.number(),
    /** `users` id, or `system:<component>` for server-side editors. */
    actor: v.string(),
    registeredAt: v.number(),
    lastSeq: v.number(),
  })
    .index("by_meeting_client", ["meetingId", "clientId"])
    .index("by_meeting_actor", ["meetingId", "actor"]),

  /**
   * Ephemeral awareness (cursor, selection, name, colour): one row per
   * connected Yjs client, bounded in size, expiring after a TTL. Not events.
   */
  notePresence: defineTable({
    meetingId: v.id("meetings"),
    clientId: v.number(),
    actor: v.string(),
    /** The client's awareness state as JSON (bounded, see `convex/presence.ts`). */
    state: v.string(),
    clock: v.number(),
    updatedAt: v.number(),
    expiresAt: v.number(),
  })
    .index("by_meeting_client", ["meetingId", "clientId"])
    .index("by_meeting_expires", ["meetingId", "expiresAt"])
    .index("by_expires", ["expiresAt"]),
};
