/**
 * The notes provider's transport over the app's own `ConvexReactClient`:
 * one line per member (see `crdt/transport.ts`). The pull subscription is a
 * Convex `watchQuery`, so new notes arrive over the same WebSocket as every
 * other live query.
 */
import type { ConvexReactClient } from "convex/react";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { NotesTransport, PresenceTransport, TransportConnection } from "../../crdt/transport";
import { keyedSubscription, RoomKeys, withRoomKey } from "./roomKey";

/**
 * Feeds a watched query's results to `onResult` (and its errors to `onError`),
 * now and on every update; returns the unsubscribe function.
 */
export function follow<T>(
  watch: { localQueryResult(): T | undefined; onUpdate(cb: () => void): () => void },
  onResult: (answer: T) => void,
  onError: (e: Error) => void,
): () => void {
  const emit = () => {
    try {
      const answer = watch.localQueryResult();
      if (answer !== undefined) onResult(answer);
    } catch (e) {
      onError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const stop = watch.onUpdate(emit);
  emit();
  return stop;
}

/**
 * The connection as the notes provider should see it: the client's WebSocket
 * is up and the browser says it is online (a WebSocket can stay "open" for a
 * while after the network is gone; the browser's flag tells sooner).
 */
export function convexConnection(client: ConvexReactClient): TransportConnection {
  const online = () => typeof navigator === "undefined" || navigator.onLine;
  const isConnected = () => client.connectionState().isWebSocketConnected && online();
  return {
    isConnected,
    subscribe(onChange) {
      let last = isConnected();
      const check = () => {
        const now = isConnected();
        if (now !== last) {
          last = now;
          onChange(now);
        }
      };
      const stop = client.subscribeToConnectionState(check);
      window.addEventListener("online", check);
      window.addEventListener("offline", check);
      return () => {
        stop();
        window.removeEventListener("online", check);
        window.removeEventListener("offline", check);
      };
    },
  };
}

/** The room key of `meetingId` over `client` (`rooms.access`, kept current; see `roomKey.ts`). */
export function convexRoomKeys(client: ConvexReactClient, meetingId: Id<"meetings">): RoomKeys {
  const args = { meetingId };
  return new RoomKeys({
    watch: (onAnswer, onError) =>
      follow(client.watchQuery(api.rooms.access, args), onAnswer, onError),
    fetch: () => client.query(api.rooms.access, args),
    issue: () => client.mutation(api.rooms.issue, args),
  });
}

/**
 * A {@link NotesTransport} backed by `client`: the room's reads carry the room
 * key of `keys` and move to a new key when it rotates; writes stay
 * authenticated.
 */
export function convexNotesTransport(
  client: ConvexReactClient,
  keys: RoomKeys,
): NotesTransport<Id<"meetings">> {
  return {
    connection: convexConnection(client),
    registerClient: (args) => client.mutation(api.notes.registerClient, args),
    push: (args) => client.mutation(api.notes.push, args),
    bootstrap: (args) =>
      withRoomKey(keys, (roomKey) => client.query(api.notes.bootstrap, { ...args, roomKey })),
    resync: (args) =>
      withRoomKey(keys, (roomKey) => client.query(api.notes.resync, { ...args, roomKey })),
    subscribePull: (args, onResult, onError) =>
      keyedSubscription(
        keys,
        (roomKey, onAnswer) =>
          follow(client.watchQuery(api.notes.pull, { ...args, roomKey }), onAnswer, onError),
        onResult,
      ),
  };
}

/** A {@link PresenceTransport} (carets and who is here) backed by `client`, reading with `keys`. */
export function convexPresenceTransport(
  client: ConvexReactClient,
  keys: RoomKeys,
): PresenceTransport<Id<"meetings">> {
  return {
    set: (args) => client.mutation(api.presence.set, args),
    leave: (args) => client.mutation(api.presence.leave, args),
    subscribe: (args, onResult, onError) =>
      keyedSubscription(
        keys,
        (roomKey, onAnswer) =>
          follow(client.watchQuery(api.presence.list, { ...args, roomKey }), onAnswer, onError),
        onResult,
      ),
  };
}
