import { describe, expect, test } from "vitest";
import { ProviderError } from "../ai/chatClient";
import { insightsRequest, parseLlmInsights } from "./llmProvider";
import type { InsightsInput } from "./provider";

const input: InsightsInput = {
  title: "Sync",
  meetingAt: Date.UTC(2025, 2, 12),
  notesText: "Ann: send the deck",
  transcript: [
    {
      speakerId: "user_secret_1",
      speaker: "Ann Lee",
      text: "I'll send the deck by Friday.",
      at: 42,
    },
  ],
  participants: [{ userId: "user_secret_1", name: "Ann Lee" }],
};
const settings = {
  baseUrl: "http://x/v1",
  apiKey: "k",
  model: "m",
  timeoutMs: 1000,
  temperature: 0,
  maxTokens: 100,
};

const answer = {
  summary: "Ann will send the deck.",
  actionItems: [
    { text: "Send the deck", owner: "Ann Lee", due: "by Friday", dueDate: null, line: "T0" },
    { text: "Book a room", owner: "Somebody Else", due: null, dueDate: null, line: null },
  ],
  decisions: [{ text: "Ship it", line: "N0" }],
  keyTakeaways: [],
  followUps: [],
  recommendations: [
    { type: "connect", text: "Talk to Ann", confidence: 0.8, person: "Ann", line: null },
  ],
};

describe("LLM insights provider", () => {
  test("the model sees names and numbered lines, never user ids", () => {
    const body = JSON.stringify(insightsRequest(settings, input));
    expect(body).not.toContain("user_secret_1");
    expect(body).toContain("T0 Ann Lee: I'll send the deck by Friday.");
  });

  test("owners are resolved from names, unknown ones dropped; due phrases dated; lines become sources", () => {
    const m = parseLlmInsights(answer, input);
    expect(m.actionItems.map((a) => [a.owner, a.ownerName, a.dueDate])).toEqual([
      ["user_secret_1", "Ann Lee", "2025-03-14"],
      [null, null, null],
    ]);
    expect(m.actionItems[0]!.source).toEqual({
      kind: "transcript",
      at: 42,
      speakerId: "user_secret_1",
    });
    expect(m.decisions[0]!.source).toEqual({ kind: "note", line: 0 });
    expect(m.recommendations[0]!.userId).toBe("user_secret_1");
  });

  test("malformed answers are refused with a malformed ProviderError", () => {
    for (const bad of [
      null,
      "<xml/>",
      { ...answer, summary: 5 },
      { ...answer, actionItems: "none" },
      {
        ...answer,
        recommendations: [{ type: "bribe", text: "x", confidence: 0.5, person: null, line: null }],
      },
      {
        ...answer,
        recommendations: [{ type: "connect", text: "x", confidence: 7, person: null, line: null }],
      },
      { ...answer, summary: "x".repeat(10_000) },
    ]) {
      expect(() => parseLlmInsights(bad, input)).toThrow(ProviderError);
    }
  });
});
