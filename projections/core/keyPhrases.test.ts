import { describe, expect, test } from "vitest";
import { keyPhrases } from "./keyPhrases";

describe("key phrases", () => {
  test("filler, courtesy words, contractions and weekdays are never topics", () => {
    expect(
      keyPhrases(
        [
          "That's great, next everyone should think about it. Great, thanks everyone! I'll see you Friday.",
        ],
        5,
      ),
    ).toEqual([]);
  });

  test("repeated multi-word phrases beat their words alone", () => {
    const texts = [
      "The churn numbers look bad this quarter.",
      "Can you pull the churn numbers for annual plans?",
      "Annual plans renew in March, churn numbers first.",
      "The pricing page needs the new tiers.",
    ];
    const got = keyPhrases(texts, 3);
    expect(got[0]).toBe("churn numbers");
    expect(got).toContain("annual plans");
  });

  test("excluded words (participants' names) are not topics", () => {
    expect(
      keyPhrases(["Priya said Priya would do it, Priya again.", "The budget review."], 3, [
        "Priya",
      ]),
    ).not.toContain("priya");
  });
});
