import { describe, expect, test } from "vitest";
import { analyzeLocally } from "./localProvider";
import { type InsightsInput, personalize } from "./provider";

/** A recorded sample meeting (notes + transcript written for this test). */
const sample: InsightsInput = {
  title: "Q3 launch planning",
  participants: [
    { userId: "u_alice", name: "Alice Martin" },
    { userId: "u_bob", name: "Bob Chen" },
    { userId: "u_cara", name: "Cara Diaz" },
  ],
  notesText: [
    "Launch plan",
    "Action item: Bob to book the venue for the launch event by June 12",
    "We decided to launch the pricing page on July 1st.",
    "Budget review slipped again, the marketing budget needs a second look.",
  ].join("\n"),
  transcript: [
    {
      speakerId: "u_alice",
      speaker: "Alice Martin",
      text: "Thanks for joining. The launch timeline is tight but doable.",
    },
    {
      speakerId: "u_cara",
      speaker: "Cara Diaz",
      text: "I'll draft the press release by Friday. The launch messaging should focus on onboarding speed.",
    },
    {
      speakerId: "u_bob",
      speaker: "Bob Chen",
      text: "Alice, can you send the revised deck to the board next week?",
    },
    {
      speakerId: "u_alice",
      speaker: "Alice Martin",
      text: "Sure. Let's circle back on hiring at the next meeting.",
    },
    {
      speakerId: "u_bob",
      speaker: "Bob Chen",
      text: "Our onboarding metrics improved a lot after the redesign of the launch checklist.",
    },
  ],
};

describe("local insights provider", () => {
  const m = analyzeLocally(sample);

  test("names the action items stated in the meeting, with owners and due dates", () => {
    expect(m.actionItems).toEqual([
      {
        text: "Action item: Bob to book the venue for the launch event by June 12",
        owner: "u_bob",
        due: "June 12",
      },
      { text: "I'll draft the press release by Friday.", owner: "u_cara", due: "Friday" },
      {
        text: "Alice, can you send the revised deck to the board next week?",
        owner: "u_alice",
        due: "next week",
      },
    ]);
  });

  test("finds decisions, follow-ups and recommendations", () => {
    expect(m.decisions).toEqual(["We decided to launch the pricing page on July 1st."]);
    expect(m.followUps).toContain("Let's circle back on hiring at the next meeting.");
    expect(m.recommendations).toEqual(["The launch messaging should focus on onboarding speed."]);
    expect(m.keyTakeaways.length).toBeGreaterThan(0);
    expect(m.summary).toContain("Q3 launch planning: 3 participants discussed launch");
  });

  test("is deterministic", () => {
    expect(analyzeLocally(sample)).toEqual(m);
  });

  test("personalizes: each participant gets their own items first", () => {
    const cara = personalize(m, sample, "u_cara");
    expect(cara.actionItems.map((a) => a.owner)).toEqual(["u_cara"]);
    expect(cara.summary).toContain("Cara Diaz: 1 action item for you");
  });
});
