/**
 * A client for an OpenAI-compatible chat-completions endpoint
 * (`POST <base>/chat/completions`) with JSON-schema structured output
 * (`response_format: {type: "json_schema", json_schema: {name, strict, schema}}`).
 * Plain `fetch` with an abort timeout, so it runs in a Convex action without
 * "use node". Failures are classified for the caller: `retryable` (429, 5xx,
 * timeout, network: retried by the action retrier), `malformed` (the model's
 * answer is not JSON of the schema: never retried, the local provider answers
 * instead) and `config` (other 4xx: fix the configuration).
 */

/** Settings of an OpenAI-compatible endpoint. */
export type ChatSettings = {
  /** Base URL up to and including `/v1` (the client appends `/chat/completions`). */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  temperature: number;
  maxTokens: number;
};

/** A JSON schema (the subset structured outputs accept). */
export type JsonSchema = Record<string, unknown>;

/** The request body the client sends. */
export type ChatRequest = {
  model: string;
  temperature: number;
  max_tokens: number;
  response_format: {
    type: "json_schema";
    json_schema: { name: string; strict: true; schema: JsonSchema };
  };
  messages: { role: "system" | "user"; content: string }[];
};

/** How a provider call failed. */
export type ProviderFailure = "retryable" | "malformed" | "config";

/** A classified provider failure. Messages never contain the API key or the prompt. */
export class ProviderError extends Error {
  readonly kind: ProviderFailure;
  readonly status: number | null;
  constructor(kind: ProviderFailure, message: string, status: number | null = null) {
    super(message);
    this.name = "ProviderError";
    this.kind = kind;
    this.status = status;
  }
}

/** The body of a chat-completions request for `system` + `user` answering `schema`. */
export function chatRequest(
  settings: ChatSettings,
  system: string,
  user: string,
  schemaName: string,
  schema: JsonSchema,
): ChatRequest {
  return {
    model: settings.model,
    temperature: settings.temperature,
    max_tokens: settings.maxTokens,
    response_format: {
      type: "json_schema",
      json_schema: { name: schemaName, strict: true, schema },
    },
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
  };
}

/** The endpoint URL for `baseUrl` (accepts a base with or without a trailing `/chat/completions`). */
export function completionsUrl(baseUrl: string): string {
  const b = baseUrl.replace(/\/+$/, "");
  return b.endsWith("/chat/completions") ? b : `${b}/chat/completions`;
}

/**
 * Send `request`; the parsed JSON of the first choice's message content.
 * Throws {@link ProviderError}.
 */
export async function callChat(
  settings: ChatSettings,
  request: ChatRequest,
  fetchImpl: typeof fetch = fetch,
): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  let res: Response;
  try {
    res = await fetchImpl(completionsUrl(settings.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${settings.apiKey}` },
      body: JSON.stringify(request),
      signal: controller.signal,
    });
  } catch (e) {
    clearTimeout(timer);
    const aborted = e instanceof Error && (e.name === "AbortError" || controller.signal.aborted);
    throw new ProviderError(
      "retryable",
      aborted ? `AI endpoint timed out after ${settings.timeoutMs} ms` : "AI endpoint unreachable",
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    clearTimeout(timer);
    throw new ProviderError("retryable", `AI endpoint timed out after ${settings.timeoutMs} ms`);
  }
  clearTimeout(timer);
  if (res.status === 429 || res.status >= 500) {
    throw new ProviderError("retryable", `AI endpoint answered HTTP ${res.status}`, res.status);
  }
  if (!res.ok)
    throw new ProviderError(
      "config",
      `AI endpoint refused the request (HTTP ${res.status})`,
      res.status,
    );
  let body: { choices?: { message?: { content?: unknown; refusal?: unknown } }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ProviderError("malformed", "AI endpoint answered something that is not JSON");
  }
  const message = body.choices?.[0]?.message;
  if (typeof message?.refusal === "string" && message.refusal) {
    throw new ProviderError("malformed", "the model refused to answer");
  }
  if (typeof message?.content !== "string")
    throw new ProviderError("malformed", "the model's answer has no content");
  try {
    return JSON.parse(message.content) as unknown;
  } catch {
    throw new ProviderError("malformed", "the model's answer is not JSON");
  }
}

/** Why: a field longer than this in a model's answer is not a summary line but a runaway. */
export const MAX_FIELD_CHARS = 2_000;

/** A string field of a model answer, or a malformed-answer error. */
export function str(x: unknown, field: string, max = MAX_FIELD_CHARS): string {
  if (typeof x !== "string")
    throw new ProviderError("malformed", `the model's ${field} is not a string`);
  if (x.length > max) throw new ProviderError("malformed", `the model's ${field} is too long`);
  return x.trim();
}

/** A nullable string field. */
export function strOrNull(x: unknown, field: string): string | null {
  return x === null || x === undefined || x === "" ? null : str(x, field);
}

/** An array field (at most `max` entries). */
export function arr(x: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(x)) throw new ProviderError("malformed", `the model's ${field} is not a list`);
  if (x.length > max)
    throw new ProviderError("malformed", `the model's ${field} has too many entries`);
  return x;
}

/** An object field. */
export function obj(x: unknown, field: string): Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) {
    throw new ProviderError("malformed", `the model's ${field} is not an object`);
  }
  return x as Record<string, unknown>;
}

/** A number in [0, 1]. */
export function unit(x: unknown, field: string): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x < 0 || x > 1) {
    throw new ProviderError("malformed", `the model's ${field} is not a number in 0–1`);
  }
  return x;
}

/**
 * Text from people (transcripts, notes, profiles) for the user message:
 * capped, and with anything that looks like our delimiters neutralized, so
 * it reads as quoted data and cannot close the block it sits in.
 */
export function quote(text: string, max: number): string {
  return text
    .replace(/<\/?(?:meeting|data|system|instructions)[^>]*>/gi, "[tag removed]")
    .slice(0, max);
}
