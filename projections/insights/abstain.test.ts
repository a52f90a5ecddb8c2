import { describe, expect, test } from "vitest";
import { analyzeLocally } from "./localProvider";
import { antecedent, resolveTask } from "./refer";
import { testMeeting } from "./testMeeting";

const nobody = () => false;

describe("a pronoun is replaced only by what it can name (sentences written for this test)", () => {
  test("a phrase that points at nothing is no antecedent: 'no chairs', 'what discount'", () => {
    expect(
      antecedent("them", "go", ["We can't risk having no chairs in June."], nobody),
    ).toBeNull();
    expect(antecedent("that", "get", ["Sure. What discount?"], nobody)).toBeNull();
  });

  test("'do that' takes a task, 'IT' is a department, 'her' is no 'the PR'", () => {
    const freezer = ["Can someone move the samples into the backup freezer?"];
    expect(resolveTask("do that this afternoon", freezer, nobody)).toBe("do that this afternoon");
    expect(resolveTask("get IT to reroute them", ["Alerts go to the shared inbox."], nobody)).toBe(
      "get IT to reroute them",
    );
    expect(antecedent("her", "email", ["I'll review the PR tonight."], nobody)).toBeNull();
  });

  test("the same verb said a moment ago names its object: 'chased the notes' — 'chase them'", () => {
    const context = [
      "Not yet, the office said after lunch.",
      "Has anyone chased the delivery notes?",
    ];
    expect(antecedent("them", "chase", context, nobody)).toBe("the delivery notes");
  });
});

const people = [
  { userId: "u_a", name: "Ines Moreau" },
  { userId: "u_b", name: "Paul Grant" },
  { userId: "u_c", name: "Keiko Mori" },
];

const meeting = (lines: [string, string][]) => testMeeting(people, lines);
const items = (lines: [string, string][]) =>
  analyzeLocally(meeting(lines)).actionItems.map((a) => [a.ownerName, a.text, a.dueDate]);

describe("items a reader can act on, owned by whoever took them", () => {
  test("'I'll do my best' and 'I'll look' are no items", () => {
    expect(
      items([
        ["u_a", "The lease is tricky."],
        ["u_b", "I'll do my best."],
      ]),
    ).toEqual([]);
    expect(
      items([
        ["u_a", "The spare printer is in the basement."],
        ["u_b", "I'll look."],
      ]),
    ).toEqual([]);
  });

  test("'I'll get that out tomorrow' after a question back is the request, dated by it", () => {
    expect(
      items([
        ["u_a", "Paul, can you send the suppliers a reminder with the new address?"],
        ["u_b", "Sure. Which address?"],
        ["u_a", "The one on Mill Street."],
        ["u_b", "Okay, I'll get that out tomorrow."],
      ]),
    ).toEqual([["Paul Grant", "Send the suppliers a reminder with the new address", "2026-01-08"]]);
  });

  test("'Keiko, you'll book the van?' assigns the van to Keiko", () => {
    expect(
      items([
        ["u_a", "Keiko, you'll book the van for Saturday?"],
        ["u_c", "Will do."],
      ]),
    ).toEqual([["Keiko Mori", "Book the van for Saturday", "2026-01-10"]]);
  });

  test("a suggestion agreed and handed on is the named person's, not the one who agreed", () => {
    const owners = items([
      ["u_c", "Then ask the landlord for a discount on the hall."],
      ["u_a", "Yes. Paul, could you talk to the landlord this week?"],
      ["u_b", "Sure, I'll call him."],
    ]).map((i) => i[0]);
    expect(owners).toEqual(["Paul Grant"]);
  });
});

describe("'Who…?' answered a turn later", () => {
  test("'Who'd write it?' — 'Denise did the last one?' — 'Fine, leave it with me' is Denise's", () => {
    const r = analyzeLocally(
      meeting([
        ["u_a", "Who'd write the grant application?"],
        ["u_b", "Keiko, you did the last one, didn't you?"],
        ["u_c", "I did. Fine, leave it with me."],
      ]),
    );
    expect(r.actionItems.map((a) => [a.ownerName, a.text])).toEqual([
      ["Keiko Mori", "Write the grant application"],
    ]);
  });
});

describe("what an object pronoun can be (sentences written for this test)", () => {
  test("'add the domain to it' is never 'to the domain'; 'It…' carries the subject before", () => {
    const monitor = ["The monitor only checks the main domain, not the backup one."];
    expect(resolveTask("add the backup domain to it", monitor, nobody)).toBe(
      "add the backup domain to the monitor",
    );
    const probe = ["It read two degrees low last week.", "Or the pressure gauge is off again."];
    expect(resolveTask("check it against the spare gauge", probe, nobody)).toBe(
      "check the pressure gauge against the spare gauge",
    );
  });

  test("'Omar will take us through the numbers' runs the meeting; it is no item", () => {
    expect(items([["u_a", "Paul will take us through the numbers first."]])).toEqual([]);
  });

  test("'That's on me. I'll sign it this week.' is one item, in the words of the second", () => {
    const r = items([
      ["u_a", "The engagement letter from the auditors is still unsigned."],
      ["u_b", "That's on me. I'll sign it this week."],
    ]);
    expect(r).toHaveLength(1);
    expect(r[0]![1]).toMatch(/^Sign the engagement letter/);
  });
});

describe("a commitment said under a topic", () => {
  test("'And the media plan, I'll get you the budget' keeps the topic", () => {
    const r = items([
      ["u_a", "The showroom works for the video."],
      ["u_b", "And the media plan, I'll get you the revised budget next Tuesday."],
    ]);
    expect(r).toEqual([
      ["Paul Grant", "Get Ines the revised budget next Tuesday (re: the media plan)", "2026-01-13"],
    ]);
  });
});
