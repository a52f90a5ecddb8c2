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
import { appendNoteRow, checkAgainstState, lastClientSeq, registration } from "./push";
import { loadNotesDoc } from "./state";
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
  const onState = await checkAgainstState(ctx, args.meetingId, args.update);
  if (!onState.ok) return refused("VALIDATION_ERROR", onState.message);
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
  const clientSeq = (await lastClientSeq(ctx, reg)) + 1;
  await appendNoteRow(ctx, { ...args, clientSeq });
  return { ok: true, status: "stored" };
}

/**
 * Edit the meeting's current notes on the server: `edit` runs on a doc
 * holding the server's state, with a fresh Yjs client id; whatever it changes
 * is stored as one note event of `actor`. Refuses (CONFLICT) while the log
 * holds more than one request can replay, so no edit is made on a partial doc.
 * The stored update is the edit's own transaction, so updates of other
 * clients waiting in the state on a missing dependency never ride along (N13).
 */
export async function editNotes(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  actor: string,
  edit: (doc: Y.Doc) => void,
): Promise<PushResult> {
  const { doc, done } = await loadNotesDoc(ctx, meetingId);
  try {
    if (!done) return refused("CONFLICT", "the notes projection is behind; retry shortly");
    const parts: Uint8Array[] = [];
    const own = (update: Uint8Array) => parts.push(update);
    doc.on("update", own);
    doc.transact(() => edit(doc));
    doc.off("update", own);
    if (parts.length === 0) return refused("VALIDATION_ERROR", "the edit changed nothing");
    const update = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    return await appendServerEdit(ctx, { meetingId, actor, clientId: doc.clientID, update });
  } finally {
    doc.destroy();
  }
}
