/**
 * Room-key arguments for tests of the room's live views (`roomQuery`): the
 * caller's room key fetched through `rooms.access` as a client does.
 */

import { fetchRoomKey, type RoomKeyCaller } from "../../bench/lib/client-transports";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";

/** `{ meetingId, roomKey }` for `as` (throws if `rooms.access` refuses them). */
export async function roomArgs(
  as: RoomKeyCaller,
  meetingId: Id<"meetings">,
): Promise<{ meetingId: Id<"meetings">; roomKey: string }> {
  return { meetingId, roomKey: await fetchRoomKey(as, meetingId) };
}

/**
 * A room query as the app makes it: the key from `rooms.access` first (its
 * refusal, a value, or its thrown UNAUTHORIZED, is the answer when it refuses),
 * then `call` with `{ meetingId, roomKey }`. For access matrices: who may not
 * read gets the access check's answer, as before room keys.
 */
export async function viaRoom<T>(
  as: RoomKeyCaller,
  meetingId: Id<"meetings">,
  call: (room: { meetingId: Id<"meetings">; roomKey: string }) => Promise<T>,
): Promise<T | { ok: false; code: string; message: string }> {
  const a = await as.query(api.rooms.access, { meetingId });
  if (!a.ok) return a;
  if (a.key === null) throw new Error("the fixture meeting has no room key");
  return await call({ meetingId, roomKey: a.key });
}
