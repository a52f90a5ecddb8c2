/**
 * The imperative shell around the pure lifecycle decider
 * (`projections/lifecycle`): load the command-side state from the
 * `meetings`/`participants` rows, decide, append the events through the one
 * append path, and bring the rows to the fold of the new events, all in one
 * transaction. Refusals become audit rows and coded results.
 */
import type { MeetingEvent } from "../../projections/events/meeting";
import { toStoredMeetingEvent } from "../../projections/events/meeting";
import type { MeetingCommand } from "../../projections/lifecycle/commands";
import { decide, MAX_PARTICIPANT_ROWS } from "../../projections/lifecycle/decide";
import {
  evolve,
  initialState,
  type MeetingLifecycleState,
  type ParticipantState,
} from "../../projections/lifecycle/state";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { grants, NOT_YOURS } from "../lib/access";
import { auditRefusal, writeAudit } from "../lib/audit";
import { type AppendHook, appendEvent, findByKey } from "../lib/events";
import { type Refused, refused } from "../lib/results";
import { issueRoomKey, rotateRoomKey } from "../lib/roomKey";
import { kickProjectors } from "../projectors/kick";
import { commandPrologue } from "./views";

/** The lifecycle state of a stored meeting (what the decider decides on). */
export async function loadLifecycleState(
  ctx: QueryCtx,
  meeting: Doc<"meetings">,
): Promise<MeetingLifecycleState> {
  // Bounded: the decider never lets a meeting exceed MAX_PARTICIPANT_ROWS rows.
  const rows = await ctx.db
    .query("participants")
    .withIndex("by_meeting_user", (q) => q.eq("meetingId", meeting._id))
    .take(MAX_PARTICIPANT_ROWS);
  const participants: Record<string, ParticipantState> = {};
  for (const r of rows) {
    const p: ParticipantState = { role: r.role, status: r.status, invitedAt: r.invitedAt };
    if (r.joinedAt !== undefined) p.joinedAt = r.joinedAt;
    if (r.leftAt !== undefined) p.leftAt = r.leftAt;
    participants[r.userId] = p;
  }
  const state: MeetingLifecycleState = {
    status: meeting.status,
    hostId: meeting.hostId,
    title: meeting.title,
    scheduledAt: meeting.scheduledAt,
    durationMinutes: meeting.durationMinutes,
    createdAt: meeting.createdAt,
    participants,
  };
  if (meeting.description !== undefined) state.description = meeting.description;
  if (meeting.orgId !== undefined) state.orgId = meeting.orgId;
  if (meeting.startedAt !== undefined) state.startedAt = meeting.startedAt;
  if (meeting.endedAt !== undefined) state.endedAt = meeting.endedAt;
  if (meeting.cancelledAt !== undefined) state.cancelledAt = meeting.cancelledAt;
  return state;
}

/** The `meetings` row fields of a (non-`none`) state. */
export function meetingFields(state: MeetingLifecycleState, scheduleKey: string | undefined) {
  if (state.status === "none" || state.hostId === undefined) {
    throw new Error("meetingFields: the meeting is not scheduled");
  }
  return {
    title: state.title ?? "",
    description: state.description,
    scheduledAt: state.scheduledAt ?? 0,
    durationMinutes: state.durationMinutes ?? 0,
    hostId: state.hostId as Id<"users">,
    orgId: state.orgId,
    status: state.status,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    cancelledAt: state.cancelledAt,
    createdAt: state.createdAt ?? 0,
    scheduleKey,
  };
}

/**
 * Write the participant rows that differ between `before` and `after`. `freshMeeting`: the
 * meeting row was inserted in this transaction, so it has no participant rows to look up.
 */
export async function syncParticipants(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  before: MeetingLifecycleState,
  after: MeetingLifecycleState,
  options: { freshMeeting?: boolean } = {},
): Promise<void> {
  let revoked = false;
  for (const [userId, p] of Object.entries(after.participants)) {
    if (before.participants[userId] === p) continue;
    const was = before.participants[userId];
    revoked ||= was !== undefined && grants(was, "read") && !grants(p, "read");
    const row = {
      meetingId,
      userId: userId as Id<"users">,
      role: p.role,
      status: p.status,
      invitedAt: p.invitedAt,
      joinedAt: p.joinedAt,
      leftAt: p.leftAt,
    };
    const existing = options.freshMeeting
      ? null
      : await ctx.db
          .query("participants")
          .withIndex("by_meeting_user", (q) =>
            q.eq("meetingId", meetingId).eq("userId", row.userId),
          )
          .unique();
    if (existing) await ctx.db.replace("participants", existing._id, row);
    else await ctx.db.insert("participants", row);
  }
  // Someone lost read access: their room key goes with it (see `lib/roomKey.ts`).
  if (revoked) await rotateRoomKey(ctx, meetingId, Date.now());
}

/** Leaves the kick to {@link appendAll}, which kicks once after a command's last event. */
const noKick: AppendHook = async () => {};

