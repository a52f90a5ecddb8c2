/**
 * The one place the app calls an LLM: an internal action that sends one
 * chat-completions request (`projections/ai/chatClient.ts`), wrapped in a
 * read-through cache (`@convex-dev/action-cache`, keyed by the request, so the
 * same input within 24 h is answered once) and run by actions only (never a
 * query or mutation). Jobs that use it are retried by `@convex-dev/action-retrier`
 * (`retrier` below); what a retry cannot fix falls back to the local
 * providers in the callers.
 */
import { ActionCache } from "@convex-dev/action-cache";
import { ActionRetrier } from "@convex-dev/action-retrier";
import { v } from "convex/values";
import { type ChatRequest, callChat, ProviderError } from "../../projections/ai/chatClient";
import { components, internal } from "../_generated/api";
import { type ActionCtx, internalAction } from "../_generated/server";
import { type AiCapability, providerFor } from "./config";

/** Why: the design caches AI answers for a day; inputs that change get a new key anyway. */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Why: 4 tries with 1 s, 2 s, 4 s backoff ride out a rate limit or a blip in
 * under 10 s; after that the local provider answers.
 */
export const retrier = new ActionRetrier(components.actionRetrier, {
  initialBackoffMs: 1_000,
  base: 2,
  maxFailures: 3,
  logLevel: "WARN",
});

/** One chat-completions call (internal; cached by `cachedChat`). Failures throw, so they are never cached. */
export const complete = internalAction({
  args: { capability: v.union(v.literal("prompts"), v.literal("insights")), request: v.string() },
  returns: v.string(),
  handler: async (_ctx, { capability, request }) => {
    const choice = providerFor(capability);
    if (choice.kind !== "llm") throw new Error("config: no LLM is configured");
    const body = JSON.parse(request) as ChatRequest;
    try {
      const answer = await callChat(choice.settings, { ...body, model: choice.settings.model });
      return JSON.stringify(answer);
    } catch (e) {
      // The caller sees only the message of a failed inner action: keep the kind in it.
      if (e instanceof ProviderError) throw new Error(`${e.kind}: ${e.message}`);
      throw e;
    }
  },
});

const cache = new ActionCache(components.actionCache, {
  action: internal.ai.llm.complete,
  name: "ai-chat-v1",
  ttl: CACHE_TTL_MS,
});

/** Why: the error text of a failed inner action carries our ProviderError message after this tag. */
const KIND = /\b(retryable|malformed|config)\b: /;

/**
 * Call the LLM through the cache. Answers the parsed JSON, or a classified
 * failure (never throws for provider trouble). A caller that finds the answer
 * malformed calls {@link evict} so the next try asks again.
 */
export async function cachedChat(
  ctx: ActionCtx,
  capability: AiCapability,
  request: ChatRequest,
): Promise<
  { ok: true; json: unknown } | { ok: false; kind: ProviderError["kind"]; message: string }
> {
  try {
    const text = await cache.fetch(ctx, { capability, request: JSON.stringify(request) });
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const tagged = KIND.exec(message);
    const kind =
      e instanceof ProviderError
        ? e.kind
        : tagged
          ? (tagged[1] as ProviderError["kind"])
          : "retryable";
    return { ok: false, kind, message: cleanMessage(message) };
  }
}

/** Drop a cached answer (after it proved malformed). */
export async function evict(
  ctx: ActionCtx,
  capability: AiCapability,
  request: ChatRequest,
): Promise<void> {
  await cache.remove(ctx, { capability, request: JSON.stringify(request) });
}

/** The ProviderError sentence of an error message (no stack, no request). */
function cleanMessage(message: string): string {
  const m = /(AI endpoint[^\n]*|the model[^\n]*|no LLM is configured)/.exec(message);
  return (m?.[1] ?? "AI provider call failed").slice(0, 200);
}
