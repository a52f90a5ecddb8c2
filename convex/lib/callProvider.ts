/**
 * The server-side half of the one call interface: which implementation a
 * meeting's call uses. The web client's half is `web/lib/call/callClient.ts`
 * (`CallClient`); each provider named here has one implementation there.
 *
 * Today every meeting gets the free tier's WebRTC full mesh ("mesh", signaling
 * through `rtcSessions`/`rtcSignals`). The paid tier (GetStream Video, its own
 * issue) adds `"stream"` here, decided from the organizer's entitlement, with
 * its circuit breaker falling back to "mesh"; the client then picks the
 * matching `CallClient` from the provider returned by `rtcSessions.callInfo`.
 */
import { v } from "convex/values";
import { MAX_CALL_PARTICIPANTS } from "./rtcRules";

/** The call providers (`as const` object; derived union below). */
export const CallProvider = {
  /** Free tier: WebRTC full mesh, Convex signaling, optional TURN. */
  mesh: "mesh",
} as const;
/** A call provider name. */
export type CallProvider = (typeof CallProvider)[keyof typeof CallProvider];

/** Validator of a provider name (extend with the union when a provider is added). */
export const callProviderValidator = v.literal(CallProvider.mesh);

/** What a meeting's call is: its provider and how many people it admits. */
export type CallPlan = { provider: CallProvider; maxParticipants: number };

/** What the decision reads (the organizer's entitlement arrives with the plans issue). */
export type CallPlanInput = {
  meeting: { hostId: string; orgId?: string };
  /** The organizer's entitled provider, when plans exist; absent = free tier. */
  entitledProvider?: CallProvider;
};

/** Decide the call plan of a meeting (pure). */
export function decideCallPlan(input: CallPlanInput): CallPlan {
  switch (input.entitledProvider ?? CallProvider.mesh) {
    case CallProvider.mesh:
      return { provider: CallProvider.mesh, maxParticipants: MAX_CALL_PARTICIPANTS };
  }
}
