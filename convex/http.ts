/**
 * HTTP routes (Convex HTTP actions). Each provider's webhook verifies its
 * signature over the raw body before anything is read or written.
 */
import { httpRouter } from "convex/server";
import { stripeWebhook } from "./billing/stripeWebhook";
import { getStreamWebhook } from "./video/webhook";

const http = httpRouter();

http.route({ path: "/billing/stripe/webhook", method: "POST", handler: stripeWebhook });
http.route({ path: "/getstream/webhook", method: "POST", handler: getStreamWebhook });

export default http;
