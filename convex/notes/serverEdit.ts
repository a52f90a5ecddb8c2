/**
 * Server-side note edits (AI summaries, imports) as ordinary note events: the
 * same validation, client-id registration (to a `system:<component>` actor)
 * and append path as a client push.
 */
import * as Y from "yjs";
import { validateUpdate } from "../../crdt/updates";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { refused } from "../lib/results";
import { appendNoteRow, registration } from "./push";
import { loadServerState } from "./state";
import type { PushResult } from "./validators";

/** Store one server-made V1 update authored by `clientId` for `actor`. */
export async function appendServerEdit(
  ctx: MutationCtx,
  args: { meetingId: Id<"meetings">; actor: string; clientId: number; update: Uint8Array },
): Promise<PushResult> {
  if (!args.actor.startsWith("system:")) {
    return refused("VALIDATION_ERROR", "server actors are named system:<component>");
  }
  const checked = validateUpdate(args.update, { allowedClientIds: (id) => id === args.clientId });
  if (!checked.ok) return refused("VALIDATION_ERROR", checked.message);
  let reg = await registration(ctx, args.meetingId, args.clientId);
  if (reg && reg.actor !== args.actor) {
    return refused("CONFLICT", "this Yjs client id belongs to someone else");
  }
  if (!reg) {
    const id = await ctx.db.insert("noteClients", {
      meetingId: args.meetingId,
      clientId: args.clientId,
      actor: args.actor,
      registeredAt: Date.now(),
      lastSeq: 0,
    });
    reg = (await ctx.db.get("noteClients", id))!;
  }
  const clientSeq = reg.lastSeq + 1;
  await ctx.db.patch("noteClients", reg._id, { lastSeq: clientSeq });
  await appendNoteRow(ctx, { ...args, clientSeq });
  return { ok: true, status: "stored" };
}

/**
 * Edit the meeting's current notes on the server: `edit` runs on a doc
 * holding the server's state, with a fresh Yjs client id; whatever it changes
 * is stored as one note event of `actor`. Refuses (CONFLICT) while the log
 * holds more than one request can replay, so no edit is made on a partial doc.
 */
export async function editNotes(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  actor: string,
  edit: (doc: Y.Doc) => void,
): Promise<PushResult> {
  const state = await loadServerState(ctx, meetingId, null);
  if (!state.done) return refused("CONFLICT", "the notes projection is behind; retry shortly");
  const doc = new Y.Doc({ gc: false });
  try {
    if (state.encoding === "v2") Y.applyUpdateV2(doc, state.update);
    else Y.applyUpdate(doc, state.update);
    const before = Y.encodeStateVector(doc);
    doc.transact(() => edit(doc));
    const update = Y.encodeStateAsUpdate(doc, before);
    return await appendServerEdit(ctx, { meetingId, actor, clientId: doc.clientID, update });
  } finally {
    doc.destroy();
  }
}
