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

/** A {@link NotesTransport} backed by `client`. */
export function convexNotesTransport(client: ConvexReactClient): NotesTransport<Id<"meetings">> {
  return {
    connection: convexConnection(client),
    registerClient: (args) => client.mutation(api.notes.registerClient, args),
    push: (args) => client.mutation(api.notes.push, args),
    bootstrap: (args) => client.query(api.notes.bootstrap, args),
    resync: (args) => client.query(api.notes.resync, args),
    subscribePull: (args, onResult, onError) =>
      follow(client.watchQuery(api.notes.pull, args), onResult, onError),
  };
}

/** A {@link PresenceTransport} (carets and who is here) backed by `client`. */
export function convexPresenceTransport(
  client: ConvexReactClient,
): PresenceTransport<Id<"meetings">> {
  return {
    set: (args) => client.mutation(api.presence.set, args),
    leave: (args) => client.mutation(api.presence.leave, args),
    subscribe: (args, onResult, onError) =>
      follow(client.watchQuery(api.presence.list, args), onResult, onError),
  };
}
