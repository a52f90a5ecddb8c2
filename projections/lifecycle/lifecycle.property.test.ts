/**
 * Property: for any sequence of lifecycle commands from several users,
 * (1) every state the decider leads to is reachable by the state machine
 * (`invariants.ts`: one unremoved host, nobody joined outside a live meeting,
 * timestamps match the status), (2) every step is a legal transition,
 * (3) a refused command emits nothing, (4) replaying all accepted events from
 * the initial state reproduces the final state, and (5) decide is pure (the
 * same state and command give the same decision).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { sessionArb, type TimelessCommand } from "../../tests/projections/lifecycleArbitraries";
import type { MeetingEvent } from "../events/meeting";
import { toStoredMeetingEvent, upcastMeetingEvent } from "../events/meeting";
import type { MeetingCommand } from "./commands";
import { decide } from "./decide";
import { stateProblems, stepProblems } from "./invariants";
import { evolve, initialState, replay } from "./state";

function run(commands: readonly TimelessCommand[]) {
  let state = initialState();
  const log: MeetingEvent[] = [];
  for (const [i, c] of commands.entries()) {
    const cmd = { ...c, at: (i + 1) * 1000 } as MeetingCommand;
    const d = decide(state, cmd);
    expect(decide(state, cmd)).toEqual(d);
    if (!d.ok) continue;
    const next = d.events.reduce(evolve, state);
    expect(stepProblems(state, next)).toEqual([]);
    expect(stateProblems(next)).toEqual([]);
    // Every intermediate state inside one decision is reachable too.
    let mid = state;
    for (const e of d.events) {
      const after = evolve(mid, e);
      expect(stepProblems(mid, after)).toEqual([]);
      mid = after;
    }
    state = next;
    log.push(...d.events);
  }
  return { state, log };
}

describe("lifecycle property", () => {
  test("any command sequence stays in reachable states and replays to the same state", () => {
    fc.assert(
      fc.property(sessionArb(40), (commands) => {
        const { state, log } = run(commands);
        expect(replay(log)).toEqual(state);
        // Through storage: split into rows, upcast back, replay.
        expect(replay(log.map((e) => upcastMeetingEvent(toStoredMeetingEvent(e))))).toEqual(state);
      }),
      { numRuns: 400 },
    );
  });

  // Pinned examples: sequences that exercise the subtle paths (host transfer
  // while live, removal of a joined co-host, rejoin after leave, end with
  // several present).
  test.each<[string, TimelessCommand[]]>([
    [
      "transfer host while live, new host removes the old one and ends",
      [
        {
          type: "Schedule",
          by: "h",
          title: "S",
          scheduledAt: 0,
          durationMinutes: 30,
          invitees: [{ userId: "a", role: "participant" }],
        },
        { type: "Start", by: "h" },
        { type: "Join", by: "a" },
        { type: "ChangeRole", by: "h", userId: "a", role: "host" },
        { type: "Remove", by: "a", userId: "h" },
        { type: "End", by: "h" },
        { type: "End", by: "a" },
      ],
    ],
    [
      "removed joined co-host cannot rejoin",
      [
        {
          type: "Schedule",
          by: "h",
          title: "S",
          scheduledAt: 0,
          durationMinutes: 30,
          invitees: [{ userId: "b", role: "cohost" }],
        },
        { type: "Start", by: "b" },
        { type: "Remove", by: "h", userId: "b" },
        { type: "Join", by: "b" },
        { type: "Leave", by: "h" },
        { type: "Join", by: "h" },
        { type: "End", by: "h" },
      ],
    ],
  ])("pinned: %s", (_, commands) => {
    const { state, log } = run(commands);
    expect(replay(log)).toEqual(state);
    expect(stateProblems(state)).toEqual([]);
    expect(state.status).toBe("ended");
  });
});
