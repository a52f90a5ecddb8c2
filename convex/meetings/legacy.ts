/**
 * A legacy meeting as meetings + participants + its lifecycle events, made
 * by the same pure decider every meeting command goes through and appended
 * through the one append path (so projectors fold it and the timeline
 * replays it like any other meeting):
 *
 * - `scheduled`: Schedule (user1 hosts, user2 invited as participant);
 * - `ended`: Schedule, Start (host joins) and Join (guest) at `scheduledAt`,
 *   End at `scheduledAt + durationMinutes` (both leave);
 * - `cancelled`: Schedule, Cancel at the legacy `updatedAt` (or the schedule time).
 *
 * The schedule event is dated `min(createdAt, scheduledAt)` so the log never
 * runs backwards (the legacy app let people log meetings after the fact).
 * Events are keyed `legacy:<uuid>#<i>` and written with actor
 * `system:migration`; the meeting's `scheduleKey` is `legacy:<uuid>`.
 */

import type { MeetingEvent } from "../../projections/events/meeting";
import type { MeetingCommand } from "../../projections/lifecycle/commands";
import { decide } from "../../projections/lifecycle/decide";
import {
  evolve,
  initialState,
  type MeetingLifecycleState,
} from "../../projections/lifecycle/state";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import {
  type BatchCounts,
  mappingOf,
  recordIssue,
  recordMapping,
  resolveUser,
} from "../lib/legacyImport";
import { type LegacyMeetingRow, legacyMeetingKey } from "../lib/legacyRows";
import { appendAll, meetingFields, syncParticipants } from "./lifecycle";

/** The actor of imported events. */
export const MIGRATION_ACTOR = "system:migration";

/** The commands that replay a legacy meeting (pure). */
export function legacyMeetingCommands(
  row: LegacyMeetingRow,
  hostId: string,
  guestId: string | undefined,
): MeetingCommand[] {
  const at = Math.min(row.createdAt, row.scheduledAt);
  const cmds: MeetingCommand[] = [
    {
      type: "Schedule",
      by: hostId,
      at,
      title: row.title,
      scheduledAt: row.scheduledAt,
      durationMinutes: row.durationMinutes,
      invitees: guestId === undefined ? [] : [{ userId: guestId, role: "participant" }],
    },
  ];
  if (row.status === "ended") {
    cmds.push({ type: "Start", by: hostId, at: row.scheduledAt });
    if (guestId !== undefined) cmds.push({ type: "Join", by: guestId, at: row.scheduledAt });
    cmds.push({ type: "End", by: hostId, at: row.scheduledAt + row.durationMinutes * 60_000 });
  } else if (row.status === "cancelled") {
    cmds.push({ type: "Cancel", by: hostId, at: Math.max(at, row.updatedAt ?? at) });
  }
  return cmds;
}

/** The events of a legacy meeting and the state they fold to, or the decider's refusal (pure). */
export function decideLegacyMeeting(
  cmds: readonly MeetingCommand[],
):
  | { ok: true; events: MeetingEvent[]; state: MeetingLifecycleState }
  | { ok: false; reason: string } {
  let state = initialState();
  const events: MeetingEvent[] = [];
  for (const cmd of cmds) {
    const d = decide(state, cmd);
    if (!d.ok) return { ok: false, reason: `${cmd.type}: ${d.code} ${d.message}` };
    events.push(...d.events);
    state = d.events.reduce(evolve, state);
  }
  return { ok: true, events, state };
}

/** Write a decided legacy meeting: row, participants, events (through the one append path). */
export async function writeLegacyMeeting(
  ctx: MutationCtx,
  legacyId: string,
  events: readonly MeetingEvent[],
  state: MeetingLifecycleState,
): Promise<Id<"meetings">> {
  const key = legacyMeetingKey(legacyId);
  const meetingId = await ctx.db.insert("meetings", meetingFields(state, key));
  // Not kicked here: folding thousands of imported meetings beside the import slowed every later
  // table; the importer kicks them all in one paced pass at its end (`migrationKick.ts`).
  await appendAll(ctx, meetingId, MIGRATION_ACTOR, key, events, {
    kick: false,
    freshMeeting: true,
  });
  await syncParticipants(ctx, meetingId, initialState(), state, { freshMeeting: true });
  return meetingId;
}

/**
 * Import one legacy meeting in an import batch: skipped when already mapped,
 * rejected when a person does not resolve or the decider refuses its history,
 * otherwise written (host alone when both people are one) and mapped.
 */
export async function importLegacyMeeting(
  ctx: MutationCtx,
  runId: string,
  row: LegacyMeetingRow,
  counts: BatchCounts,
): Promise<void> {
  if (await mappingOf(ctx, "meetings", row.legacyId)) {
    counts.unchanged++;
    return;
  }
  const host = await resolveUser(ctx, runId, "meetings", row.legacyId, "user1", row.user1, counts);
  if (!host) return;
  let guest: Id<"users"> | undefined;
  if (row.user2 !== undefined) {
    const resolved = await resolveUser(
      ctx,
      runId,
      "meetings",
      row.legacyId,
      "user2",
      row.user2,
      counts,
    );
    if (!resolved) return;
    guest = resolved;
  }
  if (guest === host) {
    // Two legacy accounts of one person (merged), or a meeting booked with oneself.
    await recordIssue(
      ctx,
      runId,
      "meetings",
      {
        legacyId: row.legacyId,
        kind: "repair",
        reason: "SAME_PERSON",
        detail: `user1 and user2 are the same person: imported with the host alone`,
      },
      counts,
    );
    guest = undefined;
  }
  const decided = decideLegacyMeeting(legacyMeetingCommands(row, host, guest));
  if (!decided.ok) {
    await recordIssue(
      ctx,
      runId,
      "meetings",
      {
        legacyId: row.legacyId,
        kind: "reject",
        reason: "LIFECYCLE_REFUSED",
        detail: decided.reason,
      },
      counts,
    );
    return;
  }
  const meetingId = await writeLegacyMeeting(ctx, row.legacyId, decided.events, decided.state);
  await recordMapping(ctx, {
    table: "meetings",
    legacyId: row.legacyId,
    convexId: meetingId,
    outcome: "created",
    runId: runId,
  });
  counts.created++;
}
