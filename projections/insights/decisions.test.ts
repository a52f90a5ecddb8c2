import { describe, expect, test } from "vitest";
import { planOf, refusedPlan } from "./decisionWording";
import { analyzeLocally } from "./localProvider";
import { speakerLines as meeting } from "./testMeeting";

const decisions = (lines: string[]) => analyzeLocally(meeting(lines)).decisions.map((d) => d.text);

describe("a proposal put as a question settles by its answer", () => {
  test("assent settles the plan itself, with what the answer adds", () => {
    expect(
      decisions(["Ben: Should we move the workshop to the big hall?", "Ana: Good idea, yes."]),
    ).toEqual(["Move the workshop to the big hall"]);
    expect(
      decisions([
        "Cy: Are we still doing the raffle at the fair?",
        "Ana: Yes, with the same prizes as last year.",
      ]),
    ).toEqual(["Do the raffle at the fair (with the same prizes as last year)"]);
  });

  test("a refusal with nothing said instead settles that it is not done, and why", () => {
    expect(
      decisions([
        "Cy: Could we hire a photographer for the launch?",
        "Ben: Not this year, the budget is spent. Maybe in spring.",
      ]),
    ).toEqual([
      "Do not hire a photographer for the launch (not this year, the budget is spent; Maybe in spring)",
    ]);
    expect(
      decisions([
        "Ben: Would you be open to a joint newsletter?",
        "Cy: Maybe later, I would rather see the pilot work first.",
      ]),
    ).toEqual(["No joint newsletter (maybe later, I would rather see the pilot work first)"]);
  });

  test("what the refusing answer says instead is the decision, kept with what it replaces", () => {
    expect(
      decisions([
        "Ben: Do we still send the samples to the Leeds lab?",
        "Ana: No, their turnaround is too slow. The samples go to the Bristol lab.",
      ]),
    ).toEqual([
      "The samples go to the Bristol lab (rather than: send the samples to the Leeds lab)",
    ]);
  });

  test("'Agreed, we keep…' after a refusal settles, in the plain words of what was settled", () => {
    expect(
      decisions([
        "Cy: Should we cancel the Friday standup?",
        "Ben: I don't think we should, people use it.",
        "Ana: Agreed, we keep the standup on Fridays.",
      ]),
    ).toEqual(["Keep the standup on Fridays (rather than: cancel the Friday standup)"]);
  });

  test("an answer to 'X or Y?' that picks one settles it, its pronoun resolved", () => {
    expect(
      decisions(["Cy: Should we sell the old chairs or keep them?", "Ana: Keep them."]),
    ).toEqual(["Keep the old chairs"]);
  });

  test("requests taken, reassurance, meeting again and small talk settle nothing", () => {
    const none = [
      ["Ben: Can we get the slides before Friday?", "Ana: Sure, I'll send them Thursday."],
      ["Ben: Could we have the quarterly report by Monday?", "Cy: Yes, no problem."],
      [
        "Ana: Should we worry about the new competitor?",
        "Ben: No, their product is far behind ours.",
      ],
      ["Ben: Are we still meeting on Thursday?", "Ana: Yes, same time."],
      ["Cy: Can we talk about your holiday plans?", "Ana: Ha, sure."],
      ["Cy: Should we invite the whole team?", "Ana: I'm not sure. Let me think about it."],
    ];
    for (const lines of none) expect(decisions(lines)).toEqual([]);
  });

  test("an agreeing answer to a question of fact states a fact, not a decision", () => {
    const none = [
      ["Ben: Did the client sign the contract?", "Ana: Yes, the client signed it yesterday."],
      ["Ben: Is the printer working again?", "Ana: Okay, the printer is still broken upstairs."],
      ["Ben: The new hire starts Monday.", "Ana: Right, the laptop for the new hire is on order."],
    ];
    for (const lines of none) expect(decisions(lines)).toEqual([]);
  });

  test("steering the meeting is no plan; 'Are we going to…?' puts what follows", () => {
    expect(decisions(["Ben: Can we move on to the budget?", "Ana: Yes."])).toEqual([]);
    expect(
      decisions(["Ben: Are we going to hire a tutor for the autumn?", "Ana: Yes, from September."]),
    ).toEqual(["Hire a tutor for the autumn (from September)"]);
  });

  test("'Should I…?' answered yes, and a plan handed to someone at once, are tasks, not decisions", () => {
    expect(decisions(["Ben: Should I book the train tickets?", "Ana: Yes, please."])).toEqual([]);
    const m = analyzeLocally(
      meeting([
        "Cy: Can we add a dark mode toggle?",
        "Ana: Good idea. Ben, could you add it to the settings page by Friday?",
      ]),
    );
    expect(m.decisions).toEqual([]);
    expect(m.actionItems.map((a) => a.ownerName)).toEqual(["Ben Okoro"]);
  });
});

