/**
 * Ending a meeting ends its GetStream call: `meetings.end` calls
 * {@link endPaidCall} in its transaction (as it ends the free call's
 * sessions), which schedules {@link run}: GetStream's "mark ended" for the
 * call, so nobody stays connected to a meeting that is over. Retried in the
 * action on 429/5xx/timeouts (`withRetries`, 3 tries at 1 s and 2 s: a short
 * best effort; GetStream also ends a call once its last participant leaves).
 * Tokens are refused from the end on anyway (`video.calls.join` needs a live
 * meeting).
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import {
  env,
  internalAction,
  internalMutation,
  internalQuery,
  type MutationCtx,
} from "../_generated/server";
import { paidCallOf } from "../billing/callPlan";
import { getStreamClient, readGetStreamConfig } from "../lib/getstream";
import { withRetries } from "../lib/providerRetry";

/** From `meetings.end`: end the meeting's GetStream call, if it has a live one. */
export async function endPaidCall(ctx: MutationCtx, meetingId: Id<"meetings">): Promise<void> {
  const row = await paidCallOf(ctx, meetingId);
  if (row?.status === "ready" && !row.ended)
    await ctx.scheduler.runAfter(0, internal.video.endCall.run, { meetingId });
}

/** The call to end (internal). */
export const target = internalQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.union(v.object({ callType: v.string(), callId: v.string() }), v.null()),
  handler: async (ctx, { meetingId }) => {
    const row = await paidCallOf(ctx, meetingId);
    return row && !row.ended ? { callType: row.callType, callId: row.callId } : null;
  },
});

/** Record that the call ended, or why ending it failed (internal). */
export const settle = internalMutation({
  args: { meetingId: v.id("meetings"), error: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, { meetingId, error }) => {
    const row = await paidCallOf(ctx, meetingId);
    if (!row) return null;
    await ctx.db.patch(
      "videoCalls",
      row._id,
      error === undefined
        ? { ended: true, recording: false }
        : { lastError: `ending the call failed: ${error}` },
    );
    return null;
  },
});

/** Mark the call ended at GetStream. */
export const run = internalAction({
  args: { meetingId: v.id("meetings") },
  returns: v.null(),
  handler: async (ctx, { meetingId }) => {
    const config = readGetStreamConfig(env);
    const call = await ctx.runQuery(internal.video.endCall.target, { meetingId });
    if (!config || !call) return null;
    const client = getStreamClient(config);
    const first = Number(env.GETSTREAM_RETRY_BACKOFF_MS);
    try {
      await withRetries(() => client.endCall(call.callType, call.callId), {
        attempts: 3,
        baseMs: Number.isFinite(first) && first >= 1 ? first : 1_000,
        maxMs: 5_000,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      });
    } catch (e) {
      await ctx.runMutation(internal.video.endCall.settle, {
        meetingId,
        error: (e as Error).message.slice(0, 500),
      });
      return null;
    }
    await ctx.runMutation(internal.video.endCall.settle, { meetingId });
    return null;
  },
});
