import { describe, expect, test } from "vitest";
import { analyzeLocally } from "./localProvider";
import { fluent } from "./sentences";
import { testMeeting } from "./testMeeting";

// Sixth pass: shapes of talk seen in meetings written by someone who had not read the rules.
// Every sentence below is written for this test (none is taken from the labelled data).

const people = [
  { userId: "u_r", name: "Rosa Lind" },
  { userId: "u_t", name: "Tomas Berg" },
  { userId: "u_n", name: "Nadia Haddad" },
];
const items = (lines: [string, string][]) =>
  analyzeLocally(testMeeting(people, lines)).actionItems.map(
    (a) => `${a.ownerName} | ${a.dueDate ?? "-"} | ${a.text}`,
  );

describe("a task passed on belongs to whoever takes it (handoff.ts)", () => {
  test("declined and passed to another by name: the taker's, due when the taker says", () => {
    const got = items([
      ["u_r", "Tomas, can you update the visitor badges list?"],
      ["u_t", "I can't this week, I'm away from Thursday. Nadia?"],
      ["u_n", "Fine, I'll do it on Friday."],
    ]);
    expect(got).toEqual(["Nadia Haddad | 2026-01-09 | Update the visitor badges list"]);
  });

  test("a 'who…?' passed around twice goes to the one who finally takes it", () => {
    const got = items([
      ["u_r", "Who's doing the parking permit?"],
      ["u_t", "That's normally me, but I'm drowning. Nadia?"],
      ["u_n", "I've got the budget to finish. Rosa, could you?"],
      ["u_r", "Fine, leave it with me."],
    ]);
    expect(got).toEqual(["Rosa Lind | - | Do the parking permit"]);
  });

  test("declined with nobody taking it: no item at all", () => {
    const got = items([
      ["u_r", "Tomas, can you update the visitor badges list?"],
      ["u_t", "No, sorry, I'm away."],
      ["u_r", "Okay, moving on. The canteen menu is ready."],
    ]);
    expect(got).toEqual([]);
  });

  test("'Already done' answers a request: no item", () => {
    const got = items([
      ["u_r", "Nadia, get the spare keys cut."],
      ["u_n", "Already done, they're in the drawer."],
    ]);
    expect(got).toEqual([]);
  });
});

describe("due dates the speaker corrects", () => {
  test("'tomorrow. No, Thursday' and 'Monday. Actually no… Tuesday.'", () => {
    expect(
      items([["u_t", "I'll send the floor plan tomorrow. No, Friday, I'm out tomorrow."]]),
    ).toEqual(["Tomas Berg | 2026-01-09 | Send the floor plan tomorrow"]);
    expect(
      items([
        ["u_n", "I'll book the van on Monday. Actually no, I'm at the depot on Monday. Tuesday."],
      ]),
    ).toEqual(["Nadia Haddad | 2026-01-13 | Book the van on Monday"]);
  });
});

describe("requests and commitments in other shapes", () => {
  test("a name in the middle or after a condition asks that person", () => {
    expect(
      items([
        ["u_r", "Could you, Tomas, check the fire doors?"],
        ["u_t", "Sure."],
      ]),
    ).toEqual(["Tomas Berg | - | Check the fire doors"]);
    expect(
      items([
        ["u_r", "And if the lorry is late, Nadia, ring the depot first thing."],
        ["u_n", "Will do."],
      ]),
    ).toEqual(["Nadia Haddad | - | Ring the depot first thing, if the lorry is late"]);
  });

  test("'X, do this and I'll do that' is two people's tasks", () => {
    const got = items([["u_r", "Tomas, draft the notice and I'll sign it tomorrow."]]);
    expect(got).toEqual([
      "Tomas Berg | - | Draft the notice",
      "Rosa Lind | 2026-01-08 | Sign the notice tomorrow",
    ]);
  });

  test("'I owe you X' is the speaker's task; 'I owe you a coffee' is not", () => {
    expect(items([["u_n", "Tomas, I owe you the seating plan."]])).toEqual([
      "Nadia Haddad | - | Send Tomas the seating plan",
    ]);
    expect(items([["u_n", "Tomas, I owe you a coffee."]])).toEqual([]);
  });

  test("a task put to the room and handed out with 'Can you handle that?'", () => {
    const got = items([
      ["u_r", "Someone needs to count the spare chairs in the basement."],
      ["u_t", "Nadia, you were down there. Can you handle that?"],
      ["u_n", "Yep, on it."],
    ]);
    expect(got).toEqual(["Nadia Haddad | - | Count the spare chairs in the basement"]);
  });

  test("a topic put first is what 'them' means; a trailing name is who 'you' is", () => {
    expect(
      items([
        ["u_r", "Pens and paper, Nadia, put them on the order form."],
        ["u_n", "Okay."],
      ]),
    ).toEqual(["Nadia Haddad | - | Put pens and paper on the order form"]);
    expect(items([["u_t", "I'll send you the photos tonight, Rosa."]])).toEqual([
      "Tomas Berg | 2026-01-07 | Send Rosa the photos tonight",
    ]);
  });
});

describe("what pronouns stand for", () => {
  test("'the one from last year' names the thing it stands for", () => {
    const got = items([
      ["u_r", "We also need a welcome pack for the new starters."],
      ["u_r", "Tomas, can you adapt the one from last year?"],
      ["u_t", "Sure."],
    ]);
    expect(got).toEqual(["Tomas Berg | - | Adapt the welcome pack from last year"]);
  });

  test("a topic named alone is what a later 'it' means", () => {
    const got = items([
      ["u_r", "The north gate."],
      ["u_t", "We're repainting the fence beside the car park, so nobody uses the path."],
      ["u_r", "And after?"],
      ["u_t", "I'll inspect it on Friday."],
    ]);
    expect(got).toEqual(["Tomas Berg | 2026-01-09 | Inspect the north gate on Friday"]);
  });

  test("'some' stands for a plural said just before; who receives is a person or an organisation", () => {
    expect(
      items([
        ["u_n", "Can we get name tags?"],
        ["u_r", "Yes. I'll pick some up on Friday."],
      ]),
    ).toEqual(["Rosa Lind | 2026-01-09 | Pick name tags up on Friday"]);
    const got = items([
      ["u_t", "The print shop wants the final artwork."],
      ["u_r", "Nadia, get them the artwork."],
      ["u_n", "Sure."],
    ]);
    expect(got).toEqual(["Nadia Haddad | - | Get the print shop the final artwork"]);
  });

  test("'I'll take it' after one's own news is no task", () => {
    expect(items([["u_r", "Nothing broke and nobody complained. I'll take it."]])).toEqual([]);
  });
});

describe("transcripts without their fillers", () => {
  test("fillers and restarts go, a sentence still opens with a capital", () => {
    expect(fluent("I've, um, I've asked legal for a view.")).toBe("I've asked legal for a view.");
    expect(fluent("Um, I'll ping them tomorrow.")).toBe("I'll ping them tomorrow.");
    expect(fluent("Done. Uh, and I'll add a line.")).toBe("Done. And I'll add a line.");
    expect(fluent("Summer, umbrellas and hummus.")).toBe("Summer, umbrellas and hummus.");
  });
});
