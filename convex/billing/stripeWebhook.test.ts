/**
 * Stripe webhooks move orgs between plans: events signed with the endpoint's
 * test secret (by the `stripe` package's own test-header signer, exactly
 * Stripe's scheme) apply; forged, tampered, stale, oversize and replayed ones
 * change nothing; out-of-order events do not undo newer ones.
 */
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { as, person } from "../../tests/core/identities";
import { makeConvex, type TestBackend } from "../../tests/harness/convex";
import { api } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { MAX_STRIPE_BODY_BYTES } from "./stripeWebhook";

const SECRET = "whsec_test_connvo_orgs";
const PATH = "/billing/stripe/webhook";
let seq = 0;

beforeEach(() => {
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** A Stripe subscription event as Stripe's API (2025 versions) sends it. */
function subscriptionEvent(opts: {
  type:
    | "customer.subscription.created"
    | "customer.subscription.updated"
    | "customer.subscription.deleted";
  org?: string;
  customer?: string;
  status?: string;
  lookupKey?: string;
  createdSec?: number;
  id?: string;
}) {
  seq++;
  const created = opts.createdSec ?? Math.floor(Date.now() / 1000) + seq;
  return {
    id: opts.id ?? `evt_test_${seq}`,
    object: "event",
    api_version: "2025-09-30.clover",
    created,
    type: opts.type,
    livemode: false,
    data: {
      object: {
        id: "sub_test_1",
        object: "subscription",
        customer: opts.customer ?? "cus_test_1",
        status: opts.status ?? "active",
        metadata: opts.org ? { org_id: opts.org } : {},
        items: {
          object: "list",
          data: [
            {
              id: "si_1",
              current_period_end: created + 30 * 86400,
              price: { id: "price_123", lookup_key: opts.lookupKey ?? "pro", metadata: {} },
            },
          ],
        },
      },
    },
  };
}

async function post(
  t: TestBackend,
  event: unknown,
  sign: { secret?: string; timestamp?: number; body?: string } = {},
) {
  const payload = JSON.stringify(event);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: sign.secret ?? SECRET,
    ...(sign.timestamp !== undefined ? { timestamp: sign.timestamp } : {}),
  });
  const res = await t.fetch(PATH, {
    method: "POST",
    headers: { "stripe-signature": header, "content-type": "application/json" },
    body: sign.body ?? payload,
  });
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: string } };
}

async function acme(t: TestBackend) {
  const ada = as(t, { ...person("Ada"), role: "admin" });
  await ada.mutation(api.users.ensure, {});
  const [org] = await ada.query(api.orgs.members.mine, {});
  return { ada, orgId: org!.orgId as Id<"orgs"> };
}

const planOf = async (t: TestBackend, orgId: Id<"orgs">) =>
  (
    await as(t, { ...person("Ada"), role: "admin" }).query(api.billing.entitlements.forOrg, {
      orgId,
    })
  ).entitlements;

