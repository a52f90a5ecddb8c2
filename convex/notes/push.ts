/**
 * The one append path of note updates (client pushes and server-side edits):
 * validate on a scratch doc, check client-id ownership, apply to a copy of
 * the current state under the editor's schema, de-duplicate by
 * `(clientId, clientSeq)` (a reused key with other content is CONFLICT),
 * store one row through `lib/events.ts`, kick the projectors, and
 * occasionally schedule sealing. Rules N1–N3, N12 of `crdt/SPEC.md`.
 */
import { MAX_UPDATE_BYTES, toArrayBuffer, validateUpdate } from "../../crdt/updates";
import { toStoredNoteUpdate } from "../../projections/events/notes";
import { applyChecked, type CheckedApply } from "../../projections/meetingNotes/applyChecked";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import { checkMeetingAccess } from "../lib/access";
import { appendEvent } from "../lib/events";
import { yjsClientId } from "../lib/numbers";
import { limitNotePush } from "../lib/rateLimits";
import { refused } from "../lib/results";
import { kickProjectors } from "../projectors/kick";
import { loadNotesDoc } from "./state";
import type { PushResult } from "./validators";

/** Why: sealing is checked every 64 pushes of a client — often enough to keep
 * the raw tail short, rare enough not to add a scheduled call per keystroke batch. */
export const SEAL_CHECK_EVERY = 64;

/**
 * Name of the deployment environment variable that turns the per-identity push
 * limit off when set to `"off"`. Only for load replays (`npm run trace`,
 * bench/), which push a whole editing history back to back; never set it on a
 * deployment people use.
 */
export const PUSH_LIMIT_ENV = "NOTES_PUSH_LIMIT";

function pushLimitDisabled(): boolean {
  return env[PUSH_LIMIT_ENV] === "off";
}

/** Arguments of a client push. */
export type PushArgs = {
  meetingId: Id<"meetings">;
  clientId: number;
  clientSeq: number;
  update: ArrayBuffer;
};

/**
 * Handle `notes.push` for the authenticated caller. Refusals are results (a
 * throw would roll back the spent rate-limit token).
 */
export async function pushNoteUpdate(
  ctx: MutationCtx & { user: Doc<"users"> },
  args: PushArgs,
): Promise<PushResult> {
  // Spend a token first, so floods of bad input are limited too.
  if (!pushLimitDisabled()) {
    const limit = await limitNotePush(ctx, ctx.user);
    if (!limit.ok) return limit;
  }
  const access = await checkMeetingAccess(ctx, args.meetingId, "write");
  if (!access.ok) return refused(access.code, access.message);
  const actor = ctx.user._id as string;
  const clientId = yjsClientId(args.clientId);
  if (clientId === null) {
    return refused("VALIDATION_ERROR", "a Yjs client id is an unsigned 32-bit integer");
  }
  if (!Number.isSafeInteger(args.clientSeq) || args.clientSeq < 1) {
    return refused("VALIDATION_ERROR", "clientSeq must be a positive integer");
  }
  const reg = await registration(ctx, args.meetingId, clientId);
  if (!reg || reg.actor !== actor) {
    return refused("FORBIDDEN", `Yjs client ${clientId} is not registered to you`);
  }
  const lastSeq = await lastClientSeq(ctx, reg);
  const bytes = new Uint8Array(args.update);
  const checked = validateUpdate(bytes, { maxBytes: MAX_UPDATE_BYTES });
  if (!checked.ok) {
    return refused(
      checked.reason === "FOREIGN_CLIENT" ? "FORBIDDEN" : "VALIDATION_ERROR",
      checked.message,
    );
  }
  const onState = await checkAgainstState(ctx, args.meetingId, bytes);
  if (args.clientSeq <= lastSeq) {
    // A retry of a stored push changes nothing (so stores nothing, whoever's structs it holds);
    // new content under a used key would be lost.
    if (onState.ok && !onState.changed) return { ok: true, status: "duplicate" };
    return refused(
      "CONFLICT",
      `clientSeq ${args.clientSeq} of Yjs client ${clientId} was already used for other content`,
    );
  }
  for (const id of checked.clientIds) {
    const owner = id === clientId ? reg : await registration(ctx, args.meetingId, id);
    if (!owner || owner.actor !== actor) {
      return refused("FORBIDDEN", `the update carries Yjs client id ${id}, not registered to you`);
    }
  }
  if (!onState.ok) return refused("VALIDATION_ERROR", onState.message);
  // No write to the registration: the row appended here is what acknowledges clientSeq.
  await appendNoteRow(ctx, {
    meetingId: args.meetingId,
    actor,
    clientId,
    clientSeq: args.clientSeq,
    update: bytes,
  });
  if (args.clientSeq % SEAL_CHECK_EVERY === 0) {
    await ctx.scheduler.runAfter(0, internal.notes.seal.sealMeeting, { meetingId: args.meetingId });
  }
  return { ok: true, status: "stored" };
}

/**
 * Apply `update` to a copy of the meeting's current notes and check what
 * every reader will do with it (rule N12): it applies, and the editor's
 * schema holds. Also tells whether it changes anything (a re-sent update does not).
 */
export async function checkAgainstState(
  ctx: QueryCtx,
  meetingId: Id<"meetings">,
  update: Uint8Array,
): Promise<CheckedApply> {
  const { doc } = await loadNotesDoc(ctx, meetingId);
  try {
    return applyChecked(doc, update);
  } finally {
    doc.destroy();
  }
}

/** Append one already-validated note update through the one append path (kicks the projectors). */
export async function appendNoteRow(
  ctx: MutationCtx,
  row: {
    meetingId: Id<"meetings">;
    actor: string;
    clientId: number;
    clientSeq: number;
    update: Uint8Array;
  },
): Promise<void> {
  await appendEvent(
    ctx,
    "noteUpdates",
    {
      meetingId: row.meetingId,
      actor: row.actor,
      at: Date.now(),
      ...toStoredNoteUpdate(row),
      clientId: row.clientId,
      clientSeq: row.clientSeq,
      update: toArrayBuffer(row.update),
    },
    kickProjectors,
  );
}

/**
 * The highest `clientSeq` acknowledged for a registered client: its newest raw
 * `noteUpdates` row, or what left the raw log (`lastSeq`, which sealing and
 * retention raise in the transaction that deletes the rows). A push writes no
 * counter (issue 20: one document less per push). Concurrent pushes of one
 * client both read the index range of its raw rows and both insert into it,
 * so Convex retries one of them, which then sees the other's row.
 */
export async function lastClientSeq(
  ctx: QueryCtx,
  reg: Pick<Doc<"noteClients">, "meetingId" | "clientId" | "lastSeq">,
): Promise<number> {
  const newest = await ctx.db
    .query("noteUpdates")
    .withIndex("by_meeting_client_seq", (q) =>
      q.eq("meetingId", reg.meetingId).eq("clientId", reg.clientId),
    )
    .order("desc")
    .first();
  return Math.max(reg.lastSeq, newest?.clientSeq ?? 0);
}

/** The registration row of a Yjs client id in a meeting, if any. */
export function registration(ctx: QueryCtx, meetingId: Id<"meetings">, clientId: number) {
  return ctx.db
    .query("noteClients")
    .withIndex("by_meeting_client", (q) => q.eq("meetingId", meetingId).eq("clientId", clientId))
    .unique();
}
