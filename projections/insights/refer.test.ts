import { describe, expect, test } from "vitest";
import { analyzeLocally } from "./localProvider";
import { nounPhrases } from "./nounPhrases";
import { antecedent, expandDefinite, whetherOf } from "./refer";
import { testMeeting } from "./testMeeting";

const nobody = () => false;

describe("what a pronoun or a short phrase names (sentences written for this test)", () => {
  test("'it' takes the closest thing of its number, not a place or a time", () => {
    expect(
      antecedent(
        "it",
        "book",
        ["The spare one is in the basement.", "I'll need a ladder with a hook."],
        nobody,
      ),
    ).toBe("the ladder with a hook");
    expect(
      antecedent(
        "them",
        "print",
        ["The boxes arrived on Monday.", "We need new labels for shipping."],
        nobody,
      ),
    ).toBe("new labels");
  });

  test("'her' is a person named in a possessive before a role word further back", () => {
    expect(
      antecedent(
        "her",
        "call",
        ["Mr. Okafor's boiler failed again, he needs a new part.", "The engineer came Monday."],
        nobody,
      ),
    ).toBe("Mr. Okafor");
    const isPerson = (w: string) => w === "Lena";
    expect(
      antecedent("her", "call", ["Lena's notes are late.", "The plumber left."], isPerson),
    ).toBe("the plumber");
  });

  test("within one sentence the later phrase is the closer one", () => {
    expect(
      antecedent(
        "it",
        "forward",
        ["We enjoyed the tour, but the insurer wants a damage report signed."],
        nobody,
      ),
    ).toBe("the damage report");
  });

  test("hyphenated words stay whole in noun phrases", () => {
    expect(nounPhrases("Could we hang a sign-up board in the hall?").map((n) => n.text)).toEqual([
      "a sign-up board",
      "the hall",
    ]);
  });

  test("after 'call' or 'email', 'them' is who was spoken to or about, not the topic", () => {
    expect(
      antecedent(
        "them",
        "call",
        ["They never answer before ten.", "I have to talk to the landlord about the boiler."],
        nobody,
      ),
    ).toBe("the landlord");
  });

  test("participants are never what 'it' names", () => {
    const isPerson = (w: string) => w === "Olga";
    expect(antecedent("it", "fix", ["Olga said the front gate is stuck again."], isPerson)).toBe(
      "the front gate",
    );
  });

  test("a short definite phrase takes the fuller one said shortly before", () => {
    expect(
      expandDefinite("take the outage", [
        "The payment outage of the Brazil region started at noon.",
      ]),
    ).toBe("take the payment outage of the Brazil region");
    expect(expandDefinite("take the outage", ["Lunch is at noon."])).toBe("take the outage");
  });

  test("a yes/no question becomes a 'whether' clause", () => {
    expect(whetherOf("Will the printer handle card stock?")).toBe(
      "whether the printer will handle card stock",
    );
    expect(whetherOf("Does the hall have a projector?")).toBe("whether the hall has a projector");
    expect(whetherOf("What time is it?")).toBe(null);
  });
});

const people = [
  { userId: "u_a", name: "Ines Moreau" },
  { userId: "u_b", name: "Paul Grant" },
  { userId: "u_c", name: "Keiko Mori" },
];
const meeting = (lines: [string, string][]) => testMeeting(people, lines);

describe("items worded by what they refer to", () => {
  test("a task put to the room belongs to whoever takes it, and is no item when nobody does", () => {
    const taken = analyzeLocally(
      meeting([
        ["u_a", "Someone should order new badges for the visitors."],
        ["u_c", "That's me, I have the supplier account. By Friday."],
      ]),
    );
    expect(taken.actionItems.map((a) => [a.ownerName, a.text, a.dueDate])).toEqual([
      ["Keiko Mori", "Order new badges for the visitors", "2026-01-09"],
    ]);
    const untaken = analyzeLocally(
      meeting([
        ["u_a", "Someone should order new badges for the visitors."],
        ["u_b", "What about the parking passes?"],
      ]),
    );
    expect(untaken.actionItems).toEqual([]);
  });

  test("a pronoun task answering a question says what it checks; 'no problem' accepts", () => {
    const r = analyzeLocally(
      meeting([
        ["u_a", "Will the caterer bring vegan options?"],
        ["u_b", "No idea. I'll check with them."],
        ["u_a", "Keiko, would you mind updating the seating plan?"],
        ["u_c", "No problem."],
      ]),
    );
    expect(r.actionItems.map((a) => [a.ownerName, a.text])).toEqual([
      ["Paul Grant", "Check with them whether the caterer will bring vegan options"],
      ["Keiko Mori", "Update the seating plan"],
    ]);
  });

  test("'introduce us' names who meets whom", () => {
    const r = analyzeLocally(
      meeting([
        ["u_b", "You should meet Farid from the city council, he runs the grants."],
        ["u_a", "Could you introduce us?"],
        ["u_b", "Sure, I'll email you both tomorrow."],
      ]),
    );
    expect(r.actionItems.map((a) => [a.ownerName, a.text])).toEqual([
      ["Paul Grant", "Introduce Ines to Farid from the city council"],
    ]);
  });
});

describe("tasks given without a name", () => {
  test("a bare imperative to the last other speaker is theirs once they take it", () => {
    const r = analyzeLocally(
      meeting([
        ["u_b", "The vendor list is on my laptop."],
        ["u_a", "Send me the vendor list and I'll compare the prices."],
        ["u_b", "Sending it now."],
      ]),
    );
    expect(r.actionItems.map((a) => [a.ownerName, a.text])).toEqual([
      ["Paul Grant", "Send Ines the vendor list"],
      ["Ines Moreau", "Compare the prices"],
    ]);
    const untaken = analyzeLocally(
      meeting([
        ["u_b", "The vendor list is on my laptop."],
        ["u_a", "Send me the vendor list."],
        ["u_c", "Shall we break for lunch?"],
      ]),
    );
    expect(untaken.actionItems).toEqual([]);
  });

  test("'I'll need your figures, Paul' asks Paul to send them; 'who books it?' goes to who answers", () => {
    const r = analyzeLocally(
      meeting([
        ["u_a", "I'll need your travel receipts, Paul, by Friday."],
        ["u_b", "You'll have them."],
        ["u_c", "Who books the meeting room?"],
        ["u_b", "I will."],
      ]),
    );
    expect(r.actionItems.map((a) => [a.ownerName, a.text, a.dueDate])).toEqual([
      ["Paul Grant", "Send Ines the travel receipts by Friday", "2026-01-09"],
      ["Paul Grant", "Book the meeting room", null],
    ]);
  });
});
