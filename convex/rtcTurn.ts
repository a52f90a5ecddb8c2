/**
 * ICE servers for the call (issue 14): an action mints time-limited TURN
 * credentials (TURN REST scheme, coturn `use-auth-secret`) for a joined
 * participant of a live meeting, with the STUN/TURN URLs from configuration.
 * Credentials are never stored; each mint is counted in `rtcMetrics`.
 * Without configuration the answer is `{iceServers: [], mode: "host"}`: host
 * candidates only (one machine, a LAN).
 *
 * Configuration (deployment environment): `TURN_URLS`, `TURN_SECRET`,
 * `TURN_TTL_SECONDS` (default 3600), `STUN_URLS`, `TURN_RELAY_ONLY` (`1`: relay-only
 * ICE, so peers never learn each other's addresses).
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { env, internalMutation } from "./_generated/server";
import { userAction } from "./lib/functions";
import { type Refused, refused, resultValidator } from "./lib/results";
import { checkCredentialMint } from "./lib/rtcSession";
import { type IceConfig, iceConfigFor, iceMode, readTurnConfig } from "./lib/turnCredentials";

/** Authorize a mint and count it (internal: the action's database half). */
export const recordMint = internalMutation({
  args: { meetingId: v.id("meetings"), userId: v.id("users"), mode: v.string() },
  returns: resultValidator({}),
  handler: async (ctx, { meetingId, userId, mode }) => {
    const inCall = await checkCredentialMint(ctx, meetingId, userId);
    if (!inCall.ok) return inCall;
    await ctx.db.insert("rtcMetrics", {
      meetingId,
      userId,
      kind: "turnMint",
      at: Date.now(),
      detail: mode,
    });
    return { ok: true as const };
  },
});

const iceServerView = v.object({
  urls: v.array(v.string()),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
});

/**
 * The ICE servers for the caller's peer connections in `meetingId`. Refusals:
 * RATE_LIMITED, FORBIDDEN (not a joined participant), MEETING_NOT_ACTIVE,
 * INTERNAL (the deployment's TURN configuration is malformed; the message says
 * which variable).
 */
export const iceServers = userAction({
  args: { meetingId: v.id("meetings") },
  returns: resultValidator({
    iceServers: v.array(iceServerView),
    mode: v.union(v.literal("turn"), v.literal("stun"), v.literal("host")),
    expiresAt: v.union(v.number(), v.null()),
    iceTransportPolicy: v.union(v.literal("all"), v.literal("relay")),
  }),
  handler: async (ctx, { meetingId }): Promise<({ ok: true } & IceConfig) | Refused> => {
    let config: ReturnType<typeof readTurnConfig>;
    try {
      config = readTurnConfig(env);
    } catch (e) {
      return refused("INTERNAL", `TURN is misconfigured: ${(e as Error).message}`);
    }
    const ok: { ok: true } | Refused = await ctx.runMutation(internal.rtcTurn.recordMint, {
      meetingId,
      userId: ctx.user._id,
      mode: iceMode(config),
    });
    if (!ok.ok) return ok;
    return { ok: true as const, ...(await iceConfigFor(config, ctx.user._id, Date.now())) };
  },
});
