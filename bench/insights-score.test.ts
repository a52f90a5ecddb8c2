import { describe, expect, test } from "vitest";
import { MATCH_THRESHOLD, match, similarity } from "./lib/insights-score";

describe("insights scorer matching", () => {
  const gold = "talk to Mateo about vouching for Sarah's migration work";

  test("a paraphrase with half the gold words matches", () => {
    expect(
      similarity(gold, "Ask Mateo to vouch for Sarah's migration work"),
    ).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
  });

  test("a short item whose every word is in the gold text matches; one word alone does not", () => {
    expect(similarity(gold, "Talk to Mateo")).toBe(MATCH_THRESHOLD);
    expect(similarity("comment on Tariq's abstract draft", "Comment")).toBeLessThan(
      MATCH_THRESHOLD,
    );
  });

  test("a short item that says anything outside the gold text does not match", () => {
    expect(similarity(gold, "Talk to the landlord")).toBeLessThan(MATCH_THRESHOLD);
    expect(match([gold], ["Call the technician tomorrow"])).toEqual([]);
  });

  test("each gold item matches one prediction, the closest first", () => {
    expect(match([gold], ["Talk to Mateo", "Talk to Mateo about Sarah's migration work"])).toEqual([
      [0, 1],
    ]);
  });
});

describe("insights scorer: due-date words", () => {
  test("an item's own due phrase does not stop a short item from matching", () => {
    const gold = "call Mrs. Patel about signing the surgery consent form";
    expect(similarity(gold, "Call Mrs. Patel tomorrow")).toBe(MATCH_THRESHOLD);
    expect(similarity(gold, "Call tomorrow")).toBeLessThan(MATCH_THRESHOLD);
  });
});

describe("insights scorer: short words and when-phrases", () => {
  test("a two-letter abbreviation counts as a content word, on both sides", () => {
    expect(similarity("review the PR for the billing fix", "Review the PR")).toBe(MATCH_THRESHOLD);
    expect(similarity("ask HR about the contract", "Chase HR")).toBeLessThan(MATCH_THRESHOLD);
    expect(similarity("review the PR for the billing fix", "Review the code")).toBeLessThan(
      MATCH_THRESHOLD,
    );
  });

  test('"first thing" is a when-phrase, left out like "tomorrow"', () => {
    const gold = "call the agency to book two extra housekeeping staff";
    expect(similarity(gold, "Call the agency first thing tomorrow")).toBe(MATCH_THRESHOLD);
    expect(similarity(gold, "Call the florist first thing")).toBeLessThan(MATCH_THRESHOLD);
  });
});
