import { describe, expect, test } from "vitest";
import { affinityDelta, promptScore, rankPrompts } from "./rank";

const p = (
  id: string,
  relevance: number,
  tags: string[],
  fb: Partial<{ used: number; dismissed: number; upvoted: number }> = {},
) => ({
  id,
  relevance,
  tags,
  used: 0,
  dismissed: 0,
  upvoted: 0,
  createdAt: 0,
  ...fb,
});

describe("prompt ranking with feedback", () => {
  test("relevance orders prompts without feedback", () => {
    expect(rankPrompts([p("a", 0.5, []), p("b", 0.9, [])], new Map()).map((x) => x.id)).toEqual([
      "b",
      "a",
    ]);
  });
  test("an upvote lifts a prompt past a 0.2 relevance gap; a dismissal sinks it", () => {
    expect(
      rankPrompts([p("a", 0.5, [], { upvoted: 1 }), p("b", 0.7, [])], new Map()).map((x) => x.id),
    ).toEqual(["a", "b"]);
    expect(
      rankPrompts([p("a", 0.9, [], { dismissed: 1 }), p("b", 0.7, [])], new Map()).map((x) => x.id),
    ).toEqual(["b", "a"]);
  });
  test("tag affinity from earlier feedback ranks a later meeting's prompts, capped", () => {
    const list = [p("history", 0.6, ["starter", "history"]), p("goal", 0.7, ["starter", "goal"])];
    expect(rankPrompts(list, new Map()).map((x) => x.id)).toEqual(["goal", "history"]);
    const liked = new Map([["history", 2 * affinityDelta("upvoted")]]);
    expect(rankPrompts(list, liked).map((x) => x.id)).toEqual(["history", "goal"]);
    expect(promptScore(list[0]!, new Map([["history", 1000]]))).toBeCloseTo(0.6 + 0.1 * 3);
  });
});