/** Append decided events (keys `<key>#<i>`) and kick the projectors once. */
export async function appendAll(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  actor: string,
  key: string,
  events: readonly MeetingEvent[],
  /**
   * `kick: false`: the caller kicks the projectors later (the importer's paced catch-up).
   * `freshMeeting`: the meeting row was inserted in this transaction (see `appendEvent`).
   */
  options: { kick?: boolean; freshMeeting?: boolean } = {},
): Promise<void> {
  let appended = false;
  for (const [i, event] of events.entries()) {
    const stored = toStoredMeetingEvent(event);
    const r = await appendEvent(
      ctx,
      "meetingEvents",
      {
        meetingId,
        actor,
        idempotencyKey: `${key}#${i}`,
        schemaVersion: stored.schemaVersion,
        at: stored.at,
        kind: stored.kind,
        data: stored.data as Doc<"meetingEvents">["data"],
      },
      // The kick waits for the last event (below).
      noKick,
      { freshMeeting: options.freshMeeting === true },
    );
    appended ||= !r.duplicate;
  }
  // One kick for the whole command: a second in the same transaction would only re-read the flags.
  if (appended && options.kick !== false)
    await kickProjectors(ctx, { meetingId, stream: "meeting" });
}

/** The outcome of a lifecycle command. */
export type CommandOutcome =
  | { ok: true; meetingId: Id<"meetings">; events: string[]; duplicate: boolean }
  | Refused;

/**
 * Run a lifecycle command on an existing meeting. `idempotencyKey` (from the
 * client, or fresh) makes a retried command a no-op that reports `duplicate`.
 * `system` names a server job acting with `user`'s rights (e.g. the overdue
 * sweep acting as the host): the events' actor becomes `system:<name>` and the
 * audit row has no user actor.
 */
export async function runMeetingCommand(
  ctx: MutationCtx,
  user: Doc<"users">,
  meetingId: Id<"meetings">,
  cmd: Exclude<MeetingCommand, { type: "Schedule" }>,
  idempotencyKey: string,
  system?: string,
): Promise<CommandOutcome> {
  const action = `meeting.${cmd.type}`;
  const meeting = await ctx.db.get("meetings", meetingId);
  if (!meeting)
    return await auditRefusal(ctx, user._id, action, undefined, refused("FORBIDDEN", NOT_YOURS));
  if (await findByKey(ctx, "meetingEvents", meetingId, `${idempotencyKey}#0`)) {
    return { ok: true, meetingId, events: [], duplicate: true };
  }
  const before = await loadLifecycleState(ctx, meeting);
  const decision = decide(before, cmd);
  if (!decision.ok)
    return await auditRefusal(
      ctx,
      user._id,
      action,
      meetingId,
      refused(decision.code, decision.message),
    );
  const after = decision.events.reduce(evolve, before);
  const actor = system === undefined ? user._id : `system:${system}`;
  await appendAll(ctx, meetingId, actor, idempotencyKey, decision.events);
  if (decision.events.length > 0) {
    await ctx.db.replace("meetings", meetingId, meetingFields(after, meeting.scheduleKey));
    await syncParticipants(ctx, meetingId, before, after);
    const detail = decision.events.map((e) => e.type).join(",");
    await writeAudit(
      ctx,
      system === undefined
        ? { action, outcome: "transition", actorId: user._id, meetingId, detail }
        : { action, outcome: "transition", meetingId, detail: `${actor}: ${detail}` },
      cmd.at,
    );
  }
  return { ok: true, meetingId, events: decision.events.map((e) => e.type), duplicate: false };
}

/**
 * Schedule a new meeting. The idempotency key is kept on the meeting row
 * (`scheduleKey`, indexed per host) since there is no meeting to key on yet.
 */
export async function runSchedule(
  ctx: MutationCtx,
  user: Doc<"users">,
  cmd: Extract<MeetingCommand, { type: "Schedule" }>,
  idempotencyKey: string,
): Promise<CommandOutcome> {
  const prior = await ctx.db
    .query("meetings")
    .withIndex("by_host_scheduleKey", (q) =>
      q.eq("hostId", user._id).eq("scheduleKey", idempotencyKey),
    )
    .first();
  if (prior) return { ok: true, meetingId: prior._id, events: [], duplicate: true };
  const before = initialState();
  const decision = decide(before, cmd);
  if (!decision.ok)
    return await auditRefusal(
      ctx,
      user._id,
      "meeting.Schedule",
      undefined,
      refused(decision.code, decision.message),
    );
  const after = decision.events.reduce(evolve, before);
  const meetingId = await ctx.db.insert("meetings", meetingFields(after, idempotencyKey));
  const fresh = { freshMeeting: true };
  await appendAll(ctx, meetingId, user._id, idempotencyKey, decision.events, fresh);
  await syncParticipants(ctx, meetingId, before, after, fresh);
  await issueRoomKey(ctx, meetingId, cmd.at);
  await writeAudit(
    ctx,
    { action: "meeting.Schedule", outcome: "transition", actorId: user._id, meetingId },
    cmd.at,
  );
  return { ok: true, meetingId, events: decision.events.map((e) => e.type), duplicate: false };
}

/**
 * The whole handler of a caller's command on an existing meeting: spends the
 * caller's command token and checks their idempotency key
 * (`commandPrologue`), then runs the decider with the caller's rights.
 */
export async function runCallerCommand(
  ctx: MutationCtx & { user: Doc<"users"> },
  meetingId: Id<"meetings">,
  idempotencyKey: string | undefined,
  cmd: Exclude<MeetingCommand, { type: "Schedule" }>,
): Promise<CommandOutcome | Refused> {
  const pre = await commandPrologue(ctx, ctx.user, idempotencyKey);
  if (!pre.ok) return pre;
  return await runMeetingCommand(ctx, ctx.user, meetingId, cmd, pre.key);
}
