import { describe, expect, test } from "vitest";
import { analyzeLocally } from "./localProvider";
import { startsWithVerb } from "./sentences";
import { speakerLines as meeting } from "./testMeeting";

const items = (lines: string[]) =>
  analyzeLocally(meeting(lines)).actionItems.map((a) => [a.text, a.ownerName, a.dueDate]);
const decisions = (lines: string[]) => analyzeLocally(meeting(lines)).decisions.map((d) => d.text);

describe("commitments and due dates across turns", () => {
  test("a tag question is a request; 'Consider it done' takes it; 'When?' — 'Thursday.' dates it", () => {
    expect(
      items([
        "Ana: The printer vendor still hasn't sent the invoice.",
        "Ana: Ring the vendor about the invoice, would you?",
        "Ben: Consider it done.",
        "Ana: When?",
        "Ben: Thursday.",
      ]),
    ).toEqual([["Ring the vendor about the invoice", "Ben Okoro", "2025-06-12"]]);
  });

  test("a date asked for is taken from the next turn even when someone else says it", () => {
    expect(
      items([
        "Cy: I'll rewrite the onboarding checklist.",
        "Ana: By when?",
        "Ben: Friday would be ideal, the new hires start Monday.",
      ]),
    ).toEqual([["Rewrite the onboarding checklist", "Cy Park", "2025-06-13"]]);
  });

  test("'Should I write it up?' — 'Yes, a short memo. Get it to me by Friday.' is one task of the asker", () => {
    expect(
      items([
        "Ana: The outage last week cost us two customers.",
        "Ben: Should I write it up?",
        "Ana: Yes, a short memo. Get it to me by Friday.",
        "Ben: Okay, I can do that.",
      ]),
    ).toEqual([["Write up a short memo", "Ben Okoro", "2025-06-13"]]);
  });

  test("asking leave to see or ask something is no task; a refused offer is none either", () => {
    expect(
      items([
        "Ben: Can I see the slides before the review?",
        "Ana: Sure.",
        "Cy: Should I book the big room?",
        "Ana: No, the small one is fine.",
      ]),
    ).toEqual([]);
  });

  test("'Cy, you're on the catering, confirm the numbers with them today' gives Cy the catering", () => {
    expect(
      items([
        "Ana: We have forty guests now.",
        "Ana: Cy, you're on the catering, confirm the numbers with them today.",
        "Cy: Yep.",
      ]),
    ).toEqual([
      ["Take the catering: confirm the numbers with them today", "Cy Park", "2025-06-10"],
    ]);
  });

  test("'Leave that with me' takes what was just said when no task follows in the sentence", () => {
    const got = items([
      "Ana: The parking permits for the contractors expire this week.",
      "Ben: Leave that with me.",
    ]);
    expect(got).toHaveLength(1);
    expect(got[0]![1]).toBe("Ben Okoro");
    expect(got[0]![0]).toMatch(/parking permits/);
  });

  test("'Leave that with me, I'll phone her' phones about what was left with the speaker", () => {
    const got = items([
      "Ana: Mrs. Ruiz's order is stuck at customs, we need the import form signed.",
      "Cy: Leave that with me, I'll phone her tomorrow.",
    ]);
    expect(got).toEqual([
      ["Phone Mrs. Ruiz tomorrow about the import form", "Cy Park", "2025-06-11"],
    ]);
  });

  test("a request for information answered on the spot is no task; one promised for later is", () => {
    expect(
      items([
        "Ana: Ben, could you tell us how many chairs we need?",
        "Ben: About sixty.",
        "Ana: Cy, could you tell us what the hall costs?",
        "Cy: Sure, I'll find out tomorrow.",
      ]).map((x) => x[1]),
    ).toEqual(["Cy Park"]);
  });

  test("a verb before an object pronoun is a verb whatever the tagger says", () => {
    expect(startsWithVerb("chase them")).toBe(true);
    expect(startsWithVerb("forward it today")).toBe(true);
    expect(startsWithVerb("just it")).toBe(false);
    expect(startsWithVerb("also them")).toBe(false);
  });
});

describe("decisions from proposals turned down", () => {
  test("the plan said instead keeps what it replaced; a bare refusal is 'Do not …' with its reason", () => {
    const got = decisions([
      "Ana: Should we rent a second van for the tour?",
      "Ben: Too expensive. We'll split the loads over two days instead.",
      "Cy: Could we print the programmes in colour?",
      "Ana: I'd rather not, the budget is gone.",
    ]);
    expect(got).toEqual([
      "Split the loads over two days instead",
      "Do not print the programmes in colour (I'd rather not, the budget is gone)",
    ]);
  });

  test("'No fireworks this year.' settles; 'No problem.' does not", () => {
    expect(decisions(["Ana: No fireworks this year.", "Ben: No problem."])).toEqual([
      "No fireworks this year",
    ]);
  });

  test("'Fine, paper tickets then.' settles; 'See you then.' does not", () => {
    const got = decisions([
      "Ana: The card reader is broken.",
      "Ben: Fine, paper tickets then.",
      "Cy: See you then.",
    ]);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^Paper tickets then/);
  });

  test("a different plan in the answer turns the proposal down", () => {
    expect(
      decisions([
        "Ben: What if we moved the party to the park?",
        "Ana: The hall is booked already. Let's keep the hall.",
      ]),
    ).toEqual(["Keep the hall (rather than: move the party to the park)"]);
  });
});
