/**
 * Optional LLM insights provider over an OpenAI-compatible chat-completions
 * endpoint (`fetch`, so it runs in a Convex action without "use node").
 * Selected by configuration (see `convex/insightsGenerate.ts`). Its answer is
 * validated field by field; anything malformed is a provider error, retried
 * by the caller and finally replaced by the local provider.
 */
import type { ActionItem, InsightsInput, InsightsProvider, MeetingInsights } from "./provider";

/** Settings of the LLM provider. */
export type LlmSettings = { url: string; apiKey: string; model: string };

/** Why: a long meeting's notes + transcript, cut to stay inside common context windows. */
export const MAX_PROMPT_CHARS = 60_000;

function prompt(input: InsightsInput): string {
  const people = input.participants.map((p) => `${p.userId}: ${p.name}`).join("\n");
  const transcript = input.transcript.map((t) => `${t.speaker}: ${t.text}`).join("\n");
  return [
    `Meeting: ${input.title}`,
    `Participants (id: name):\n${people}`,
    `Notes:\n${input.notesText}`,
    `Transcript:\n${transcript}`,
  ]
    .join("\n\n")
    .slice(0, MAX_PROMPT_CHARS);
}

const INSTRUCTIONS =
  "Extract meeting insights. Answer with JSON only: {summary: string, actionItems: [{text, owner, due}], " +
  "keyTakeaways: string[], decisions: string[], followUps: string[], recommendations: string[]}. " +
  "owner is a participant id from the list or null; due is the stated due date text or null. " +
  "Only include action items actually stated in the meeting.";

function strings(x: unknown, field: string): string[] {
  if (!Array.isArray(x) || !x.every((s) => typeof s === "string")) {
    throw new Error(`LLM answer: ${field} must be an array of strings`);
  }
  return x;
}

/** Validate a parsed LLM answer into {@link MeetingInsights}. */
export function parseLlmInsights(raw: unknown, input: InsightsInput): MeetingInsights {
  if (typeof raw !== "object" || raw === null) throw new Error("LLM answer is not an object");
  const r = raw as Record<string, unknown>;
  if (typeof r.summary !== "string") throw new Error("LLM answer: summary must be a string");
  if (!Array.isArray(r.actionItems)) throw new Error("LLM answer: actionItems must be an array");
  const ids = new Set(input.participants.map((p) => p.userId));
  const actionItems: ActionItem[] = r.actionItems.map((a: unknown) => {
    const o = (a ?? {}) as Record<string, unknown>;
    if (typeof o.text !== "string") throw new Error("LLM answer: action item without text");
    return {
      text: o.text,
      owner: typeof o.owner === "string" && ids.has(o.owner) ? o.owner : null,
      due: typeof o.due === "string" && o.due.length > 0 ? o.due : null,
    };
  });
  return {
    summary: r.summary,
    actionItems,
    keyTakeaways: strings(r.keyTakeaways ?? [], "keyTakeaways"),
    decisions: strings(r.decisions ?? [], "decisions"),
    followUps: strings(r.followUps ?? [], "followUps"),
    recommendations: strings(r.recommendations ?? [], "recommendations"),
  };
}

/** An LLM provider with `settings`. */
export function llmInsightsProvider(settings: LlmSettings): InsightsProvider {
  return {
    name: `llm:${settings.model}`,
    async analyze(input) {
      const res = await fetch(settings.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${settings.apiKey}` },
        body: JSON.stringify({
          model: settings.model,
          temperature: 0,
          response_format: { type: "json_object" },
          messages: [
            { role: "system", content: INSTRUCTIONS },
            { role: "user", content: prompt(input) },
          ],
        }),
      });
      if (!res.ok) throw new Error(`LLM endpoint answered HTTP ${res.status}`);
      const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== "string") throw new Error("LLM answer has no message content");
      return parseLlmInsights(JSON.parse(content), input);
    },
  };
}
