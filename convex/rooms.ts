/**
 * The meeting room's key (see `lib/roomKey.ts`): who may read the meeting
 * gets it here and passes it to the room's live views (`roomQuery`).
 *
 * - `access`: subscribe; answers the key to a caller the access matrix lets
 *   read, and a new key after a rotation (clients move their subscriptions
 *   to it). `key: null` for a meeting made before room keys: call `issue`.
 * - `issue`: makes the key of such a meeting (idempotent, access-checked).
 * - `rotate`: a host or co-host replaces the key (a suspected leak): every
 *   subscription on the old key answers FORBIDDEN on its next run, readers
 *   get the new one from `access`. Audited, as are its refusals.
 * - `rotateForPerson`: the rest of an erased person's meetings, in batches.
 *
 * Refusals are the access check's, as values: FORBIDDEN with the same
 * NOT_YOURS answer for an unknown meeting and a stranger (no existence
 * oracle), MEETING_NOT_ACTIVE for a cancelled meeting.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation } from "./_generated/server";
import { checkMeetingAccess } from "./lib/access";
import { auditRefusal, writeAudit } from "./lib/audit";
import { userMutation, userQuery } from "./lib/functions";
import { refused, resultValidator } from "./lib/results";
import { findRoomKey, issueRoomKey, rotatePersonsRoomKeys, rotateRoomKey } from "./lib/roomKey";

const meetingArgs = { meetingId: v.id("meetings") };

/** The meeting's room key for a caller who may read it (null: not issued yet, call `issue`). */
export const access = userQuery({
  args: meetingArgs,
  returns: resultValidator({ key: v.union(v.string(), v.null()) }),
  handler: async (ctx, { meetingId }) => {
    const granted = await checkMeetingAccess(ctx, meetingId, "read");
    if (!granted.ok) return refused(granted.code, granted.message);
    const row = await findRoomKey(ctx, meetingId);
    return { ok: true as const, key: row?.key ?? null };
  },
});

/** Make the room key of a meeting that has none yet (idempotent); same refusals as `access`. */
export const issue = userMutation({
  args: meetingArgs,
  returns: resultValidator({ key: v.string() }),
  handler: async (ctx, { meetingId }) => {
    const granted = await checkMeetingAccess(ctx, meetingId, "read");
    if (!granted.ok) return refused(granted.code, granted.message);
    return { ok: true as const, key: await issueRoomKey(ctx, meetingId, Date.now()) };
  },
});

/**
 * Replace the meeting's room key now (host or co-host): what a leaked key could read stops at
 * once, without removing anyone. A meeting without a key gets one. Refusals as in `access`,
 * with an audit row; the rotation is audited too (never the key).
 */
export const rotate = userMutation({
  args: meetingArgs,
  returns: resultValidator({}),
  handler: async (ctx, { meetingId }) => {
    const now = Date.now();
    const granted = await checkMeetingAccess(ctx, meetingId, "host");
    if (!granted.ok) {
      const r = refused(granted.code, granted.message);
      return await auditRefusal(ctx, ctx.user._id, "rooms.rotate", meetingId, r, now);
    }
    if (await findRoomKey(ctx, meetingId)) await rotateRoomKey(ctx, meetingId, now);
    else await issueRoomKey(ctx, meetingId, now);
    await writeAudit(
      ctx,
      { action: "rooms.rotate", outcome: "transition", actorId: ctx.user._id, meetingId },
      now,
    );
    return { ok: true as const };
  },
});

/** Rotate the keys of an erased person's meetings from `cursor` on, a batch per run. */
export const rotateForPerson = internalMutation({
  args: { userId: v.id("users"), cursor: v.string() },
  returns: v.null(),
  handler: async (ctx, { userId, cursor }) => {
    const r = await rotatePersonsRoomKeys(ctx, userId, cursor, Date.now());
    if (!r.done) {
      await ctx.scheduler.runAfter(0, internal.rooms.rotateForPerson, { userId, cursor: r.cursor });
    }
    return null;
  },
});
