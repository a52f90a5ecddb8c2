/**
 * The notes and presence transports over the unmodified `ConvexClient` (the same shape as
 * web/lib/notesTransport.ts over React's client). No Node-only imports: the browser
 * benchmark bundles this file too.
 */
import type { ConvexClient } from "convex/browser";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { NotesTransport, PresenceTransport } from "../../crdt/transport";

/** The notes transport over a `ConvexClient`. */
export function clientNotesTransport(client: ConvexClient): NotesTransport<Id<"meetings">> {
  return {
    registerClient: (args) => client.mutation(api.notes.registerClient, args),
    push: (args) => client.mutation(api.notes.push, args),
    bootstrap: (args) => client.query(api.notes.bootstrap, args),
    resync: (args) => client.query(api.notes.resync, args),
    subscribePull(args, onResult, onError) {
      return client.onUpdate(api.notes.pull, args, onResult, onError);
    },
  };
}

/** The presence transport over a `ConvexClient`. */
export function clientPresenceTransport(client: ConvexClient): PresenceTransport<Id<"meetings">> {
  return {
    set: (args) => client.mutation(api.presence.set, args),
    leave: (args) => client.mutation(api.presence.leave, args),
    subscribe: (args, onResult, onError) =>
      client.onUpdate(api.presence.list, args, onResult, onError),
  };
}
