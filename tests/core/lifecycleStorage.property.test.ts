/**
 * Property (through the real functions, convex-test): for any sequence of
 * lifecycle commands sent by several users through the public mutations,
 * (1) the command-side rows (`meetings`, `participants`) equal the fold of the
 * stored `meetingEvents` (upcast, in commitTs order) — replaying the log
 * reproduces the state — (2) that state is reachable by the state machine,
 * (3) each command's answer matches the pure decider's on the same state, and
 * (4) every user's reads then follow the access matrix (members read, removed
 * people and strangers get FORBIDDEN, a cancelled meeting serves metadata only).
 */
import { ConvexError } from "convex/values";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { loadLifecycleState } from "../../convex/meetings/lifecycle";
import { type StoredMeetingEvent, upcastMeetingEvent } from "../../projections/events/meeting";
import { decide } from "../../projections/lifecycle/decide";
import { stateProblems } from "../../projections/lifecycle/invariants";
import { type MeetingLifecycleState, replay } from "../../projections/lifecycle/state";
import { makeConvex } from "../harness/convex";
import { CAST, sessionArb, type TimelessCommand } from "../projections/lifecycleArbitraries";
import { as, person } from "./identities";

type Clients = Record<string, ReturnType<typeof as>>;

/** "ok", or the code of the thrown `ConvexError`. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "ok";
  } catch (e) {
    if (e instanceof ConvexError) return String((e.data as { code: string }).code);
    throw e;
  }
}

/** Send one timeless command through the public API as its `by` user. */
async function send(
  clients: Clients,
  ids: Record<string, Id<"users">>,
  meetingId: Id<"meetings">,
  c: TimelessCommand,
) {
  const me = clients[c.by]!;
  switch (c.type) {
    case "Schedule":
      return null; // only the first command schedules (below); a second Schedule makes a new meeting
    case "Start":
      return await me.mutation(api.meetings.start, { meetingId });
    case "End":
      return await me.mutation(api.meetings.end, { meetingId });
    case "Cancel":
      return await me.mutation(api.meetings.cancel, { meetingId });
    case "Join":
      return await me.mutation(api.participants.join, { meetingId });
    case "Leave":
      return await me.mutation(api.participants.leave, { meetingId });
    case "Invite":
      return await me.mutation(api.participants.invite, {
        meetingId,
        userId: ids[c.userId]!,
        role: c.role,
      });
    case "ChangeRole":
      return await me.mutation(api.participants.changeRole, {
        meetingId,
        userId: ids[c.userId]!,
        role: c.role,
      });
    case "Remove":
      return await me.mutation(api.participants.remove, { meetingId, userId: ids[c.userId]! });
  }
}

/** State with user ids mapped back to cast names and times dropped (wall-clock differs). */
function shape(s: MeetingLifecycleState, nameOf: Map<string, string>) {
  return {
    status: s.status,
    host: s.hostId && nameOf.get(s.hostId),
    participants: Object.fromEntries(
      Object.entries(s.participants).map(([id, p]) => [
        nameOf.get(id),
        { role: p.role, status: p.status },
      ]),
    ),
  };
}

describe("lifecycle through storage", () => {
  test("rows equal the replay of the stored events, and each answer matches the decider", async () => {
    await fc.assert(
      fc.asyncProperty(sessionArb(12), async (commands) => {
        const t = makeConvex();
        const clients: Clients = {};
        const ids: Record<string, Id<"users">> = {};
        for (const name of CAST) {
          clients[name] = as(t, person(`P${name}`));
          ids[name] = (await clients[name].mutation(api.users.ensure, {}))._id;
        }
        const nameOf = new Map(Object.entries(ids).map(([n, id]) => [id as string, n]));
        const [first, ...rest] = commands;
        if (first?.type !== "Schedule") throw new Error("sessionArb starts with Schedule");
        const scheduled = await clients.h!.mutation(api.meetings.schedule, {
          title: first.title,
          // Offset from now: scheduling in the past is refused by `meetings.schedule`.
          scheduledAt: Date.now() + first.scheduledAt,
          durationMinutes: first.durationMinutes,
          invitees: first.invitees.map((i) => ({ userId: ids[i.userId]!, role: i.role })),
        });
        if (!scheduled.ok) throw new Error(scheduled.message);
        const meetingId = scheduled.meetingId;
        const load = () =>
          t.run(async (ctx) => {
            const m = await ctx.db.get(meetingId);
            return await loadLifecycleState(ctx, m!);
          });
        for (const c of rest) {
          if (c.type === "Schedule") continue;
          const before = await load();
          const expected = decide(before, {
            ...c,
            by: ids[c.by]!,
            ...("userId" in c ? { userId: ids[c.userId]! } : {}),
            at: 0,
          } as Parameters<typeof decide>[1]);
          const r = await send(clients, ids, meetingId, c);
          expect(r?.ok).toBe(expected.ok);
          if (r && !r.ok && !expected.ok) expect(r.code).toBe(expected.code);
        }
        const rows = await load();
        const events = await t.run(
          async (ctx) =>
            await ctx.db
              .query("meetingEvents")
              .withIndex("by_meeting_commit", (q) => q.eq("meetingId", meetingId))
              .collect(),
        );
        const replayed = replay(
          events.map((e) => upcastMeetingEvent(e as unknown as StoredMeetingEvent)),
        );
        expect(shape(replayed, nameOf)).toEqual(shape(rows, nameOf));
        expect(replayed).toEqual(rows);
        expect(stateProblems(rows)).toEqual([]);
        // (4) Every cast member's reads follow the access matrix on the final state.
        for (const name of CAST) {
          const p = rows.participants[ids[name]!];
          const member = p !== undefined && p.status !== "removed";
          const meta = await outcome(() => clients[name]!.query(api.meetings.get, { meetingId }));
          expect(meta).toBe(member ? "ok" : "FORBIDDEN");
          const live = await outcome(() => clients[name]!.query(api.chat.list, { meetingId }));
          expect(live).toBe(
            !member ? "FORBIDDEN" : rows.status === "cancelled" ? "MEETING_NOT_ACTIVE" : "ok",
          );
        }
      }),
      { numRuns: 15 },
    );
  });
});
