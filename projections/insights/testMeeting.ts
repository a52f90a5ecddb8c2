/** A small transcript-only meeting for the insights tests: lines are `[speakerId, text]`. */
import type { InsightsInput, InsightsParticipant } from "./provider";

/** Wednesday 2026-01-07, 10:00 UTC: the reference day of the tests' due dates. */
export const TEST_MEETING_AT = Date.UTC(2026, 0, 7, 10);

/** The meeting `lines` make among `participants` (one utterance per line, 1 ms apart). */
export function testMeeting(
  participants: readonly InsightsParticipant[],
  lines: readonly [string, string][],
): InsightsInput {
  const name = (id: string) => participants.find((p) => p.userId === id)!.name;
  return {
    title: "Test",
    meetingAt: TEST_MEETING_AT,
    notesText: "",
    participants: [...participants],
    transcript: lines.map(([id, text], i) => ({ speakerId: id, speaker: name(id), text, at: i })),
  };
}
