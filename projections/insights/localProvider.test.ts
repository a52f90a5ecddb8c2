import { describe, expect, test } from "vitest";
import { analyzeLocally } from "./localProvider";
import { type InsightsInput, personalize } from "./provider";

const WED = Date.UTC(2025, 2, 12, 15); // Wednesday 12 March 2025

/** A sample meeting written for this test (not part of the benchmark set). */
const sample: InsightsInput = {
  title: "Q3 launch planning",
  meetingAt: WED,
  participants: [
    { userId: "u_alice", name: "Alice Martin" },
    { userId: "u_bob", name: "Bob Chen" },
    { userId: "u_cara", name: "Dr. Cara Diaz" },
  ],
  notesText: [
    "Launch plan",
    "Action item: Bob to book the venue for the launch event by June 12",
    "Open question: do we need a second venue?",
  ].join("\n"),
  transcript: [
    {
      speakerId: "u_alice",
      speaker: "Alice Martin",
      text: "Thanks for joining. How was the weekend, Bob?",
      at: 1,
    },
    {
      speakerId: "u_bob",
      speaker: "Bob Chen",
      text: "Great, we went hiking. I'll be in Porto next week though.",
      at: 2,
    },
    {
      speakerId: "u_cara",
      speaker: "Dr. Cara Diaz",
      text: "I'll draft the press release by Friday.",
      at: 3,
    },
    {
      speakerId: "u_bob",
      speaker: "Bob Chen",
      text: "Alice, could you send the revised deck to the board?",
      at: 4,
    },
    {
      speakerId: "u_alice",
      speaker: "Alice Martin",
      text: "Sure, I'll have it out by end of next week.",
      at: 5,
    },
    {
      speakerId: "u_cara",
      speaker: "Dr. Cara Diaz",
      text: "Should we move the launch to August?",
      at: 6,
    },
    {
      speakerId: "u_alice",
      speaker: "Alice Martin",
      text: "No, we're keeping July. We've decided on July 1st.",
      at: 7,
    },
  ],
};

describe("local insights provider", () => {
  const m = analyzeLocally(sample);

  test("action items name people (never ids), resolve 'I' and 'Alice, could you…', and date their due dates", () => {
    expect(m.actionItems.map((a) => [a.text, a.ownerName, a.dueDate])).toEqual([
      ["Book the venue for the launch event by June 12", "Bob Chen", "2025-06-12"],
      ["Draft the press release by Friday", "Dr. Cara Diaz", "2025-03-14"],
      ["Send the revised deck to the board", "Alice Martin", "2025-03-21"],
    ]);
    expect(m.actionItems.map((a) => a.owner)).toEqual(["u_bob", "u_cara", "u_alice"]);
  });

  test("questions, small talk and states are not action items; sources point at the moment", () => {
    const texts = m.actionItems.map((a) => a.text).join(" | ");
    expect(texts).not.toMatch(/Porto|August|second venue|weekend/);
    expect(m.actionItems[1]!.source).toEqual({ kind: "transcript", at: 3, speakerId: "u_cara" });
    expect(m.actionItems[0]!.source).toEqual({ kind: "note", line: 1 });
  });

  test("decisions exclude the rejected proposal; the summary is sentences without ids", () => {
    expect(m.decisions.map((d) => d.text).join(" ")).toMatch(/July/);
    // August shows only as what the decision replaced, never as what was decided.
    const decided = m.decisions.map((d) => d.text).join(" ");
    expect(decided).toMatch(/\(rather than: move the launch to August\)/);
    expect(decided.replace(/\(rather than: [^)]*\)/g, "")).not.toMatch(/August/);
    expect(m.summary).toMatch(/^Alice, Bob and Cara met about Q3 launch planning\. /);
    expect(m.summary).not.toMatch(/u_(alice|bob|cara)/);
    for (const r of m.recommendations) expect(r.confidence).toBeGreaterThan(0);
    expect(m.recommendations.some((r) => r.type === "connect" && r.userId !== null)).toBe(true);
  });

  test("is deterministic", () => {
    expect(analyzeLocally(sample)).toEqual(m);
  });

  test("personalizes: each participant gets their own items first and no 'connect with yourself'", () => {
    const cara = personalize(m, sample, "u_cara");
    expect(cara.actionItems.map((a) => a.owner)).toEqual(["u_cara"]);
    expect(cara.summary).toContain(
      "Cara, you have 1 action item: draft the press release by Friday.",
    );
    expect(cara.recommendations.some((r) => r.type === "connect" && r.userId === "u_cara")).toBe(
      false,
    );
  });

  test("'Name, you wanted to…' reports, it assigns nothing; 'Name, you sort out…' assigns", () => {
    const turn = (speakerId: string, speaker: string, text: string, at: number) => ({
      speakerId,
      speaker,
      text,
      at,
    });
    const r = analyzeLocally({
      ...sample,
      notesText: "",
      transcript: [
        turn("u_alice", "Alice Martin", "Bob, you wanted to walk through the budget.", 1),
        turn("u_bob", "Bob Chen", "Yes, the numbers are in the sheet.", 2),
        turn("u_alice", "Alice Martin", "Cara, you mentioned the venue was booked?", 3),
        turn("u_cara", "Dr. Cara Diaz", "It is.", 4),
        turn("u_alice", "Alice Martin", "Bob, you sort out the catering.", 5),
      ],
    });
    expect(r.actionItems.map((a) => [a.text, a.ownerName])).toEqual([
      ["Sort out the catering", "Bob Chen"],
    ]);
  });

  test("one task said twice is one item: a notes line and its sentence, a pronoun and its antecedent", () => {
    const r = analyzeLocally({
      ...sample,
      notesText: "Bob to update the dashboards once the backfill lands",
      transcript: [
        {
          speakerId: "u_bob",
          speaker: "Bob Chen",
          text: "Once the backfill lands I'll switch the finance dashboards to the new warehouse.",
          at: 1,
        },
        {
          speakerId: "u_cara",
          speaker: "Dr. Cara Diaz",
          text: "I'll chase the electrician for the three-phase supply.",
          at: 2,
        },
        {
          speakerId: "u_alice",
          speaker: "Alice Martin",
          text: "He still hasn't confirmed the three-phase supply.",
          at: 3,
        },
        {
          speakerId: "u_cara",
          speaker: "Dr. Cara Diaz",
          text: "I'll get him on site by Friday.",
          at: 4,
        },
        {
          speakerId: "u_bob",
          speaker: "Bob Chen",
          text: "I'll also give the finance team a heads-up on Monday.",
          at: 5,
        },
      ],
    });
    expect(r.actionItems.map((a) => [a.text, a.ownerName, a.dueDate])).toEqual([
      ["Switch the finance dashboards to the new warehouse", "Bob Chen", null],
      ["Chase the electrician for the three-phase supply", "Dr. Cara Diaz", "2025-03-14"],
      ["Give the finance team a heads-up on Monday", "Bob Chen", "2025-03-17"],
    ]);
  });
});
