/**
 * Collaborative notes sync (issue 4): Yjs V1 updates as events.
 *
 * - `registerClient`: binds a Yjs client id to the caller for this meeting.
 * - `push`: stores one validated update per call, idempotent by
 *   `(clientId, clientSeq)`; refusals are coded results, never throws.
 * - `pull`: subscription of updates after a cursor, in commit order.
 * - `bootstrap` / `resync`: the state (or the Yjs diff against a state
 *   vector) through a cursor; pull the rest after it.
 * - `appendServerUpdate` / `importText`: server-side edits (AI, import) as
 *   ordinary events (see `notes/serverEdit.ts`).
 * The protocol and its states are described in `crdt/README.md`.
 */
import { v } from "convex/values";
import * as Y from "yjs";
import { toArrayBuffer } from "../crdt/updates";
import { NOTES_FRAGMENT } from "../projections/meetingNotes/document";
import { internalMutation } from "./_generated/server";
import { checkMeetingAccess } from "./lib/access";
import { roomQuery, userMutation } from "./lib/functions";
import { noteCursorValidator, readNoteUpdates } from "./lib/noteLog";
import { yjsClientId } from "./lib/numbers";
import { refused } from "./lib/results";
import { lastClientSeq, pushNoteUpdate, registration } from "./notes/push";
import { appendServerEdit, editNotes } from "./notes/serverEdit";
import { loadServerState, type ServerState } from "./notes/state";
import {
  pullResultValidator,
  pushResultValidator,
  registerResultValidator,
  stateResultValidator,
} from "./notes/validators";

/** Why: 256 updates per answer keeps a catching-up subscription's payload small
 * (≈ 256 × 25–2,000 B) while a live one usually carries 1–3 updates. */
export const PULL_LIMIT = 256;
/** Why: a state vector has ~2 varints per client; 64 KiB is thousands of clients. */
const MAX_STATE_VECTOR_BYTES = 64 * 1024;

const pushArgs = {
  meetingId: v.id("meetings"),
  clientId: v.number(),
  clientSeq: v.number(),
  update: v.bytes(),
};
/** Push one local update (V1) of a registered Yjs client. */
export const push = userMutation({
  args: pushArgs,
  returns: pushResultValidator,
  handler: (ctx, args) => pushNoteUpdate(ctx, args),
});

const registerArgs = { meetingId: v.id("meetings"), clientId: v.number() };
/** Register the caller's Yjs client id for this meeting (idempotent for the same caller). */
export const registerClient = userMutation({
  args: registerArgs,
  returns: registerResultValidator,
  handler: async (ctx, { meetingId, clientId: raw }) => {
    const access = await checkMeetingAccess(ctx, meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    // -0 is 0 (both are the varuint 0 inside an update): never a second registration.
    const clientId = yjsClientId(raw);
    if (clientId === null) {
      return refused("VALIDATION_ERROR", "a Yjs client id is an unsigned 32-bit integer");
    }
    const actor = ctx.user._id as string;
    const existing = await registration(ctx, meetingId, clientId);
    if (existing) {
      if (existing.actor !== actor) {
        return refused("CONFLICT", "this Yjs client id belongs to someone else; pick another");
      }
      return { ok: true as const, lastSeq: await lastClientSeq(ctx, existing) };
    }
    await ctx.db.insert("noteClients", {
      meetingId,
      clientId,
      actor,
      registeredAt: Date.now(),
      lastSeq: 0,
    });
    return { ok: true as const, lastSeq: 0 };
  },
});

const pullArgs = { after: v.union(noteCursorValidator, v.null()) };
/**
 * Updates after `after` in commit order (subscribe; re-subscribe with the new cursor).
 * Room queries (`pull`, `bootstrap`, `resync`) take the room key, not auth (`roomQuery`).
 */
export const pull = roomQuery({
  args: pullArgs,
  returns: pullResultValidator,
  handler: async (ctx, { meetingId, after }) => {
    if (!ctx.room.ok) return refused(ctx.room.code, ctx.room.message);
    const { updates, done } = await readNoteUpdates(ctx, meetingId, after, PULL_LIMIT);
    const last = updates[updates.length - 1];
    return {
      ok: true as const,
      updates: updates.map((u) => ({
        ts: u.cursor.ts,
        clientId: u.clientId,
        clientSeq: u.clientSeq,
        update: toArrayBuffer(u.update),
      })),
      cursor: last ? last.cursor : after,
      done,
    };
  },
});

/** The whole document state (V1) through a cursor, for a client with nothing. */
export const bootstrap = roomQuery({
  args: {},
  returns: stateResultValidator,
  handler: async (ctx, { meetingId }) => {
    if (!ctx.room.ok) return refused(ctx.room.code, ctx.room.message);
    return ok(await loadServerState(ctx, meetingId, null));
  },
});

/** The Yjs diff between the server's state and the caller's state vector. */
export const resync = roomQuery({
  args: { stateVector: v.bytes() },
  returns: stateResultValidator,
  handler: async (ctx, { meetingId, stateVector }) => {
    if (!ctx.room.ok) return refused(ctx.room.code, ctx.room.message);
    const sv = new Uint8Array(stateVector);
    if (sv.byteLength === 0 || sv.byteLength > MAX_STATE_VECTOR_BYTES) {
      return refused("VALIDATION_ERROR", "the state vector is empty or too large");
    }
    try {
      Y.decodeStateVector(sv);
    } catch {
      return refused("VALIDATION_ERROR", "not a Yjs state vector");
    }
    return ok(await loadServerState(ctx, meetingId, sv));
  },
});

/**
 * A server-side edit (AI, import) as an ordinary note event. `clientId` must
 * be a fresh Yjs client id (or one already registered to the same `actor`);
 * the update is validated exactly like a client's.
 */
export const appendServerUpdate = internalMutation({
  args: {
    meetingId: v.id("meetings"),
    actor: v.string(),
    clientId: v.number(),
    update: v.bytes(),
  },
  returns: pushResultValidator,
  handler: (ctx, args) => appendServerEdit(ctx, { ...args, update: new Uint8Array(args.update) }),
});

/** Import text into the TipTap document as paragraphs appended at its end (server-side edit). */
export const importText = internalMutation({
  args: { meetingId: v.id("meetings"), actor: v.string(), text: v.string() },
  returns: pushResultValidator,
  handler: (ctx, { meetingId, actor, text }) =>
    editNotes(ctx, meetingId, actor, (doc) => {
      const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
      const paragraphs = text.split("\n").map((line) => {
        const p = new Y.XmlElement("paragraph");
        if (line.length > 0) p.insert(0, [new Y.XmlText(line)]);
        return p;
      });
      fragment.insert(fragment.length, paragraphs);
    }),
});

function ok(state: ServerState) {
  return {
    ok: true as const,
    update: toArrayBuffer(state.update),
    stateVector: toArrayBuffer(state.stateVector),
    encoding: state.encoding,
    cursor: state.cursor,
    done: state.done,
  };
}
