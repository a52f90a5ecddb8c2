/**
 * Ephemeral awareness for the notes editor (cursors, selections, name,
 * colour): one bounded row per connected Yjs client, expiring after a TTL.
 * Not events — nothing here is part of the meeting's history.
 *
 * Only a Yjs client id registered to the caller (`notes.registerClient`) may
 * publish, so nobody can move someone else's cursor.
 */
import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { checkMeetingAccess } from "./lib/access";
import { roomQuery, userMutation } from "./lib/functions";
import { isCount, yjsClientId } from "./lib/numbers";
import { refused, resultValidator } from "./lib/results";
import { registration } from "./notes/push";

/** Why 30 s: clients heartbeat every 10 s; three missed beats mean the tab is gone. */
export const PRESENCE_TTL_MS = 30_000;
/** Why 2 KiB: a name, a colour and two relative positions fit in a few hundred bytes. */
export const MAX_PRESENCE_STATE_BYTES = 2048;
/** Why 64: more live cursors than that in one meeting's notes is noise; bounds the query. */
export const MAX_PRESENCE_PER_MEETING = 64;
/** Why: the sweep deletes in bounded batches to stay far from transaction limits. */
const SWEEP_BATCH = 256;

const setArgs = {
  meetingId: v.id("meetings"),
  clientId: v.number(),
  clock: v.number(),
  state: v.string(),
};
/** Publish (or refresh) the caller's awareness state for one of its Yjs clients. */
export const set = userMutation({
  args: setArgs,
  returns: resultValidator({}),
  handler: async (ctx, raw) => {
    const access = await checkMeetingAccess(ctx, raw.meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    const clientId = yjsClientId(raw.clientId);
    if (clientId === null) {
      return refused("VALIDATION_ERROR", "a Yjs client id is an unsigned 32-bit integer");
    }
    if (!isCount(raw.clock)) {
      return refused("VALIDATION_ERROR", "the awareness clock is a non-negative integer");
    }
    if (raw.state.length > MAX_PRESENCE_STATE_BYTES) {
      return refused("VALIDATION_ERROR", `awareness state over ${MAX_PRESENCE_STATE_BYTES} bytes`);
    }
    if (!isJson(raw.state)) return refused("VALIDATION_ERROR", "the awareness state is not JSON");
    const args = { ...raw, clientId };
    const reg = await registration(ctx, args.meetingId, args.clientId);
    if (!reg || reg.actor !== (ctx.user._id as string)) {
      return refused("FORBIDDEN", `Yjs client ${args.clientId} is not registered to you`);
    }
    const now = Date.now();
    const existing = await ctx.db
      .query("notePresence")
      .withIndex("by_meeting_client", (q) =>
        q.eq("meetingId", args.meetingId).eq("clientId", args.clientId),
      )
      .unique();
    const row = {
      state: args.state,
      clock: args.clock,
      updatedAt: now,
      expiresAt: now + PRESENCE_TTL_MS,
    };
    if (existing) await ctx.db.patch("notePresence", existing._id, row);
    else {
      await ctx.db.insert("notePresence", {
        meetingId: args.meetingId,
        clientId: args.clientId,
        actor: ctx.user._id,
        ...row,
      });
    }
    return { ok: true as const };
  },
});

/** Remove the caller's awareness state (tab closed, editor unmounted). */
export const leave = userMutation({
  args: { meetingId: v.id("meetings"), clientId: v.number() },
  returns: resultValidator({}),
  handler: async (ctx, { meetingId, clientId: raw }) => {
    const clientId = yjsClientId(raw);
    if (clientId === null) return { ok: true as const };
    const existing = await ctx.db
      .query("notePresence")
      .withIndex("by_meeting_client", (q) => q.eq("meetingId", meetingId).eq("clientId", clientId))
      .unique();
    if (existing && existing.actor === (ctx.user._id as string))
      await ctx.db.delete("notePresence", existing._id);
    return { ok: true as const };
  },
});

/** Live awareness entries of a meeting (not expired), newest first, bounded (room key, no auth). */
export const list = roomQuery({
  args: {},
  returns: resultValidator({
    entries: v.array(v.object({ clientId: v.number(), clock: v.number(), state: v.string() })),
  }),
  handler: async (ctx, { meetingId }) => {
    if (!ctx.room.ok) return refused(ctx.room.code, ctx.room.message);
    const rows = await ctx.db
      .query("notePresence")
      .withIndex("by_meeting_expires", (q) =>
        q.eq("meetingId", meetingId).gt("expiresAt", Date.now()),
      )
      .order("desc")
      .take(MAX_PRESENCE_PER_MEETING);
    return {
      ok: true as const,
      entries: rows.map((r) => ({ clientId: r.clientId, clock: r.clock, state: r.state })),
    };
  },
});

/** Delete expired presence rows (run from a cron; reschedules while more remain). */
export const sweep = internalMutation({
  args: {},
  returns: v.object({ deleted: v.number() }),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("notePresence")
      .withIndex("by_expires", (q) => q.lt("expiresAt", Date.now()))
      .take(SWEEP_BATCH);
    for (const r of rows) await ctx.db.delete("notePresence", r._id);
    return { deleted: rows.length };
  },
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
