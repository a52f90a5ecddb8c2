/**
 * Joining a meeting's paid call (GetStream Video): an action mints the
 * caller's GetStream user token (HS256 with the API secret, `{user_id}` = our
 * user id; never stored) once the server has checked the caller may be in the
 * call: a joined participant of a live meeting whose call is provisioned.
 * The web client hands it to GetStream's React SDK with the API key and the
 * call's type and id.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { env, internalMutation } from "../_generated/server";
import { callPlanOf, paidCallOf } from "../billing/callPlan";
import { userAction } from "../lib/functions";
import { readGetStreamConfig, userToken } from "../lib/getstream";
import { type Refused, refused, resultValidator } from "../lib/results";
import { checkCredentialMint } from "../lib/rtcSession";

/** Authorize a token for the caller (internal: the action's database half). */
export const authorize = internalMutation({
  args: { meetingId: v.id("meetings"), userId: v.id("users") },
  returns: resultValidator({ callType: v.string(), callId: v.string() }),
  handler: async (ctx, { meetingId, userId }) => {
    const inCall = await checkCredentialMint(ctx, meetingId, userId);
    if (!inCall.ok) return inCall;
    const plan = await callPlanOf(ctx, inCall.meeting);
    const paid = await paidCallOf(ctx, meetingId);
    if (plan.provider !== "stream" || !paid)
      return refused(
        "CONFLICT",
        "this meeting's call is the free call: join it with rtcSessions.join",
      );
    if (paid.status !== "ready")
      return refused("CONFLICT", "the call is still being set up; try again in a moment");
    return { ok: true as const, callType: paid.callType, callId: paid.callId };
  },
});

/**
 * The caller's credentials for the meeting's GetStream call. Refusals:
 * RATE_LIMITED, FORBIDDEN (not a joined participant), MEETING_NOT_ACTIVE,
 * CONFLICT (the meeting uses the free call, or its paid call is not ready yet),
 * PROVIDER_ERROR (GetStream is not configured on this deployment).
 */
export const join = userAction({
  args: { meetingId: v.id("meetings") },
  returns: resultValidator({
    apiKey: v.string(),
    callType: v.string(),
    callId: v.string(),
    userId: v.string(),
    token: v.string(),
    expiresAt: v.number(),
  }),
  handler: async (
    ctx,
    { meetingId },
  ): Promise<
    | {
        ok: true;
        apiKey: string;
        callType: string;
        callId: string;
        userId: string;
        token: string;
        expiresAt: number;
      }
    | Refused
  > => {
    const config = readGetStreamConfig(env);
    if (!config) return refused("PROVIDER_ERROR", "GetStream is not configured on this deployment");
    const ok: { ok: true; callType: string; callId: string } | Refused = await ctx.runMutation(
      internal.video.calls.authorize,
      { meetingId, userId: ctx.user._id },
    );
    if (!ok.ok) return ok;
    const minted = await userToken(config.apiSecret, ctx.user._id, Math.floor(Date.now() / 1000));
    return {
      ok: true as const,
      apiKey: config.apiKey,
      callType: ok.callType,
      callId: ok.callId,
      userId: ctx.user._id,
      ...minted,
    };
  },
});
