/**
 * `POST /billing/stripe/webhook`: Stripe's signed events. The signature
 * (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of `t.rawBody` with the
 * endpoint secret, compared in constant time, 5 min timestamp tolerance) is
 * verified over the raw body (`stripeSignature.ts`, tested against the
 * `stripe` package's own signer) before anything is parsed or written. Configure with
 * `STRIPE_WEBHOOK_SECRET` (the endpoint's `whsec_…`).
 *
 * Answers: 200 applied / ignored / duplicate (Stripe stops retrying), 400
 * bad signature or body, 413 too large, 503 not configured.
 */
import { internal } from "../_generated/api";
import { env, httpAction } from "../_generated/server";
import { deploymentPriceIds, parseStripeEvent } from "./stripeEvents";
import { verifyStripeSignature } from "./stripeSignature";

/** Why: Stripe event payloads are a few KiB; 256 KiB leaves room and refuses floods. */
export const MAX_STRIPE_BODY_BYTES = 256 * 1024;

const json = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The webhook endpoint. */
export const stripeWebhook = httpAction(async (ctx, request) => {
  const secret = env.STRIPE_WEBHOOK_SECRET;
  if (!secret) return json(503, { error: "billing webhooks are off: set STRIPE_WEBHOOK_SECRET" });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_STRIPE_BODY_BYTES) return json(413, { error: "body too large" });
  const raw = new Uint8Array(await request.arrayBuffer());
  if (raw.byteLength > MAX_STRIPE_BODY_BYTES) return json(413, { error: "body too large" });
  const signature = request.headers.get("stripe-signature");
  if (!signature) return json(400, { error: "missing Stripe-Signature" });
  const body = new TextDecoder().decode(raw);
  if (!(await verifyStripeSignature(body, signature, secret, Math.floor(Date.now() / 1000))))
    return json(400, { error: "signature verification failed" });
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return json(400, { error: "not JSON" });
  }
  const parsed = parseStripeEvent(event, deploymentPriceIds());
  if (!parsed) return json(400, { error: "not a Stripe event" });
  const { outcome } = await ctx.runMutation(internal.billing.stripeEvents.apply, parsed);
  return json(200, { received: true, outcome });
});
