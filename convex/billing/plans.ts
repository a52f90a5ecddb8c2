/**
 * The plan catalogue and the pure derivation of an org's entitlements from
 * its subscription. Adding a plan is one entry in {@link PLANS} (and its
 * literal in `tables/billing.ts`); everything else reads entitlements, never
 * plan names.
 *
 * No clock, no ctx: time arrives as data (`now`).
 */
import { MAX_CALL_PARTICIPANTS } from "../lib/rtcRules";

/** Which call implementation an org's meetings use. */
export const CallProvider = { webrtc: "webrtc", getstream: "getstream" } as const;
export type CallProvider = (typeof CallProvider)[keyof typeof CallProvider];

/** The AI capabilities a plan may include (the same names as the AI flags). */
export type AiFeature = "precall" | "incall" | "insights";

/** What an org may do. */
export type Entitlements = {
  plan: PlanKey;
  callProvider: CallProvider;
  recording: boolean;
  /**
   * People in the call at once; enforced where a call is joined
   * (`rtcSessions.join` through `billing/callPlan.ts`), never above what the
   * call provider connects (the WebRTC mesh: `MAX_CALL_PARTICIPANTS`).
   */
  maxParticipants: number;
  /** People in a meeting (invited or joined, not removed; host included); enforced on invite. */
  maxMeetingSize: number;
  aiFeatures: AiFeature[];
  /** Transcribed minutes per calendar month (UTC), metered in `usage.ts`. */
  transcriptionMinutesPerMonth: number;
};

/** The plans. */
export const PLANS = {
  /**
   * Free: the WebRTC full mesh (the design caps it at 6), no recording, AI
   * included (the product's default), an hour of transcription a month.
   */
  free: {
    callProvider: CallProvider.webrtc,
    recording: false,
    maxParticipants: MAX_CALL_PARTICIPANTS,
    maxMeetingSize: 25,
    aiFeatures: ["precall", "incall", "insights"],
    transcriptionMinutesPerMonth: 60,
  },
  /** Pro: GetStream Video with recording, larger meetings, 50 hours of transcription. */
  pro: {
    callProvider: CallProvider.getstream,
    recording: true,
    maxParticipants: 100,
    maxMeetingSize: 100,
    aiFeatures: ["precall", "incall", "insights"],
    transcriptionMinutesPerMonth: 3_000,
  },
} as const satisfies Record<string, Omit<Entitlements, "plan">>;
/** A plan name. */
export type PlanKey = keyof typeof PLANS;
/** Every plan name, for validation. */
export const PLAN_KEYS = Object.keys(PLANS) as PlanKey[];

/** Subscription states, as Stripe names them. */
export type SubscriptionStatus =
  | "active"
  | "trialing"
  | "past_due"
  | "unpaid"
  | "canceled"
  | "incomplete"
  | "incomplete_expired"
  | "paused";

/** The part of a subscription the derivation reads. */
export type SubscriptionFacts = {
  plan: PlanKey;
  status: SubscriptionStatus;
  /** End of the paid period (ms); absent for operator grants without an end. */
  currentPeriodEnd?: number;
};

/**
 * Grace after a failed payment: a `past_due` subscription keeps its plan
 * until its period ends plus this (Stripe retries the card meanwhile).
 */
export const PAST_DUE_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

/** The plan an org effectively has: paid plans only while the subscription is in good standing. */
export function effectivePlan(sub: SubscriptionFacts | null, now: number): PlanKey {
  if (!sub) return "free";
  switch (sub.status) {
    case "active":
    case "trialing":
      return sub.currentPeriodEnd === undefined || now < sub.currentPeriodEnd + PAST_DUE_GRACE_MS
        ? sub.plan
        : "free";
    case "past_due":
      return sub.currentPeriodEnd !== undefined && now < sub.currentPeriodEnd + PAST_DUE_GRACE_MS
        ? sub.plan
        : "free";
    default:
      return "free";
  }
}

/** The entitlements of a plan. */
export function entitlementsOf(plan: PlanKey): Entitlements {
  const p = PLANS[plan];
  return { plan, ...p, aiFeatures: [...p.aiFeatures] };
}

/** An org's entitlements from its subscription (none = free; migrated orgs start here). */
export function deriveEntitlements(sub: SubscriptionFacts | null, now: number): Entitlements {
  return entitlementsOf(effectivePlan(sub, now));
}

/** Whether `x` names a plan. */
export function isPlanKey(x: string): x is PlanKey {
  return Object.hasOwn(PLANS, x);
}
