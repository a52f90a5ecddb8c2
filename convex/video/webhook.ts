/**
 * `POST /getstream/webhook`: GetStream Video's signed events. Before anything
 * is parsed or written: the body is read within its cap and gunzipped within
 * the inflation cap (`webhookBody.ts`), `X-API-KEY` must name our app, and
 * `X-SIGNATURE` must be the HMAC-SHA256 of the uncompressed body with the API
 * secret (constant-time compare). `X-WEBHOOK-ID` (the delivery's id, the same
 * on GetStream's retries) refuses replays: each id is applied once.
 *
 * Answers: 200 applied / ignored / duplicate (GetStream stops retrying), 400
 * bad signature, key, id or body, 413 too large (or inflating past the cap),
 * 415 an encoding other than gzip, 503 GetStream not configured.
 */
import { internal } from "../_generated/api";
import { env, httpAction } from "../_generated/server";
import { readGetStreamConfig } from "../lib/getstream";
import { constantTimeEqual } from "../lib/webhookHmac";
import { parseStreamEvent } from "./streamEvents";
import { readWebhookBody, verifyGetStreamSignature } from "./webhookBody";

/** Why 128: GetStream's webhook ids are UUIDs; the id becomes part of an event's idempotency key. */
const MAX_WEBHOOK_ID = 128;

const json = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The webhook endpoint. */
export const getStreamWebhook = httpAction(async (ctx, request) => {
  const config = readGetStreamConfig(env);
  if (!config)
    return json(503, {
      error: "GetStream is not configured: set GETSTREAM_API_KEY and GETSTREAM_API_SECRET",
    });
  const body = await readWebhookBody(request);
  if (!body.ok) return json(body.status, { error: body.error });
  const apiKey = request.headers.get("x-api-key") ?? "";
  if (!constantTimeEqual(apiKey, config.apiKey))
    return json(400, { error: "X-API-KEY does not name this app" });
  const signature = request.headers.get("x-signature");
  if (!signature) return json(400, { error: "missing X-SIGNATURE" });
  if (!(await verifyGetStreamSignature(body.bytes, signature, config.apiSecret)))
    return json(400, { error: "signature verification failed" });
  const webhookId = (request.headers.get("x-webhook-id") ?? "").trim();
  if (webhookId.length === 0 || webhookId.length > MAX_WEBHOOK_ID)
    return json(400, { error: `X-WEBHOOK-ID must be 1–${MAX_WEBHOOK_ID} characters` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body.bytes));
  } catch {
    return json(400, { error: "not JSON" });
  }
  const event = parseStreamEvent(parsed);
  if (!event) return json(400, { error: "not a GetStream event" });
  const { outcome } = await ctx.runMutation(internal.video.webhookEvents.apply, {
    webhookId,
    event,
  });
  return json(200, { received: true, outcome });
});
