/**
 * The notes and presence transports over the unmodified `ConvexClient` (the same shape as
 * web/lib/notesTransport.ts over React's client). No Node-only imports: the browser
 * benchmark bundles this file too.
 *
 * The room's reads take the meeting's room key (`rooms.access`, fetched once per meeting and
 * transport, issued when the meeting has none yet). Loads never remove anyone, so the key
 * never rotates under them; the web app's transport follows rotations (`web/lib/roomKey.ts`).
 */
import type { ConvexClient } from "convex/browser";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { NotesTransport, PresenceTransport } from "../../crdt/transport";

type MeetingId = Id<"meetings">;

type KeyAnswer = { ok: true; key: string | null } | { ok: false; code: string; message: string };
type IssueAnswer = { ok: true; key: string } | { ok: false; code: string; message: string };
/** Whoever can call `rooms.access` and `rooms.issue` (a `ConvexClient`, a convex-test identity). */
export type RoomKeyCaller = {
  query(ref: typeof api.rooms.access, args: { meetingId: MeetingId }): Promise<KeyAnswer>;
  mutation(ref: typeof api.rooms.issue, args: { meetingId: MeetingId }): Promise<IssueAnswer>;
};

/** The meeting's room key for this caller (issued if the meeting has none); throws if refused. */
export async function fetchRoomKey(client: RoomKeyCaller, meetingId: MeetingId): Promise<string> {
  const a = await client.query(api.rooms.access, { meetingId });
  if (!a.ok) throw new Error(`rooms.access refused: ${a.code} ${a.message}`);
  if (a.key !== null) return a.key;
  const issued = await client.mutation(api.rooms.issue, { meetingId });
  if (!issued.ok) throw new Error(`rooms.issue refused: ${issued.code} ${issued.message}`);
  return issued.key;
}

/** Room keys of one client, fetched once per meeting. */
function keyCache(client: ConvexClient): (meetingId: MeetingId) => Promise<string> {
  const keys = new Map<MeetingId, Promise<string>>();
  return (meetingId) => {
    let k = keys.get(meetingId);
    if (!k) {
      k = fetchRoomKey(client, meetingId);
      // A failed fetch is asked again next time.
      k.catch(() => keys.delete(meetingId));
      keys.set(meetingId, k);
    }
    return k;
  };
}

/** `client.onUpdate` of a room query once the key is known; unsubscribing before that cancels it. */
function keyedOnUpdate(
  key: Promise<string>,
  subscribe: (roomKey: string) => () => void,
  onError: (e: Error) => void,
): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  key.then(
    (roomKey) => {
      if (!stopped) stop = subscribe(roomKey);
    },
    (e: unknown) => {
      if (!stopped) onError(e instanceof Error ? e : new Error(String(e)));
    },
  );
  return () => {
    stopped = true;
    stop?.();
  };
}

/** The notes transport over a `ConvexClient`. */
export function clientNotesTransport(client: ConvexClient): NotesTransport<MeetingId> {
  const keyOf = keyCache(client);
  return {
    registerClient: (args) => client.mutation(api.notes.registerClient, args),
    push: (args) => client.mutation(api.notes.push, args),
    bootstrap: async (args) =>
      client.query(api.notes.bootstrap, { ...args, roomKey: await keyOf(args.meetingId) }),
    resync: async (args) =>
      client.query(api.notes.resync, { ...args, roomKey: await keyOf(args.meetingId) }),
    subscribePull: (args, onResult, onError) =>
      keyedOnUpdate(
        keyOf(args.meetingId),
        (roomKey) => client.onUpdate(api.notes.pull, { ...args, roomKey }, onResult, onError),
        onError,
      ),
  };
}

/** The presence transport over a `ConvexClient`. */
export function clientPresenceTransport(client: ConvexClient): PresenceTransport<MeetingId> {
  const keyOf = keyCache(client);
  return {
    set: (args) => client.mutation(api.presence.set, args),
    leave: (args) => client.mutation(api.presence.leave, args),
    subscribe: (args, onResult, onError) =>
      keyedOnUpdate(
        keyOf(args.meetingId),
        (roomKey) => client.onUpdate(api.presence.list, { ...args, roomKey }, onResult, onError),
        onError,
      ),
  };
}
