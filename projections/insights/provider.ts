/**
 * The insights provider seam: what a provider is given about an ended
 * meeting and what it answers. Providers run in actions (never in a query or
 * mutation); the default is the deterministic local NLP provider
 * (`localProvider.ts`), an LLM provider is selectable by configuration.
 */

/** One participant as the provider sees it. */
export type InsightsParticipant = { userId: string; name: string };

/** Everything a provider may read about one ended meeting. */
export type InsightsInput = {
  title: string;
  /** Plain text of the meeting notes (lines). */
  notesText: string;
  /** Transcript turns in order. */
  transcript: { speakerId: string; speaker: string; text: string }[];
  participants: InsightsParticipant[];
};

/** An action item; `owner` is a participant's userId when the text names one. */
export type ActionItem = { text: string; owner: string | null; due: string | null };

/** Insights about the whole meeting. */
export type MeetingInsights = {
  summary: string;
  actionItems: ActionItem[];
  keyTakeaways: string[];
  decisions: string[];
  followUps: string[];
  recommendations: string[];
};

/** Insights for one participant. */
export type ParticipantInsights = MeetingInsights & { userId: string };

/** A provider of meeting insights. Deterministic providers make retries idempotent. */
export interface InsightsProvider {
  readonly name: string;
  analyze(input: InsightsInput): Promise<MeetingInsights>;
}

/**
 * Tailor meeting insights to one participant: their own action items first,
 * then unassigned ones (others' items stay visible to them in the meeting
 * view, not in their personal list), and a personal line in the summary.
 */
export function personalize(
  m: MeetingInsights,
  input: InsightsInput,
  userId: string,
): ParticipantInsights {
  const mine = m.actionItems.filter((a) => a.owner === userId);
  const open = m.actionItems.filter((a) => a.owner === null);
  const name = input.participants.find((p) => p.userId === userId)?.name ?? "You";
  const personal =
    mine.length === 0
      ? `${name}: no action items were assigned to you.`
      : `${name}: ${mine.length} action item${mine.length === 1 ? "" : "s"} for you — ${mine.map((a) => a.text).join(" ")}`;
  return { ...m, userId, actionItems: [...mine, ...open], summary: `${m.summary} ${personal}` };
}
