/**
 * The insights provider seam: what a provider is given about an ended
 * meeting and what it answers. Providers run in actions (never in a query or
 * mutation); the default is the deterministic local NLP provider
 * (`localProvider.ts`), an LLM provider is selectable by configuration
 * (`llmProvider.ts`).
 */

import { type InsightsParticipant, nameWords } from "./people";

/** One participant as the provider sees it (declared beside the name rules in `people.ts`). */
export type { InsightsParticipant } from "./people";

/** One final transcript utterance (interim chunks never reach a provider). */
export type TranscriptTurn = {
  speakerId: string;
  speaker: string;
  text: string;
  /** Wall-clock ms when it was said (the replay opens here). */
  at: number;
};

/** Everything a provider may read about one ended meeting. */
export type InsightsInput = {
  title: string;
  /** When the meeting started (ms): the reference for "Friday", "tomorrow"… */
  meetingAt: number;
  /** Plain text of the meeting notes (lines). */
  notesText: string;
  /** Final transcript utterances in order. */
  transcript: TranscriptTurn[];
  participants: InsightsParticipant[];
};

/** Where an item came from: a transcript moment or a notes line. */
export type SourceRef =
  | { kind: "transcript"; at: number; speakerId: string }
  | { kind: "note"; line: number };

/** Something a provider found, with its source. `id` is stable across regenerations. */
export type InsightItem = { id: string; text: string; source: SourceRef | null };

/** An action item; `owner` is a participant's userId, `ownerName` their name. */
export type ActionItem = InsightItem & {
  owner: string | null;
  ownerName: string | null;
  /** The due date as said ("by Friday"), or null. */
  due: string | null;
  /** The due date resolved against the meeting date (YYYY-MM-DD), or null. */
  dueDate: string | null;
};

/** The kinds of recommendation. */
export const RECOMMENDATION_TYPES = ["connect", "follow_up", "resource", "suggestion"] as const;
/** A recommendation's kind. */
export type RecommendationType = (typeof RECOMMENDATION_TYPES)[number];

/** A recommendation: `userId` names the person to connect with (type `connect`). */
export type Recommendation = InsightItem & {
  type: RecommendationType;
  /** 0–1: how sure the provider is that this is worth doing. */
  confidence: number;
  userId: string | null;
};

/** Insights about the whole meeting. */
export type MeetingInsights = {
  /** A few sentences. */
  summary: string;
  actionItems: ActionItem[];
  keyTakeaways: InsightItem[];
  decisions: InsightItem[];
  followUps: InsightItem[];
  recommendations: Recommendation[];
};

/** Insights for one participant. */
export type ParticipantInsights = MeetingInsights & { userId: string };

/** A provider of meeting insights. Deterministic providers make retries idempotent. */
export interface InsightsProvider {
  readonly name: string;
  analyze(input: InsightsInput): Promise<MeetingInsights>;
}

/**
 * A short stable id for an item (cyrb53 of its kind and normalized text):
 * the same item keeps its id when insights are regenerated, so a person's
 * edits and dismissals carry over.
 */
export function itemId(kind: string, text: string): string {
  const s = `${kind}:${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${kind[0]}${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

/**
 * Tailor meeting insights to one participant: their own action items first,
 * then unassigned ones (others' items stay visible to them in the meeting
 * view, not in their personal list), "connect" recommendations about anyone
 * but themselves, and a personal sentence in the summary.
 */
export function personalize(
  m: MeetingInsights,
  input: InsightsInput,
  userId: string,
): ParticipantInsights {
  const mine = m.actionItems.filter((a) => a.owner === userId);
  const open = m.actionItems.filter((a) => a.owner === null);
  const name = input.participants.find((p) => p.userId === userId)?.name ?? "You";
  const first = nameWords(name)[0] ?? name;
  const personal =
    mine.length === 0
      ? `${first}, no action items were assigned to you.`
      : `${first}, you have ${mine.length} action item${mine.length === 1 ? "" : "s"}: ${mine
          .map((a) => lowerFirst(a.text.replace(/[.!]+$/, "")))
          .join("; ")}.`;
  return {
    ...m,
    userId,
    actionItems: [...mine, ...open],
    recommendations: m.recommendations.filter((r) => r.type !== "connect" || r.userId !== userId),
    summary: `${m.summary} ${personal}`,
  };
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