describe("Stripe webhooks", () => {
  test("a signed subscription event moves the org to pro, deletion moves it back to free", async () => {
    const t = makeConvex();
    const { orgId } = await acme(t);
    expect((await planOf(t, orgId)).plan).toBe("free");
    const up = await post(
      t,
      subscriptionEvent({ type: "customer.subscription.created", org: "org_acme" }),
    );
    expect(up).toEqual({ status: 200, body: { received: true, outcome: "applied: pro" } });
    expect(await planOf(t, orgId)).toMatchObject({
      plan: "pro",
      callProvider: "getstream",
      recording: true,
    });
    // Later events find the org by the linked customer (no metadata needed).
    const down = await post(t, subscriptionEvent({ type: "customer.subscription.deleted" }));
    expect(down.body.outcome).toBe("applied: free");
    expect(await planOf(t, orgId)).toMatchObject({ plan: "free", callProvider: "webrtc" });
    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("auditLog")
        .withIndex("by_org_at", (q) => q.eq("orgId", orgId))
        .collect(),
    );
    expect(audit.map((a) => a.detail)).toEqual([
      expect.stringMatching(
        /^none \(free\) → pro\/active; entitles pro \(stripe customer\.subscription\.created/,
      ),
      expect.stringMatching(/^pro\/active → pro\/canceled; entitles free/),
    ]);
  });

  test("past_due keeps the plan through the grace; unpaid drops to free", async () => {
    const t = makeConvex();
    const { orgId } = await acme(t);
    await post(t, subscriptionEvent({ type: "customer.subscription.created", org: "org_acme" }));
    await post(t, subscriptionEvent({ type: "customer.subscription.updated", status: "past_due" }));
    expect((await planOf(t, orgId)).plan).toBe("pro");
    await post(t, subscriptionEvent({ type: "customer.subscription.updated", status: "unpaid" }));
    expect((await planOf(t, orgId)).plan).toBe("free");
  });

  test("forged, tampered, stale, unsigned and oversize requests are refused and change nothing", async () => {
    const t = makeConvex();
    const { orgId } = await acme(t);
    const ev = subscriptionEvent({ type: "customer.subscription.created", org: "org_acme" });
    expect((await post(t, ev, { secret: "whsec_attacker" })).status).toBe(400);
    const tampered = JSON.stringify({ ...ev, id: "evt_other" });
    expect((await post(t, ev, { body: tampered })).status).toBe(400);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect((await post(t, ev, { timestamp: tenMinutesAgo })).status).toBe(400);
    const unsigned = await t.fetch(PATH, { method: "POST", body: JSON.stringify(ev) });
    expect(unsigned.status).toBe(400);
    const huge = { ...ev, pad: "x".repeat(MAX_STRIPE_BODY_BYTES) };
    expect((await post(t, huge)).status).toBe(413);
    expect((await planOf(t, orgId)).plan).toBe("free");
    const events = await t.run(async (ctx) => ctx.db.query("billingEvents").collect());
    expect(events).toEqual([]);
  });

  test("webhooks are refused while no secret is configured", async () => {
    const t = makeConvex();
    vi.stubEnv("STRIPE_WEBHOOK_SECRET", "");
    const r = await post(
      t,
      subscriptionEvent({ type: "customer.subscription.created", org: "org_acme" }),
    );
    expect(r.status).toBe(503);
  });

  test("a replayed event id changes nothing; an older event arriving late is ignored", async () => {
    const t = makeConvex();
    const { orgId } = await acme(t);
    const now = Math.floor(Date.now() / 1000);
    const upgrade = subscriptionEvent({
      type: "customer.subscription.created",
      org: "org_acme",
      createdSec: now - 100,
    });
    const cancel = subscriptionEvent({ type: "customer.subscription.deleted", createdSec: now });
    await post(t, upgrade);
    await post(t, cancel);
    expect((await planOf(t, orgId)).plan).toBe("free");
    expect((await post(t, upgrade)).body.outcome).toBe("duplicate");
    const late = subscriptionEvent({
      type: "customer.subscription.updated",
      createdSec: now - 50,
    });
    expect((await post(t, late)).body.outcome).toBe("ignored: stale");
    expect((await planOf(t, orgId)).plan).toBe("free");
  });

  test("events for unknown orgs or prices are recorded and ignored", async () => {
    const t = makeConvex();
    const { orgId } = await acme(t);
    const noOrg = subscriptionEvent({
      type: "customer.subscription.created",
      customer: "cus_nobody",
    });
    expect((await post(t, noOrg)).body.outcome).toMatch(/^ignored: no org/);
    const badPrice = subscriptionEvent({
      type: "customer.subscription.created",
      org: "org_acme",
      lookupKey: "platinum",
    });
    expect((await post(t, badPrice)).body.outcome).toBe("ignored: the price names no plan");
    expect((await planOf(t, orgId)).plan).toBe("free");
  });

  test("a price id configured as STRIPE_PRICE_PRO names the plan", async () => {
    const t = makeConvex();
    vi.stubEnv("STRIPE_PRICE_PRO", "price_123");
    const { orgId } = await acme(t);
    const ev = subscriptionEvent({
      type: "customer.subscription.created",
      org: "org_acme",
      lookupKey: "monthly",
    });
    expect((await post(t, ev)).body.outcome).toBe("applied: pro");
    expect((await planOf(t, orgId)).plan).toBe("pro");
  });
});
