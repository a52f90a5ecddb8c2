/**
 * Test fixtures for the projections: a meeting and event appends through the
 * real append path (`appendEvent`, which kicks the projectors), plus helpers
 * to drain the scheduler and to read the log back as `LogEvent`s.
 */
import { afterEach, beforeEach, vi } from "vitest";
import type { Id } from "../../convex/_generated/dataModel";
import { appendEvent } from "../../convex/lib/events";
import { toArrayBuffer } from "../../convex/projectors/blobs";
import { kickProjectors } from "../../convex/projectors/kick";
import { readBatch } from "../../convex/projectors/sources";
import type { LogEvent, Stream } from "../../projections/core/logEvent";
import { STREAMS } from "../../projections/core/logEvent";
import { decodeEvent } from "../../projections/events/decode";
import type { MeetingEvent } from "../../projections/events/meeting";
import type { TranscriptChunk } from "../../projections/events/transcript";
import type { TestBackend } from "../harness/convex";

/** Insert a user and a meeting row (command side), returning their ids. */
export async function createMeeting(
  t: TestBackend,
  title = "Weekly sync",
): Promise<{ meetingId: Id<"meetings">; hostId: Id<"users"> }> {
  return await t.run(async (ctx) => {
    const hostId = await ctx.db.insert("users", {
      tokenIdentifier: `test|host-${title}`,
      subject: `host-${title}`,
      issuer: "test",
      name: "Host",
      createdAt: 0,
      updatedAt: 0,
    });
    const meetingId = await ctx.db.insert("meetings", {
      title,
      scheduledAt: 0,
      durationMinutes: 30,
      hostId,
      status: "scheduled",
      createdAt: 0,
    });
    return { meetingId, hostId };
  });
}

let seq = 0;
/** A unique idempotency key. */
export function key(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}`;
}

/** Append one meeting event (stored shape: kind + data). */
export async function appendMeeting(
  t: TestBackend,
  meetingId: Id<"meetings">,
  event: MeetingEvent,
  schemaVersion = 1,
): Promise<void> {
  const { type, at, ...data } = event;
  await t.run(async (ctx) => {
    await appendEvent(
      ctx,
      "meetingEvents",
      {
        meetingId,
        actor: "system:test",
        idempotencyKey: key("m"),
        schemaVersion,
        at,
        kind: type,
        data: data as never,
      },
      kickProjectors,
    );
  });
}

/** Append one transcript chunk. */
export async function appendChunk(
  t: TestBackend,
  meetingId: Id<"meetings">,
  at: number,
  chunk: TranscriptChunk,
): Promise<void> {
  const { seq: s, utteranceId, ...data } = chunk;
  await t.run(async (ctx) => {
    await appendEvent(
      ctx,
      "transcriptEvents",
      {
        meetingId,
        actor: chunk.speakerId,
        idempotencyKey: key("tr"),
        schemaVersion: 1,
        at,
        kind: "TranscriptChunk",
        seq: s,
        bucket: Math.floor(chunk.startMs / 60_000),
        utteranceId,
        data,
      },
      kickProjectors,
    );
  });
}

/** Append one Yjs V1 note update. */
export async function appendNote(
  t: TestBackend,
  meetingId: Id<"meetings">,
  at: number,
  update: Uint8Array,
  clientId: number,
  clientSeq: number,
): Promise<void> {
  await t.run(async (ctx) => {
    await appendEvent(
      ctx,
      "noteUpdates",
      {
        meetingId,
        actor: "user:test",
        idempotencyKey: `${clientId}:${clientSeq}`,
        schemaVersion: 1,
        at,
        kind: "notes.update",
        clientId,
        clientSeq,
        update: toArrayBuffer(update),
      },
      kickProjectors,
    );
  });
}

/**
 * Run the scheduler on fake timers for every test of the calling file
 * (projectors are kicked with delays; real timers would leave them pending).
 */
export function withFakeScheduler(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Run every scheduled function (projector runs, delayed kicks) to completion. */
export async function drain(t: TestBackend): Promise<void> {
  await t.finishAllScheduledFunctions(vi.runAllTimers);
}

/** The whole log of a meeting, decoded, in log order (what a full fold consumes). */
export async function readLog(
  t: TestBackend,
  meetingId: Id<"meetings">,
  streams: readonly Stream[] = STREAMS,
): Promise<LogEvent[]> {
  // Convex values carry bytes as ArrayBuffer, so notes updates cross t.run as such.
  type Wire =
    | Exclude<LogEvent, { stream: "notes" }>
    | (Omit<LogEvent & { stream: "notes" }, "update"> & { update: ArrayBuffer });
  const wire: Wire[] = await t.run(async (ctx) => {
    const out: Wire[] = [];
    const cursors = {};
    for (;;) {
      const b = await readBatch(ctx, meetingId, streams, cursors, 500);
      for (const i of b.items) {
        const e = decodeEvent(i);
        out.push(e.stream === "notes" ? { ...e, update: toArrayBuffer(e.update) } : e);
        Object.assign(cursors, { [i.stream]: { ts: i.ts, key: i.key } });
      }
      if (!b.more) return out as never;
    }
  });
  return wire.map(
    (e): LogEvent => (e.stream === "notes" ? { ...e, update: new Uint8Array(e.update) } : e),
  );
}
