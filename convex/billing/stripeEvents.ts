/**
 * Stripe events → subscription changes. The HTTP action (`stripeWebhook.ts`)
 * verifies the signature and parses the event with {@link parseStripeEvent}
 * (pure); {@link apply} records the event id (a replay changes nothing) and
 * moves the org between plans through `applySubscription`.
 *
 * Which org: `metadata.org_id` on the subscription (or `client_reference_id`
 * of a Checkout Session) is the WorkOS org id; otherwise the Stripe customer
 * the org was linked to. Which plan: the price's `metadata.plan`, else its
 * `lookup_key`, else `STRIPE_PRICE_<PLAN>` (a price id) from the environment.
 */
import { type Infer, v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import { env, internalMutation } from "../_generated/server";
import { ensureOrg } from "../lib/orgAccess";
import { isPlanKey, PLAN_KEYS, type PlanKey, type SubscriptionStatus } from "./plans";
import { applySubscription } from "./subscriptions";

const STATUSES: readonly SubscriptionStatus[] = [
  "active",
  "trialing",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
  "incomplete_expired",
  "paused",
];

/** The parts of a Stripe event this app uses (validated). */
export const parsedStripeEvent = v.object({
  eventId: v.string(),
  type: v.string(),
  createdMs: v.number(),
  customerId: v.optional(v.string()),
  orgExternalId: v.optional(v.string()),
  subscription: v.optional(
    v.object({
      id: v.string(),
      status: v.string(),
      plan: v.optional(v.string()),
      currentPeriodEnd: v.optional(v.number()),
    }),
  ),
});
/** A parsed Stripe event. */
export type ParsedStripeEvent = Infer<typeof parsedStripeEvent>;

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | undefined =>
  typeof x === "object" && x !== null && !Array.isArray(x) ? (x as Json) : undefined;
const str = (x: unknown): string | undefined =>
  typeof x === "string" && x.length > 0 && x.length <= 255 ? x : undefined;
const num = (x: unknown): number | undefined =>
  typeof x === "number" && Number.isFinite(x) ? x : undefined;
const idOf = (x: unknown): string | undefined => str(x) ?? str(obj(x)?.id);

/** The plan a Stripe price stands for, if any. */
export function planOfPrice(
  price: Json | undefined,
  priceIds: Partial<Record<PlanKey, string>>,
): PlanKey | undefined {
  if (!price) return undefined;
  const named = str(obj(price.metadata)?.plan) ?? str(price.lookup_key);
  if (named && isPlanKey(named)) return named;
  const id = str(price.id);
  return PLAN_KEYS.find((p) => id !== undefined && priceIds[p] === id);
}

/** Price ids per plan from `STRIPE_PRICE_<PLAN>` (e.g. `STRIPE_PRICE_PRO=price_…`). */
export function priceIdsFromEnv(e: Record<string, string | undefined>) {
  const out: Partial<Record<PlanKey, string>> = {};
  for (const p of PLAN_KEYS) {
    const id = e[`STRIPE_PRICE_${p.toUpperCase()}`];
    if (id) out[p] = id;
  }
  return out;
}

/** Parse a verified Stripe event (pure); unknown shapes become an event with nothing to apply. */
export function parseStripeEvent(
  event: unknown,
  priceIds: Partial<Record<PlanKey, string>>,
): ParsedStripeEvent | null {
  const e = obj(event);
  const eventId = str(e?.id);
  const type = str(e?.type);
  const created = num(e?.created);
  if (!e || !eventId || !type || created === undefined) return null;
  const o = obj(obj(e.data)?.object) ?? {};
  const out: ParsedStripeEvent = { eventId, type, createdMs: created * 1000 };
  const customerId = idOf(o.customer);
  if (customerId) out.customerId = customerId;
  if (type === "checkout.session.completed") {
    const ref = str(o.client_reference_id) ?? str(obj(o.metadata)?.org_id);
    if (ref) out.orgExternalId = ref;
    return out;
  }
  if (type.startsWith("customer.subscription.")) {
    const ref = str(obj(o.metadata)?.org_id);
    if (ref) out.orgExternalId = ref;
    const items = obj(o.items)?.data;
    const first = Array.isArray(items) ? obj(items[0]) : undefined;
    const plan = planOfPrice(obj(first?.price), priceIds);
    const end = num(o.current_period_end) ?? num(first?.current_period_end);
    const id = str(o.id);
    const status = str(o.status);
    if (id && status)
      out.subscription = {
        id,
        status: type === "customer.subscription.deleted" ? "canceled" : status,
        ...(plan ? { plan } : {}),
        ...(end !== undefined ? { currentPeriodEnd: end * 1000 } : {}),
      };
  }
  return out;
}

/** Record and apply one verified, parsed Stripe event. */
export const apply = internalMutation({
  args: parsedStripeEvent,
  returns: v.object({ outcome: v.string() }),
  handler: async (ctx, ev) => {
    const now = Date.now();
    const seen = await ctx.db
      .query("billingEvents")
      .withIndex("by_provider_event", (q) => q.eq("provider", "stripe").eq("eventId", ev.eventId))
      .unique();
    if (seen) return { outcome: "duplicate" };
    const record = async (outcome: string, orgId?: Doc<"orgs">["_id"]) => {
      await ctx.db.insert("billingEvents", {
        provider: "stripe",
        eventId: ev.eventId,
        type: ev.type,
        outcome,
        receivedAt: now,
        ...(orgId ? { orgId } : {}),
      });
      return { outcome };
    };
    let org = ev.orgExternalId ? await ensureOrg(ctx, ev.orgExternalId, now) : null;
    if (!org && ev.customerId) {
      org = await ctx.db
        .query("orgs")
        .withIndex("by_stripe_customer", (q) => q.eq("stripeCustomerId", ev.customerId))
        .unique();
    }
    if (!org) return await record("ignored: no org (metadata.org_id or a linked customer)");
    if (ev.customerId && org.stripeCustomerId !== ev.customerId)
      await ctx.db.patch("orgs", org._id, { stripeCustomerId: ev.customerId, updatedAt: now });
    const sub = ev.subscription;
    if (!sub) return await record(`linked customer ${ev.customerId ?? "-"}`, org._id);
    if (!sub.plan || !isPlanKey(sub.plan))
      return await record("ignored: the price names no plan", org._id);
    const status = STATUSES.find((s) => s === sub.status);
    if (!status) return await record(`ignored: unknown status ${sub.status}`, org._id);
    const r = await applySubscription(
      ctx,
      org._id,
      {
        plan: sub.plan,
        status,
        source: "stripe",
        stripeSubscriptionId: sub.id,
        ...(sub.currentPeriodEnd !== undefined ? { currentPeriodEnd: sub.currentPeriodEnd } : {}),
        eventAt: ev.createdMs,
      },
      { kind: "stripe", eventId: ev.eventId, eventType: ev.type },
      now,
    );
    return await record(r.applied ? `applied: ${r.plan}` : `ignored: ${r.reason}`, org._id);
  },
});

/** The price ids of this deployment (read by the HTTP action). */
export function deploymentPriceIds() {
  return priceIdsFromEnv(env);
}
