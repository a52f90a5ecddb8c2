/** `forgetInInsights` (issue 18): another participant's insights with an erased person forgotten. */
import { describe, expect, test } from "vitest";
import { forgetInInsights, scrubNames } from "./forget";
import type { StoredParticipantInsights } from "./stored";

const who = {
  userId: "u_pia",
  names: ["Pia", "Pia Example", "pia@example.com"],
  placeholder: "Erased person",
};
const open = { status: "open" as const, edited: false };

describe("forgetting a person in insights", () => {
  test("names are replaced, longest first and whatever their case; other words stay", () => {
    expect(scrubNames("Pia Example and PIA wrote to pia@example.com; Piano stays?", who)).toBe(
      "Erased person and Erased person wrote to Erased person; Piano stays?",
    );
    expect(scrubNames("nothing here", { ...who, names: [] })).toBe("nothing here");
  });

  test("their action items name nobody, recommendations to meet them go, sources stop pointing at them", () => {
    const insights: StoredParticipantInsights = {
      userId: "u_hana",
      summary: "Hana and Pia met.",
      actionItems: [
        {
          id: "a1",
          text: "Pia drafts the memo",
          owner: "u_pia",
          ownerName: "Pia",
          due: null,
          dueDate: null,
          source: { kind: "transcript", at: 5, speakerId: "u_pia" },
          ...open,
        },
        {
          id: "a2",
          text: "Hana books the room",
          owner: "u_hana",
          ownerName: "Hana",
          due: null,
          dueDate: null,
          source: null,
          ...open,
        },
      ],
      keyTakeaways: [
        { id: "k1", text: "Budget agreed", source: { kind: "note", line: 2 }, ...open },
      ],
      decisions: [],
      followUps: [],
      recommendations: [
        {
          id: "r1",
          type: "connect",
          text: "Connect with Pia",
          confidence: 0.7,
          userId: "u_pia",
          source: null,
          ...open,
        },
        {
          id: "r2",
          type: "resource",
          text: "Read the budget",
          confidence: 0.5,
          userId: null,
          source: null,
          ...open,
        },
      ],
    };
    const out = forgetInInsights(insights, who);
    expect(out.summary).toBe("Hana and Erased person met.");
    expect(out.actionItems[0]).toMatchObject({
      text: "Erased person drafts the memo",
      owner: null,
      ownerName: "Erased person",
      source: { kind: "transcript", at: 5, speakerId: "" },
    });
    expect(out.actionItems[1]).toEqual(insights.actionItems[1]);
    expect(out.keyTakeaways).toEqual(insights.keyTakeaways);
    expect(out.recommendations.map((r) => r.id)).toEqual(["r2"]);
  });
});
