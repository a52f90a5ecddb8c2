/**
 * Property: paging a meeting's log with `readBatch` at any limit yields every
 * event exactly once, in log order, and never ends a batch inside a commit
 * group (all rows one transaction appended), whatever the groups' sizes and
 * wherever the consumer stops inside a batch (a projector stops at a poison
 * event, leaving its cursor inside a group). The model: the positions read
 * straight from the tables and sorted with `comparePosition`.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Id } from "../../convex/_generated/dataModel";
import { appendEvent } from "../../convex/lib/events";
import { kickProjectors } from "../../convex/projectors/kick";
import { readBatch, rowKey, type StreamCursors } from "../../convex/projectors/sources";
import { comparePosition, type LogPosition } from "../../projections/core/logEvent";
import { makeConvex, type TestBackend } from "../harness/convex";
import { createMeeting, key, withFakeScheduler } from "./fixtures";

withFakeScheduler();

const USERS = ["u1", "u2", "u3"];

/** One transaction: `meeting` presence events and `transcript` chunks, interleaved. */
const groupArb = fc.array(fc.constantFrom("meeting" as const, "transcript" as const), {
  minLength: 1,
  maxLength: 6,
});

async function appendGroups(
  t: TestBackend,
  meetingId: Id<"meetings">,
  groups: ("meeting" | "transcript")[][],
): Promise<void> {
  let at = 1_000_000;
  let seq = 0;
  for (const group of groups) {
    await t.run(async (ctx) => {
      for (const [i, stream] of group.entries()) {
        at += 10;
        const userId = USERS[i % USERS.length]!;
        if (stream === "meeting") {
          await appendEvent(
            ctx,
            "meetingEvents",
            {
              meetingId,
              actor: "system:test",
              idempotencyKey: key("m"),
              schemaVersion: 1,
              at,
              kind: i % 2 === 0 ? "ParticipantJoined" : "ParticipantLeft",
              data: { userId } as never,
            },
            kickProjectors,
          );
        } else {
          seq += 1;
          await appendEvent(
            ctx,
            "transcriptEvents",
            {
              meetingId,
              actor: userId,
              idempotencyKey: key("tr"),
              schemaVersion: 1,
              at,
              kind: "TranscriptChunk",
              seq,
              bucket: Math.floor((seq * 1000) / 60_000),
              utteranceId: `utt-${seq}`,
              data: {
                speakerId: userId,
                speaker: userId,
                text: `words ${seq}`,
                confidence: 0.9,
                startMs: seq * 1000,
                endMs: seq * 1000 + 500,
                isFinal: true,
              },
            },
            kickProjectors,
          );
        }
      }
    });
  }
}

/** The model: every row's position, straight from the tables, in log order. */
async function positions(t: TestBackend, meetingId: Id<"meetings">): Promise<LogPosition[]> {
  const rows = await t.run(async (ctx) => {
    const m = await ctx.db
      .query("meetingEvents")
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
      .collect();
    const tr = await ctx.db
      .query("transcriptEvents")
      .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
      .collect();
    return [
      ...m.map((r) => ({ stream: "meeting" as const, ts: r.commitTs as bigint, key: rowKey(r) })),
      ...tr.map((r) => ({
        stream: "transcript" as const,
        ts: r.commitTs as bigint,
        key: rowKey(r),
      })),
    ];
  });
  return rows.sort(comparePosition);
}

describe("readBatch", () => {
  test("pages every event once, in log order, never ending a batch inside a commit group", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(groupArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (groups, limit, stopAt) => {
          const t = makeConvex();
          const { meetingId } = await createMeeting(t);
          await appendGroups(t, meetingId, groups);
          const expected = await positions(t, meetingId);
          const got: LogPosition[] = [];
          await t.run(async (ctx) => {
            const cursors: StreamCursors = {};
            for (let guard = 0; guard < 10_000; guard++) {
              const b = await readBatch(ctx, meetingId, ["meeting", "transcript"], cursors, limit);
              if (b.more && b.items.length > 0) {
                // A batch that leaves more ends at a commit group's end.
                const last = b.items[b.items.length - 1]!;
                const pos = expected.findIndex((e) => comparePosition(e, last) === 0);
                expect(expected[pos + 1]?.ts).not.toBe(last.ts);
              }
              // Consume a prefix of the batch (at least one event), like a projector that stops.
              const take =
                b.items.length === 0 ? 0 : Math.max(1, Math.ceil(stopAt * b.items.length));
              for (const i of b.items.slice(0, take)) {
                got.push({ stream: i.stream, ts: i.ts, key: i.key });
                cursors[i.stream] = { ts: i.ts, key: i.key };
              }
              if (!b.more && take === b.items.length) return null;
            }
            throw new Error("readBatch made no progress");
          });
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});
