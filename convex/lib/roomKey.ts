/**
 * Room keys: one bearer capability per meeting for the room's live views.
 *
 * The room's hot subscriptions (`notes.pull`, `transcripts.stream`, …) are
 * built with `roomQuery` (`lib/functions.ts`): they never read `ctx.auth`, so
 * the engine (and Convex) can run one execution for every subscriber of the
 * meeting instead of one per person. They check a room key instead: the key
 * is handed only to people the access matrix lets read (`rooms.access`, which
 * runs `checkMeetingAccess`), and it is rotated in the very transaction that
 * takes read access away from someone (`syncParticipants` on removal,
 * `startErasure`), so the revoked person's shared subscriptions re-run (the
 * key doc changed) and answer FORBIDDEN, as the authenticated checks did.
 *
 * Keys are 16 random bytes (128 bits), base64url, from `crypto.getRandomValues`
 * (`lib/randomToken.ts`): Convex's default runtime implements it as a host op
 * (`crypto/getRandomValues`), usable in mutations, the same source
 * `lib/personalData.ts` uses for AES-GCM IVs.
 *
 * The key is stored in plaintext (the room must be able to hand it out again)
 * in its own table, never logged, never put in a URL or an audit row.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { NOT_YOURS } from "./access";
import { type AppErrorData, appError } from "./errors";
import { randomToken } from "./randomToken";
import { constantTimeEqual } from "./webhookHmac";

/** Why 16: 128 bits are out of reach of guessing at any request rate (the brief's floor). */
export const ROOM_KEY_BYTES = 16;

/** A fresh room key: base64url of {@link ROOM_KEY_BYTES} random bytes (22 characters). */
export function newRoomKey(): string {
  return randomToken(ROOM_KEY_BYTES);
}

/** The meeting's key row, if it has one (meetings made before room keys have none until issued). */
export async function findRoomKey(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
): Promise<Doc<"roomKeys"> | null> {
  return await ctx.db
    .query("roomKeys")
    .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
    .unique();
}

/** The meeting's key, made now if it has none (idempotent). The caller checked access. */
export async function issueRoomKey(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  now: number,
): Promise<string> {
  const existing = await findRoomKey(ctx, meetingId);
  if (existing) return existing.key;
  const key = newRoomKey();
  await ctx.db.insert("roomKeys", { meetingId, key, createdAt: now });
  return key;
}

/**
 * Replace the meeting's key (someone lost read access). A meeting without a
 * key yet has nothing to rotate: nobody holds one.
 */
export async function rotateRoomKey(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  now: number,
): Promise<void> {
  const existing = await findRoomKey(ctx, meetingId);
  if (existing) await ctx.db.patch("roomKeys", existing._id, { key: newRoomKey(), createdAt: now });
}

/** Why 64: a key is 22 characters; a longer argument is refused before any comparison. */
const MAX_ROOM_KEY_LENGTH = 64;

/** Why 100: one index read and one patch per meeting keeps a batch far below write limits. */
export const ROTATE_BATCH = 100;

/**
 * Rotate the keys of one page of the meetings `userId` takes part in
 * (participants `by_user`); the caller continues from `cursor` while not done.
 */
export async function rotatePersonsRoomKeys(
  ctx: MutationCtx,
  userId: Id<"users">,
  cursor: string | null,
  now: number,
): Promise<{ done: boolean; cursor: string; rotated: number }> {
  const page = await ctx.db
    .query("participants")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .paginate({ cursor, numItems: ROTATE_BATCH });
  for (const p of page.page) await rotateRoomKey(ctx, p.meetingId, now);
  return { done: page.isDone, cursor: page.continueCursor, rotated: page.page.length };
}

/** The outcome of {@link checkRoomKey}. */
export type RoomKeyResult =
  | { ok: true; meeting: Doc<"meetings"> }
  | { ok: false; code: AppErrorData["code"]; message: string };

/**
 * Whether `roomKey` opens `meetingId`'s live views. An unknown meeting, a
 * meeting without a key and a wrong or stale key get one answer, FORBIDDEN
 * {@link NOT_YOURS} (no existence oracle); compared in constant time. A
 * cancelled meeting serves no live data (MEETING_NOT_ACTIVE), as in
 * `checkMeetingAccess`.
 */
export async function checkRoomKey(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  roomKey: string,
): Promise<RoomKeyResult> {
  const meeting = await ctx.db.get("meetings", meetingId);
  const row = meeting ? await findRoomKey(ctx, meetingId) : null;
  const fits = roomKey.length <= MAX_ROOM_KEY_LENGTH;
  if (!meeting || !row || !fits || !constantTimeEqual(row.key, roomKey)) {
    return { ok: false, code: "FORBIDDEN", message: NOT_YOURS };
  }
  if (meeting.status === "cancelled") {
    return { ok: false, code: "MEETING_NOT_ACTIVE", message: "this meeting was cancelled" };
  }
  return { ok: true, meeting };
}

/** A room query's key check (`ctx.room`), throwing its coded `ConvexError` on refusal. */
export function requireRoom(room: RoomKeyResult): Doc<"meetings"> {
  if (!room.ok) throw appError(room.code, room.message);
  return room.meeting;
}
