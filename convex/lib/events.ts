/**
 * The ONE append path for event rows (DESIGN.md, "The event log").
 *
 * - Idempotent: the `(meetingId, idempotencyKey)` pair is looked up through
 *   the table's `by_meeting_key` index first; a retried append returns the
 *   original row and writes nothing. Two concurrent appends with one key both
 *   read that index range, so Convex's OCC retries one of them, which then
 *   finds the other's row: one event is stored either way.
 * - Ordered: `commitTs` is written as `ctx.db.vars.commitTs`, resolved at
 *   commit to the commit-order clock (gap-free for cursors, unlike
 *   `_creationTime`).
 * - No shared counter: nothing every append read-modify-writes.
 * - Personal text is sealed here (`personalData.ts`): a transcript chunk's
 *   speaker name and text, a chat line's text, under the person's key.
 * - The caller's hook runs after every new row (not for duplicates): writers
 *   pass `kickProjectors` (`convex/projectors/kick.ts`). The hook is a
 *   parameter so this ground floor imports no feature.
 */
import type { TableNamesInDataModel, WithoutSystemFields } from "convex/server";
import type { Stream } from "../../projections/core/logEvent";
import type { DataModel, Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { sealChatRow, sealTranscriptRow } from "./personalData";

type TableName = TableNamesInDataModel<DataModel>;

/** Tables whose rows carry the event envelope. */
export type EventTableName = {
  [T in TableName]: Doc<T> extends {
    meetingId: Id<"meetings">;
    idempotencyKey: string;
    schemaVersion: number;
    at: number;
  }
    ? T
    : never;
}[TableName];

/** What a caller appends: the row without system fields and without `commitTs`. */
export type EventInput<T extends EventTableName> = Omit<WithoutSystemFields<Doc<T>>, "commitTs">;

/** The outcome of an append. */
export type AppendResult<T extends EventTableName> = {
  eventId: Id<T>;
  /** True when the key was seen before: nothing was written. */
  duplicate: boolean;
};

/** Which log stream each event table feeds. */
export const STREAM_BY_TABLE = {
  meetingEvents: "meeting",
  transcriptEvents: "transcript",
  chatEvents: "chat",
  noteUpdates: "notes",
} as const satisfies Record<EventTableName, Stream>;

/** What runs after a new event row is stored (writers pass `kickProjectors`). */
export type AppendHook = (
  ctx: MutationCtx,
  appended: { meetingId: Id<"meetings">; stream: Stream },
) => Promise<void>;

/** Why: an idempotency key names one client operation; longer ones are abuse. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/**
 * Why: a client's own key is stored as `<userId>:<clientKey>` (plus `#<event index>`
 * for lifecycle commands); 128 leaves room for the prefix and suffix under
 * {@link MAX_IDEMPOTENCY_KEY_LENGTH} and fits any UUID scheme.
 */
export const CLIENT_KEY_MAX = 128;

/** The row already stored under `(meetingId, idempotencyKey)`, if any. */
export async function findByKey<T extends EventTableName>(
  ctx: MutationCtx,
  table: T,
  meetingId: Id<"meetings">,
  idempotencyKey: string,
): Promise<Doc<T> | null> {
  // The envelope guarantees this index on every event table; TypeScript cannot see
  // through the generic table name, hence the narrow cast.
  const q = ctx.db.query(table) as unknown as {
    withIndex: (
      name: "by_meeting_key",
      range: (q: {
        eq: (
          f: "meetingId",
          v: Id<"meetings">,
        ) => { eq: (f: "idempotencyKey", v: string) => unknown };
      }) => unknown,
    ) => { first: () => Promise<Doc<T> | null> };
  };
  return await q
    .withIndex("by_meeting_key", (r) =>
      r.eq("meetingId", meetingId).eq("idempotencyKey", idempotencyKey),
    )
    .first();
}

async function sealPersonal(ctx: MutationCtx, table: EventTableName, row: object) {
  if (table === "transcriptEvents")
    return await sealTranscriptRow(ctx, row as Doc<"transcriptEvents">);
  if (table === "chatEvents") return await sealChatRow(ctx, row as Doc<"chatEvents">);
  return row;
}

/**
 * Append one event row, idempotently, then run `onAppended` (the projectors' kick).
 * `freshMeeting`: the caller inserted the meeting row in this very transaction, so no
 * stored row can carry its id and the key lookup is skipped (its answer is known: none).
 */
export async function appendEvent<T extends EventTableName>(
  ctx: MutationCtx,
  table: T,
  event: EventInput<T>,
  onAppended: AppendHook,
  options: { freshMeeting?: boolean } = {},
): Promise<AppendResult<T>> {
  const { meetingId, idempotencyKey } = event as EventInput<T> & {
    meetingId: Id<"meetings">;
    idempotencyKey: string;
  };
  if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new Error(`idempotencyKey must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  const stream: Stream = STREAM_BY_TABLE[table];
  const existing = options.freshMeeting
    ? null
    : await findByKey(ctx, table, meetingId, idempotencyKey);
  if (existing) return { eventId: existing._id, duplicate: true };
  const row = (await sealPersonal(ctx, table, {
    ...event,
    commitTs: ctx.db.vars.commitTs,
  })) as unknown as WithoutSystemFields<Doc<T>>;
  const eventId = await ctx.db.insert(table, row as Parameters<typeof ctx.db.insert<T>>[1]);
  await onAppended(ctx, { meetingId, stream });
  return { eventId, duplicate: false };
}
