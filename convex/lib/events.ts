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
 * - Projectors are kicked after every new row (not for duplicates).
 */
import type { TableNamesInDataModel, WithoutSystemFields } from "convex/server";
import type { DataModel, Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { type EventStream, kickProjectors } from "../projectors/kick";

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

/** Which projector stream each event table feeds. */
export const STREAM_BY_TABLE: Partial<Record<TableName, EventStream>> = {
  meetingEvents: "meeting",
  transcriptEvents: "transcript",
  chatEvents: "chat",
  noteUpdates: "notes",
} as Partial<Record<string, EventStream>>;

/** Why: an idempotency key names one client operation; longer ones are abuse. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

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

/**
 * Append one event row, idempotently, then kick the projectors of its stream.
 * `stream` overrides {@link STREAM_BY_TABLE} for tables it does not list;
 * `kick: false` leaves the kick to the caller, which appends several events
 * to one meeting in this transaction and kicks once after the last
 * ({@link kickProjectors}: each kick reads the control and run flag of every
 * projector of the stream, index ranges Convex caps per transaction).
 */
export async function appendEvent<T extends EventTableName>(
  ctx: MutationCtx,
  table: T,
  event: EventInput<T>,
  options: { stream?: EventStream; kick?: boolean } = {},
): Promise<AppendResult<T>> {
  const { meetingId, idempotencyKey } = event as EventInput<T> & {
    meetingId: Id<"meetings">;
    idempotencyKey: string;
  };
  if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new Error(`idempotencyKey must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  const stream = options.stream ?? STREAM_BY_TABLE[table];
  if (!stream) throw new Error(`appendEvent: no projector stream known for table ${table}`);
  const existing = await findByKey(ctx, table, meetingId, idempotencyKey);
  if (existing) return { eventId: existing._id, duplicate: true };
  const row = { ...event, commitTs: ctx.db.vars.commitTs } as unknown as WithoutSystemFields<
    Doc<T>
  >;
  const eventId = await ctx.db.insert(table, row as Parameters<typeof ctx.db.insert<T>>[1]);
  if (options.kick !== false) await kickProjectors(ctx, { meetingId, stream });
  return { eventId, duplicate: false };
}
