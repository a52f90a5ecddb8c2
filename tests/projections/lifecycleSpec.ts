/**
 * Given-When-Then for the lifecycle decider (Emmett style): given past
 * events, when a command, then the new events or a coded refusal.
 */
import { expect } from "vitest";
import type { MeetingEvent } from "../../projections/events/meeting";
import type { DecisionErrorCode, MeetingCommand } from "../../projections/lifecycle/commands";
import { decide } from "../../projections/lifecycle/decide";
import { replay } from "../../projections/lifecycle/state";

/** Start a specification from past events. */
export function given(...events: MeetingEvent[]) {
  return {
    when(cmd: MeetingCommand) {
      const decision = decide(replay(events), cmd);
      return {
        thenEmits(...expected: MeetingEvent[]) {
          expect(decision).toEqual({ ok: true, events: expected });
        },
        thenNothing() {
          expect(decision).toEqual({ ok: true, events: [] });
        },
        thenRefused(code: DecisionErrorCode, message?: RegExp) {
          expect(decision).toMatchObject({ ok: false, code });
          if (message && !decision.ok) expect(decision.message).toMatch(message);
        },
      };
    },
  };
}
