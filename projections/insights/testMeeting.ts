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

/** Tuesday 10 June 2025, 09:00 UTC: the reference day of the line-per-speaker tests. */
const SPEAKER_LINES_AT = Date.UTC(2025, 5, 10, 9);

/**
 * A meeting written for the tests (not part of the benchmark set) among Ana Lopes, Ben Okoro and
 * Cy Park: lines "First: text".
 */
export function speakerLines(lines: string[]): InsightsInput {
  const participants = [
    { userId: "u_ana", name: "Ana Lopes" },
    { userId: "u_ben", name: "Ben Okoro" },
    { userId: "u_cy", name: "Cy Park" },
  ];
  return {
    title: "Test meeting",
    meetingAt: SPEAKER_LINES_AT,
    notesText: "",
    participants,
    transcript: lines.map((l, i) => {
      const [first, ...rest] = l.split(": ");
      const p = participants.find((x) => x.name.startsWith(first!))!;
      return { speakerId: p.userId, speaker: p.name, text: rest.join(": "), at: i + 1 };
    }),
  };
}
