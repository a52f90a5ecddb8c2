/**
 * Bounded fast-check arbitraries of lifecycle commands from a small cast of
 * users (shared by the pure and the convex-level property tests).
 */
import fc from "fast-check";
import type { ParticipantRole } from "../../projections/events/meeting";
import type { MeetingCommand } from "../../projections/lifecycle/commands";

/** The cast: the first one schedules; "x" is never invited unless a command does. */
export const CAST = ["h", "a", "b", "c", "x"] as const;

/** A command without its time (the test assigns increasing times). */
export type TimelessCommand = MeetingCommand extends infer C
  ? C extends MeetingCommand
    ? Omit<C, "at">
    : never
  : never;

const user = fc.constantFrom(...CAST);
const role = fc.constantFrom<ParticipantRole>("host", "cohost", "participant", "observer");
const nonHost = fc.constantFrom<"cohost" | "participant" | "observer">(
  "cohost",
  "participant",
  "observer",
);

/** One command by someone in the cast. */
export const commandArb: fc.Arbitrary<TimelessCommand> = fc.oneof(
  fc.record({
    type: fc.constant("Schedule" as const),
    by: user,
    title: fc.constantFrom("Sync", "", "Retro"),
    scheduledAt: fc.integer({ min: 0, max: 10_000 }),
    durationMinutes: fc.constantFrom(0, 15, 60),
    invitees: fc.uniqueArray(fc.record({ userId: user, role: nonHost }), {
      maxLength: 3,
      selector: (i) => i.userId,
    }),
  }),
  fc.record({ type: fc.constant("Start" as const), by: user }),
  fc.record({ type: fc.constant("End" as const), by: user }),
  fc.record({ type: fc.constant("Cancel" as const), by: user }),
  fc.record({ type: fc.constant("Invite" as const), by: user, userId: user, role }),
  fc.record({ type: fc.constant("Join" as const), by: user }),
  fc.record({ type: fc.constant("Leave" as const), by: user }),
  fc.record({ type: fc.constant("ChangeRole" as const), by: user, userId: user, role }),
  fc.record({ type: fc.constant("Remove" as const), by: user, userId: user }),
);

/** A first command that schedules (so most runs exercise a real meeting), then up to `max` more. */
export function sessionArb(max: number): fc.Arbitrary<TimelessCommand[]> {
  const schedule = fc.record({
    type: fc.constant("Schedule" as const),
    by: fc.constant("h"),
    title: fc.constant("Sync"),
    scheduledAt: fc.constant(0),
    durationMinutes: fc.constant(30),
    invitees: fc.uniqueArray(fc.record({ userId: fc.constantFrom("a", "b", "c"), role: nonHost }), {
      maxLength: 3,
      selector: (i) => i.userId,
    }),
  });
  return fc
    .tuple(schedule, fc.array(commandArb, { maxLength: max }))
    .map(([s, rest]) => [s, ...rest]);
}
