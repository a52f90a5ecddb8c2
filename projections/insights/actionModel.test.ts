import { describe, expect, test } from "vitest";
import { actionFeatures } from "./actionFeatures";
import { ACTION_MODEL, type ActionModel, keepLikely, probability } from "./actionModel";
import { analyzeLocally } from "./localProvider";
import { peopleOf } from "./people";
import { sentenceCandidates } from "./sentenceCandidates";
import { sentencesOf } from "./sentences";
import { testMeeting } from "./testMeeting";

const participants = [
  { userId: "u_a", name: "Karin Holm" },
  { userId: "u_b", name: "Dev Malhotra" },
];

const meeting = (lines: [string, string][]) => testMeeting(participants, lines);

// Sentences written for this test.
const lines: [string, string][] = [
  ["u_a", "Dev, can you book the simulator for Friday?"],
  ["u_b", "Sure, I'll book it this afternoon."],
  ["u_a", "Did the trucks pass the inspection?"],
  ["u_b", "Both of them. I will check the boom nozzle again on Monday."],
];

describe("the learned action filter (actionModel.ts)", () => {
  const input = meeting(lines);
  const all = sentencesOf(input);
  const people = peopleOf(participants);
  const rules = analyzeLocally(input, null).actionItems;

  test("the committed model says whether it is on; off, the provider gives the rules' items", () => {
    expect(typeof ACTION_MODEL.enabled).toBe("boolean");
    if (!ACTION_MODEL.enabled) expect(analyzeLocally(input).actionItems).toEqual(rules);
  });

  test("features name the shape of the source sentence, not its words", () => {
    const booked = rules.find((a) => /simulator/i.test(a.text));
    expect(booked).toBeDefined();
    const f = actionFeatures(booked!, all, people);
    expect(Object.keys(f).every((k) => !/simulator|book/i.test(k))).toBe(true);
    expect(f.due).toBe(1);
  });

  test("an item is kept when its probability reaches the threshold, dropped below it", () => {
    const due: ActionModel = {
      enabled: true,
      generic: false,
      threshold: 0.5,
      weights: { bias: -1, due: 3 },
    };
    const kept = keepLikely(rules, [], all, people, due);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((a) => a.dueDate !== null)).toBe(true);
    expect(probability(due, { bias: 1 })).toBeLessThan(0.5);
    expect(keepLikely(rules, [], all, people, { ...due, enabled: false })).toEqual(rules);
  });

  test("generic candidates: first-person and addressed sentences the rules left, never questions", () => {
    const generic = sentenceCandidates(all, people, input.meetingAt, []);
    expect(generic.map((a) => [a.text, a.ownerName])).toEqual([
      ["Book it this afternoon", "Dev Malhotra"],
      ["Check the boom nozzle again on Monday", "Dev Malhotra"],
    ]);
    expect(generic[1]!.dueDate).toBe("2026-01-12");
    // A sentence the rules read is not offered again.
    const at = (a: { source: { kind: string; at?: number } | null }) =>
      a.source?.kind === "transcript" ? a.source.at : null;
    const taken = sentenceCandidates(all, people, input.meetingAt, rules);
    expect(rules.length).toBeGreaterThan(0);
    expect(taken.every((a) => !rules.some((r) => at(r) === at(a)))).toBe(true);
  });
});
