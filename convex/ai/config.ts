/**
 * AI configuration from the deployment's environment (set with
 * `npx convex env set`; the embedded engine reads its own environment):
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `AI_PROVIDER` | `local` or `llm`, for pre-call and in-call prompts | `local` |
 * | `INSIGHTS_PROVIDER` | `local` or `llm`, for post-call insights | `AI_PROVIDER` |
 * | `AI_LLM_BASE_URL` | OpenAI-compatible base URL (`…/v1`) | — (required for `llm`) |
 * | `AI_LLM_API_KEY` | bearer token | — (required for `llm`) |
 * | `AI_LLM_MODEL` | model name | `gpt-4o-mini` |
 * | `AI_LLM_TIMEOUT_MS` | per-request timeout | `20000` |
 * | `AI_LLM_TEMPERATURE` | sampling temperature | `0.2` |
 * | `AI_RETRY_BACKOFF_MS` | first retry delay of an AI job (doubles each try, 3 retries) | `1000` |
 * | `AI_LULL_SECONDS` | silence (no final transcript, no note edit) that counts as a lull | `15` |
 * | `INSIGHTS_LLM_URL`, `INSIGHTS_LLM_API_KEY`, `INSIGHTS_LLM_MODEL` | older names, still read for insights | — |
 *
 * An `llm` choice without a base URL and key falls back to the local
 * providers (and says so in each result's provenance).
 */
import type { ChatSettings } from "../../projections/ai/chatClient";
import { env } from "../_generated/server";

/** Which capability a provider serves. */
export type AiCapability = "prompts" | "insights";

/** The configured provider of a capability. */
export type ProviderChoice =
  | { kind: "local" }
  | { kind: "llm"; settings: ChatSettings }
  | { kind: "misconfigured"; reason: string };

function num(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** Why: a chat completion of a few hundred tokens; past 20 s the call is stuck, not slow. */
export const DEFAULT_TIMEOUT_MS = 20_000;
/** Why: enough for an insights answer of a long meeting; bounds cost per call. */
export const MAX_TOKENS = 2_000;

/** The provider configured for `capability`. */
export function providerFor(capability: AiCapability): ProviderChoice {
  const choice =
    capability === "insights" ? (env.INSIGHTS_PROVIDER ?? env.AI_PROVIDER) : env.AI_PROVIDER;
  if (choice !== "llm") return { kind: "local" };
  const baseUrl =
    env.AI_LLM_BASE_URL ?? (capability === "insights" ? env.INSIGHTS_LLM_URL : undefined);
  const apiKey =
    env.AI_LLM_API_KEY ?? (capability === "insights" ? env.INSIGHTS_LLM_API_KEY : undefined);
  if (!baseUrl || !apiKey) {
    return { kind: "misconfigured", reason: "AI_LLM_BASE_URL and AI_LLM_API_KEY must both be set" };
  }
  return {
    kind: "llm",
    settings: {
      baseUrl,
      apiKey,
      model:
        env.AI_LLM_MODEL ??
        (capability === "insights" ? env.INSIGHTS_LLM_MODEL : undefined) ??
        "gpt-4o-mini",
      timeoutMs: num(env.AI_LLM_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 100, 120_000),
      temperature: num(env.AI_LLM_TEMPERATURE, 0.2, 0, 2),
      maxTokens: MAX_TOKENS,
    },
  };
}

/** First retry delay of AI jobs (the retrier doubles it each try). */
export function retryBackoffMs(): number {
  return num(env.AI_RETRY_BACKOFF_MS, 1_000, 10, 60_000);
}

/** Silence (ms) that makes a lull. */
export function lullMs(): number {
  return num(env.AI_LULL_SECONDS, 15, 3, 600) * 1000;
}

/** Parameters recorded in provenance (no secrets). */
export function parametersOf(choice: ProviderChoice, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    choice.kind === "llm"
      ? { temperature: choice.settings.temperature, maxTokens: choice.settings.maxTokens, ...extra }
      : extra,
  );
}

/** SHA-256 (hex) of a value's JSON (keys in insertion order: callers build inputs deterministically). */
export async function inputHash(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
