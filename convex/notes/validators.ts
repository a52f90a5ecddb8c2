/** Shared validators of the notes functions (the wire contract; see crdt/README.md). */
import { type Infer, v } from "convex/values";
import { noteCursorValidator } from "../lib/noteLog";
import { resultValidator } from "../lib/results";

/** Answer of `notes.push`: `duplicate` = stored earlier, acknowledged again. */
export const pushResultValidator = resultValidator({
  status: v.union(v.literal("stored"), v.literal("duplicate")),
});
/** Answer of `notes.push`. */
export type PushResult = Infer<typeof pushResultValidator>;

/** One remote update as delivered to clients. */
export const pulledUpdateValidator = v.object({
  ts: v.int64(),
  clientId: v.number(),
  clientSeq: v.number(),
  update: v.bytes(),
});

/** Answer of `notes.pull`: updates after the cursor, in commit order. */
export const pullResultValidator = resultValidator({
  updates: v.array(pulledUpdateValidator),
  cursor: v.union(noteCursorValidator, v.null()),
  done: v.boolean(),
});
/** Answer of `notes.pull`. */
export type PullResult = Infer<typeof pullResultValidator>;

/**
 * Answer of `notes.bootstrap` / `notes.resync`: one update holding the state
 * (or the Yjs diff against the caller's state vector) through `cursor`; when
 * `done` is false, pull after `cursor` for the rest.
 */
export const stateResultValidator = resultValidator({
  update: v.bytes(),
  /** The server's state vector through `cursor` (clients re-push what it lacks of theirs). */
  stateVector: v.bytes(),
  encoding: v.union(v.literal("v1"), v.literal("v2")),
  cursor: v.union(noteCursorValidator, v.null()),
  done: v.boolean(),
});
/** Answer of `notes.bootstrap` / `notes.resync`. */
export type StateResult = Infer<typeof stateResultValidator>;

/** Answer of `notes.registerClient`: the highest seq already stored for it. */
export const registerResultValidator = resultValidator({ lastSeq: v.number() });
/** Answer of `notes.registerClient`. */
export type RegisterResult = Infer<typeof registerResultValidator>;
