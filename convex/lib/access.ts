/**
 * The per-meeting access check every meeting function goes through.
 *
 * Matrix (status of the caller's `participants` row × need):
 *
 * | caller                              | read | write | host |
 * | ----------------------------------- | ---- | ----- | ---- |
 * | host / cohost, invited/joined/left  | yes  | yes   | yes  |
 * | participant, invited/joined/left    | yes  | yes   | no   |
 * | observer, invited/joined/left       | yes  | no    | no   |
 * | removed (any role)                  | no   | no    | no   |
 * | no participant row (other org too)  | no   | no    | no   |
 * | erased person (erasure started)     | no   | no    | no   |
 *
 * - "left" keeps access: leaving is presence (ending a meeting marks everyone
 *   left), and people keep their meeting's notes, transcript and chat.
 *   Being removed (or erased) revokes everything at once: authenticated
 *   queries re-check on every run, so a live subscription gets FORBIDDEN on
 *   its next update.
 * - The room's hot live views (`notes.pull`, `transcripts.stream`, …) do not
 *   read auth, so one execution serves every subscriber: they check the
 *   meeting's room key instead (`roomQuery`, `lib/roomKey.ts`). The key is
 *   handed out only through this check (`rooms.access`, need "read"), and
 *   whatever revokes read here rotates it in the same transaction
 *   (`syncParticipants` when a row stops granting read, `startErasure` for
 *   every meeting of the person, in batches), so a revoked person's shared
 *   subscriptions answer FORBIDDEN on their next run too.
 * - A cancelled meeting serves no live data (MEETING_NOT_ACTIVE); only its
 *   metadata (`meetings.get`, `participants.list`) passes `allowCancelled`.
 * - Writing while the meeting is live only (transcripts) and being "joined"
 *   are extra checks of the caller (see `transcripts.ts`).
 * - Unknown meeting and no participant row get one answer, FORBIDDEN with
 *   {@link NOT_YOURS}: a caller cannot tell a meeting that exists from one
 *   that does not (no existence oracle).
 */

import { NOT_YOURS } from "../../projections/lifecycle/decide";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { type AppErrorData, appError } from "./errors";

export { NOT_YOURS };

/** What the caller needs to do with the meeting. */
export type AccessNeed = "read" | "write" | "host";

/** Options of an access check. */
export type AccessOptions = {
  /** Let a cancelled meeting through (metadata only; default false). */
  allowCancelled?: boolean;
};

/** A granted access: who, which meeting, in which role. */
export type MeetingAccess = {
  user: Doc<"users">;
  meeting: Doc<"meetings">;
  participant: Doc<"participants">;
};

/** The outcome of {@link checkMeetingAccess}. */
export type AccessResult =
  | ({ ok: true } & MeetingAccess)
  | { ok: false; code: AppErrorData["code"]; message: string };

/** The caller's participant row in a meeting, if any. */
export async function findParticipant(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  userId: Id<"users">,
): Promise<Doc<"participants"> | null> {
  return await ctx.db
    .query("participants")
    .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", userId))
    .unique();
}

/** Whether a participant row grants `need` (pure; see the matrix above). */
export function grants(
  participant: Pick<Doc<"participants">, "role" | "status">,
  need: AccessNeed,
): boolean {
  if (participant.status === "removed") return false;
  switch (need) {
    case "read":
      return true;
    case "write":
      return participant.role !== "observer";
    case "host":
      return participant.role === "host" || participant.role === "cohost";
  }
}

/**
 * Check access without throwing, for hot paths that must answer with a coded
 * result (so a refused request still spends its rate-limit tokens and leaves
 * an audit row).
 */
export async function checkMeetingAccess(
  ctx: QueryCtx & { user: Doc<"users"> },
  meetingId: Id<"meetings">,
  need: AccessNeed,
  options: AccessOptions = {},
): Promise<AccessResult> {
  const meeting = await ctx.db.get("meetings", meetingId);
  const participant = meeting ? await findParticipant(ctx, meetingId, ctx.user._id) : null;
  // An erased person keeps their participant rows (others' rows point at them) but no access.
  const erased = ctx.user.erasedAt !== undefined;
  if (!meeting || !participant || participant.status === "removed" || erased) {
    return { ok: false, code: "FORBIDDEN", message: NOT_YOURS };
  }
  if (!grants(participant, need)) {
    const what = need === "host" ? "the host or a co-host" : "a participant who may write";
    return {
      ok: false,
      code: "FORBIDDEN",
      message: `this needs ${what}; you are ${participant.role}`,
    };
  }
  if (meeting.status === "cancelled" && !options.allowCancelled) {
    return { ok: false, code: "MEETING_NOT_ACTIVE", message: "this meeting was cancelled" };
  }
  return { ok: true, user: ctx.user, meeting, participant };
}

/** Like {@link checkMeetingAccess} but throws the coded `ConvexError` on refusal. */
export async function requireMeetingAccess(
  ctx: QueryCtx & { user: Doc<"users"> },
  meetingId: Id<"meetings">,
  need: AccessNeed,
  options: AccessOptions = {},
): Promise<MeetingAccess> {
  const result = await checkMeetingAccess(ctx, meetingId, need, options);
  if (!result.ok) throw appError(result.code, result.message);
  return { user: result.user, meeting: result.meeting, participant: result.participant };
}
