/**
 * Run one generation with the configured provider and fall back to the
 * local one when the LLM cannot answer: a malformed answer (evicted from
 * the cache) or a configuration problem falls back at once; an outage
 * (429, 5xx, timeout) throws, so the action retrier tries again, and the
 * last try (`forceLocal`) answers locally. The provenance says which
 * provider answered and, for a fallback, why.
 */
import type { ChatRequest, ChatSettings } from "../../projections/ai/chatClient";
import { ProviderError } from "../../projections/ai/chatClient";
import type { ActionCtx } from "../_generated/server";
import { type AiCapability, parametersOf, providerFor } from "./config";
import { cachedChat, evict } from "./llm";

/** Provenance of one generation (stored with its results). */
export type Provenance = {
  provider: string;
  model: string | null;
  parameters: string;
  inputHash: string;
  fallbackFrom?: string;
  fallbackReason?: string;
};

/** What a generation needs. */
export type GenerateSpec<T> = {
  capability: AiCapability;
  inputHash: string;
  /** The last try after an outage: answer locally. */
  forceLocal: boolean;
  localName: string;
  local: () => T;
  request: (settings: ChatSettings) => ChatRequest;
  parse: (json: unknown) => T;
  parameters?: Record<string, unknown>;
};

/** The generated value and its provenance; throws a retryable error on an LLM outage. */
export async function generateWith<T>(
  ctx: ActionCtx,
  spec: GenerateSpec<T>,
): Promise<{ value: T; provenance: Provenance }> {
  const choice = providerFor(spec.capability);
  const local = (from?: string, reason?: string) => ({
    value: spec.local(),
    provenance: {
      provider: spec.localName,
      model: null,
      parameters: parametersOf({ kind: "local" }, spec.parameters),
      inputHash: spec.inputHash,
      ...(from
        ? { fallbackFrom: from, fallbackReason: reason ?? "the AI service did not answer" }
        : {}),
    },
  });
  if (choice.kind === "local") return local();
  if (choice.kind === "misconfigured") return local("llm", choice.reason);
  const llmName = `llm:${choice.settings.model}`;
  if (spec.forceLocal) return local(llmName, "the AI service kept failing; retries ran out");
  const request = spec.request(choice.settings);
  const answer = await cachedChat(ctx, spec.capability, request);
  if (!answer.ok) {
    if (answer.kind === "retryable") throw new Error(`retryable: ${answer.message}`);
    if (answer.kind === "malformed") await evict(ctx, spec.capability, request);
    return local(llmName, answer.message);
  }
  try {
    return {
      value: spec.parse(answer.json),
      provenance: {
        provider: "llm",
        model: choice.settings.model,
        parameters: parametersOf(choice, spec.parameters),
        inputHash: spec.inputHash,
      },
    };
  } catch (e) {
    await evict(ctx, spec.capability, request);
    const reason =
      e instanceof ProviderError ? e.message : "the model's answer did not fit the schema";
    return local(llmName, `refused the model's answer: ${reason}`);
  }
}