describe("what a turned-down proposal settles instead", () => {
  test("'Maybe, but…' turns it down; the group's plan that follows is the decision", () => {
    expect(
      decisions([
        "Cy: Could we ask the parents to bring cakes instead?",
        "Ana: Maybe, but the school wants it catered. We'll order from the bakery.",
      ]),
    ).toEqual(["Order from the bakery (rather than: ask the parents to bring cakes)"]);
  });

  test("a motion turned down, then 'Then …' in the next turn", () => {
    expect(
      decisions([
        "Ben: I move we hold the vote online.",
        "Cy: An online vote would exclude half the members. We can't risk that.",
        "Ana: Then hold it in the hall as usual.",
      ]),
    ).toEqual(["Hold the vote in the hall as usual (rather than: hold the vote online)"]);
  });

  test("a plan said 'instead' in the answer replaces the proposal without a word of refusal", () => {
    expect(
      decisions([
        "Ben: Should we drive the visitors from the airport?",
        "Cy: The van is in the garage. Let's book a taxi instead.",
      ]),
    ).toEqual(["Book a taxi instead (rather than: drive the visitors from the airport)"]);
  });

  test("turning down a change keeps what is there; turned-down advice settles too", () => {
    expect(
      decisions([
        "Ben: Should we switch to the cheaper courier?",
        "Ana: No, they lost two parcels last month.",
      ]),
    ).toEqual([
      "Stay with the current one rather than switch to the cheaper courier (they lost two parcels last month)",
    ]);
    expect(
      decisions([
        "Ben: Maybe you should hire a second designer before the launch.",
        "Ana: I'd rather not, the budget is set.",
      ]),
    ).toEqual([
      "Do not hire a second designer before the launch (I'd rather not, the budget is set)",
    ]);
  });

  test("a bare 'Yes.' is worded by the sentence after it", () => {
    expect(
      decisions([
        "Cy: Should we lock the main branch before the release?",
        "Ana: Yes. Nothing merges from the 20th without a review.",
      ]),
    ).toEqual([
      "Lock the main branch before the release (Nothing merges from the 20th without a review)",
    ]);
  });
});

describe("how a decision is worded", () => {
  test("'Let's…' / 'We'll…' state what was settled, with the object its pronoun stands for", () => {
    expect(
      decisions([
        "Ana: The old laptops are slow.",
        "Ben: Let's keep them until the budget is approved.",
      ]),
    ).toEqual(["Keep the old laptops until the budget is approved"]);
  });

  test("the asker's own words say what the plan's pronoun stands for", () => {
    expect(
      decisions([
        "Cy: Next item, the summer party. Are we holding it in the garden again?",
        "Ana: Yes, the garden, same as last year.",
      ]),
    ).toEqual(["Hold the summer party in the garden again (the garden, same as last year)"]);
  });

  test("what happened, told in the past, is no decision", () => {
    expect(
      decisions([
        "Ben: So we opened up the wall yesterday, and there is a pipe behind it.",
        "Ana: Is that a problem?",
      ]),
    ).toEqual([]);
  });

  test("a question's plan: verbs as their base form, topics and names put first left out", () => {
    expect(planOf("What if we dropped the Starter tier and only offered a trial?")).toBe(
      "drop the Starter tier and only offer a trial",
    );
    expect(planOf("Elena, about the grant, are we including the mouse work?")).toBe(
      "include the mouse work",
    );
    expect(planOf("Do we still want the tasting menu on weekends?")).toBe(
      "keep the tasting menu on weekends",
    );
    expect(planOf("What about painting the hall early, before the stage arrives?")).toBe(
      "paint the hall early, before the stage arrives",
    );
    // A topic, not a plan; a question about a need, not a plan.
    expect(planOf("What about the arch?")).toBeNull();
    expect(planOf("What about pricing for small teams?")).toBeNull();
    expect(planOf("Do we need to tell the clients?")).toBeNull();
    // Questions of fact or of means, not of what to do.
    expect(planOf("Do we ship to Canada?")).toBeNull();
    expect(planOf("Can we afford a second van?")).toBeNull();
    expect(planOf("Do we tell the students up front?")).toBe("tell the students up front");
    expect(refusedPlan("buy more freezers", null)).toBe("Do not buy more freezers");
    expect(refusedPlan("a joint webinar", "not yet")).toBe("No joint webinar (not yet)");
  });
});
