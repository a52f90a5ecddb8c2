/**
 * The server-side half of the one call interface: which implementation a
 * meeting's call uses and how many people it admits, decided in one place
 * from the entitlement of the meeting's org. The web client's half is
 * `web/lib/call/callClient.ts` (`CallClient`); each provider named here has
 * one implementation there. `billing/callPlan.ts` reads the entitlement and
 * calls {@link decideCallPlan}; `rtcSessions` (join, callInfo) use only that.
 *
 * The free tier is the WebRTC full mesh ("mesh", signaling through
 * `rtcSessions`/`rtcSignals`). The paid tier is GetStream Video ("stream"):
 * a meeting whose org is entitled to it gets a provisioned GetStream call
 * (`video/provision.ts`); while that call is being provisioned the room waits
 * ("pending"), and when provisioning fell back (GetStream's circuit open, or
 * retries spent: the runbook) or GetStream is not configured, the meeting uses
 * the mesh, capped at what the mesh connects.
 */
import { v } from "convex/values";
import { type Refused, refused } from "./results";
import { MAX_CALL_PARTICIPANTS } from "./rtcRules";

/** The call providers (`as const` object; derived union below). */
export const CallProvider = {
  /** Free tier: WebRTC full mesh, Convex signaling, optional TURN. */
  mesh: "mesh",
  /** Paid tier: GetStream Video (its SFU), user tokens from `video.calls.join`. */
  stream: "stream",
} as const;
/** A call provider name. */
export type CallProvider = (typeof CallProvider)[keyof typeof CallProvider];

/** Validator of a provider name (extend with the union when a provider is added). */
export const callProviderValidator = v.union(
  v.literal(CallProvider.mesh),
  v.literal(CallProvider.stream),
);

/**
 * Where a meeting's paid call stands (`videoCalls.status`), or "none" when the
 * meeting has no paid call (not entitled, GetStream not configured, or started
 * before its org was).
 */
export type PaidCallStatus = "none" | "pending" | "ready" | "fallback";
/** Validator of {@link PaidCallStatus}. */
export const paidCallStatusValidator = v.union(
  v.literal("none"),
  v.literal("pending"),
  v.literal("ready"),
  v.literal("fallback"),
);

/** What limits a call: the org's plan (its `maxParticipants`) or what the provider connects. */
export type CallLimit = "plan" | "provider";
/** Validator of {@link CallLimit}. */
export const callLimitValidator = v.union(v.literal("plan"), v.literal("provider"));

/**
 * What the decision reads: the part of an org's entitlements (`billing/plans.ts`
 * `Entitlements`, structurally) about calls.
 */
export type CallEntitlement = {
  plan: string;
  callProvider: "webrtc" | "getstream";
  maxParticipants: number;
};

/** What a meeting's call is: its provider, how many people it admits, and what sets that. */
export type CallPlan = {
  provider: CallProvider;
  maxParticipants: number;
  limitedBy: CallLimit;
  plan: string;
};

/**
 * Most people each provider connects at once (the mesh's reason is at
 * `MAX_CALL_PARTICIPANTS`). Why 1,000 for GetStream: its SFU cascade carries
 * far more than any plan sells (pro: 100), so the plan is what binds there.
 */
const PROVIDER_CAPACITY: Record<CallProvider, number> = {
  mesh: MAX_CALL_PARTICIPANTS,
  stream: 1_000,
};

/**
 * Decide the call plan of a meeting from its org's entitlement and its paid
 * call's status (pure): GetStream when entitled and its call is pending or
 * ready, the mesh otherwise (free plans, fallback, nothing provisioned); and
 * the smaller of the plan's `maxParticipants` and the provider's capacity.
 * A malformed limit (not a positive integer) admits nobody rather than everyone.
 */
export function decideCallPlan(
  entitled: CallEntitlement,
  paidCall: PaidCallStatus = "none",
): CallPlan {
  const provider =
    entitled.callProvider === "getstream" && (paidCall === "pending" || paidCall === "ready")
      ? CallProvider.stream
      : CallProvider.mesh;
  const capacity = PROVIDER_CAPACITY[provider];
  const planMax = Number.isInteger(entitled.maxParticipants)
    ? Math.max(0, entitled.maxParticipants)
    : 0;
  return planMax < capacity
    ? { provider, maxParticipants: planMax, limitedBy: "plan", plan: entitled.plan }
    : { provider, maxParticipants: capacity, limitedBy: "provider", plan: entitled.plan };
}

/**
 * Whether one more person may join a call that `othersInCall` people are in
 * (pure). Over the plan's limit: ENTITLEMENT_REQUIRED (a bigger plan admits
 * more); over the provider's: CONFLICT (the call is full; wait for someone to
 * leave).
 */
export function admitToCall(plan: CallPlan, othersInCall: number): { ok: true } | Refused {
  if (othersInCall < plan.maxParticipants) return { ok: true };
  return plan.limitedBy === "plan"
    ? refused(
        "ENTITLEMENT_REQUIRED",
        `the ${plan.plan} plan allows ${plan.maxParticipants} people in a call at once, and ${othersInCall} are in it`,
      )
    : refused(
        "CONFLICT",
        `the call is full: ${plan.maxParticipants} people are in it, the most a free-tier call connects. ` +
          "You can follow the notes, transcript and chat, and join when someone leaves.",
      );
}
