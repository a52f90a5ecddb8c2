/**
 * A labelled meeting as the local provider's input, without the engine: participants get ids
 * `u<i>_<meeting>`, utterances are 8 s apart from the start. Shared by the direct loop
 * (`bench/insights-direct.ts`) and the training script (`bench/insights-train.ts`).
 */
import type { InsightsInput } from "../../projections/insights/provider";
import { fullNameOf, type LabelledMeeting } from "./insights-dataset";

/** What `analyzeLocally` reads for `m`. */
export function directInput(m: LabelledMeeting): InsightsInput {
  const participants = m.people.map((name, i) => ({ userId: `u${i}_${m.id}`, name }));
  const idOf = (speaker: string) =>
    participants.find((p) => p.name === fullNameOf(m, speaker))!.userId;
  return {
    title: m.title,
    meetingAt: m.startAt,
    notesText: m.notes.join("\n"),
    transcript: m.lines.map((l, i) => ({
      speakerId: idOf(l.speaker),
      speaker: fullNameOf(m, l.speaker),
      text: l.text,
      at: m.startAt + i * 8_000,
    })),
    participants,
  };
}
