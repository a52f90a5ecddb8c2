/**
 * Call sessions: who may be in a meeting's call, loading the caller's own
 * session, and ending sessions (with their pending signals). Shared by
 * `rtcSessions.ts`, `rtcSignals.ts`, `rtcMetrics.ts`, `rtcTranscription.ts` and
 * the leave/remove/end commands.
 *
 * A session is live while its row exists, its person's participant row is
 * `joined`, the meeting is `active`, and it sent a heartbeat within
 * `SESSION_TTL_MS`. Every read re-checks this, so a participant who leaves or
 * is removed drops out of every peer list at once, even before the rows are
 * deleted.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { checkMeetingAccess, findParticipant } from "./access";
import { spend } from "./rateLimits";
import { type Refused, refused } from "./results";
import { SESSION_TTL_MS } from "./rtcRules";

/**
 * Why 128: one session per person and meeting, and the lifecycle caps a
 * meeting at 100 participant rows; reads of a meeting's sessions never need more.
 */
export const MAX_SESSIONS_READ = 128;
/** Why 256: bounded deletes when a session ends; leftovers expire with the signal TTL. */
const SIGNAL_CLEANUP_BATCH = 256;

/** The caller's standing in a meeting's call: the access result plus the live checks. */
export async function checkInCall(
  ctx: QueryCtx & { user: Doc<"users"> },
  meetingId: Id<"meetings">,
): Promise<{ ok: true; meeting: Doc<"meetings">; participant: Doc<"participants"> } | Refused> {
  const access = await checkMeetingAccess(ctx, meetingId, "read");
  if (!access.ok) return refused(access.code, access.message);
  if (access.meeting.status !== "active")
    return refused(
      "MEETING_NOT_ACTIVE",
      `the call runs only while the meeting is live (it is ${access.meeting.status})`,
    );
  if (access.participant.status !== "joined")
    return refused("FORBIDDEN", "join the meeting before joining its call");
  return { ok: true, meeting: access.meeting, participant: access.participant };
}

/**
 * Before minting call credentials (TURN, a GetStream user token) from an
 * action: the user exists, spends a `turnMints` token, and is in the call
 * ({@link checkInCall}). In a mutation, so the spent token stays spent.
 */
export async function checkCredentialMint(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  userId: Id<"users">,
): Promise<
  | { ok: true; user: Doc<"users">; meeting: Doc<"meetings">; participant: Doc<"participants"> }
  | Refused
> {
  const user = await ctx.db.get("users", userId);
  if (!user) return refused("UNAUTHORIZED", "unknown user");
  const limited = await spend(ctx, "turnMints", user);
  if (!limited.ok) return limited;
  const inCall = await checkInCall({ ...ctx, user }, meetingId);
  if (!inCall.ok) return inCall;
  return { ...inCall, user };
}

/** The caller's own session, or a refusal (ended sessions are NOT_FOUND, others' FORBIDDEN). */
export async function loadOwnSession(
  ctx: QueryCtx & { user: Doc<"users"> },
  sessionId: Id<"rtcSessions">,
): Promise<{ ok: true; session: Doc<"rtcSessions"> } | Refused> {
  const session = await ctx.db.get("rtcSessions", sessionId);
  if (!session) return refused("NOT_FOUND", "this call session has ended; join the call again");
  if (session.userId !== ctx.user._id)
    return refused("FORBIDDEN", "this call session belongs to someone else");
  return { ok: true, session };
}

/** Whether `session` is live at `now` (see the module comment). */
export async function isSessionLive(
  ctx: QueryCtx,
  session: Doc<"rtcSessions">,
  now: number,
  meeting?: Doc<"meetings"> | null,
): Promise<boolean> {
  if (session.lastSeen + SESSION_TTL_MS < now) return false;
  const m = meeting === undefined ? await ctx.db.get("meetings", session.meetingId) : meeting;
  if (m?.status !== "active") return false;
  const p = await findParticipant(ctx, session.meetingId, session.userId);
  return p !== null && p.status === "joined";
}

/** The meeting's session rows (bounded; live or not). */
export async function meetingSessions(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
): Promise<Doc<"rtcSessions">[]> {
  return await ctx.db
    .query("rtcSessions")
    .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
    .take(MAX_SESSIONS_READ);
}

/** Delete a session and the signals to and from it (bounded; the sweep takes leftovers). */
export async function endSession(ctx: MutationCtx, session: Doc<"rtcSessions">): Promise<void> {
  const to = await ctx.db
    .query("rtcSignals")
    .withIndex("by_to", (q) => q.eq("toSession", session._id))
    .take(SIGNAL_CLEANUP_BATCH);
  const from = await ctx.db
    .query("rtcSignals")
    .withIndex("by_from", (q) => q.eq("fromSession", session._id))
    .take(SIGNAL_CLEANUP_BATCH);
  for (const r of [...to, ...from]) await ctx.db.delete("rtcSignals", r._id);
  await ctx.db.delete("rtcSessions", session._id);
}

/**
 * End the call sessions of `userId` in a meeting, or of everyone when `userId`
 * is omitted (the meeting ended). Called by `participants.leave`/`remove` and
 * `meetings.end`; peers' `rtcSessions.peers` subscriptions drop them at once.
 */
export async function endCallSessions(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  userId?: Id<"users">,
): Promise<number> {
  const rows =
    userId === undefined
      ? await meetingSessions(ctx, meetingId)
      : await ctx.db
          .query("rtcSessions")
          .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", userId))
          .take(MAX_SESSIONS_READ);
  for (const s of rows) await endSession(ctx, s);
  return rows.length;
}
