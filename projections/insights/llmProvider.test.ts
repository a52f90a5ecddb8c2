import { describe, expect, test } from "vitest";
import { parseLlmInsights } from "./llmProvider";
import type { InsightsInput } from "./provider";

const input: InsightsInput = {
  title: "Sync",
  notesText: "",
  transcript: [],
  participants: [{ userId: "u1", name: "Ann" }],
};

describe("LLM provider answer validation", () => {
  test("keeps known owners, drops unknown ones, fills missing lists", () => {
    expect(
      parseLlmInsights(
        {
          summary: "s",
          actionItems: [
            { text: "Ann sends the deck", owner: "u1", due: "Friday" },
            { text: "Someone books a room", owner: "u999", due: "" },
          ],
          decisions: ["ship it"],
        },
        input,
      ),
    ).toEqual({
      summary: "s",
      actionItems: [
        { text: "Ann sends the deck", owner: "u1", due: "Friday" },
        { text: "Someone books a room", owner: null, due: null },
      ],
      keyTakeaways: [],
      decisions: ["ship it"],
      followUps: [],
      recommendations: [],
    });
  });

  test("refuses malformed answers", () => {
    expect(() => parseLlmInsights({ summary: 1, actionItems: [] }, input)).toThrow(/summary/);
    expect(() => parseLlmInsights({ summary: "s", actionItems: [{}] }, input)).toThrow(
      /without text/,
    );
    expect(() =>
      parseLlmInsights({ summary: "s", actionItems: [], decisions: [3] }, input),
    ).toThrow(/decisions/);
  });
});
