/**
 * What the room looks like right now, for in-call prompts: the meetingState
 * view (presence, speaking time, the last final utterances), the notes'
 * last edit and the conversation's key phrases (`projections/core/keyPhrases`,
 * never stop words or filler).
 */
import { keyPhrases } from "../../projections/core/keyPhrases";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { readVersionOf } from "../projectors/control";
import { getNotesRow } from "../projectors/meetingNotes";
import { getMeetingStateRow } from "../projectors/meetingState";

/** Why: five topics fit the room's chips and a prompt's context. */
export const TOPIC_COUNT = 5;

/** The live context of a meeting. */
export type LiveContext = {
  state: Doc<"meetingStates"> | null;
  notesLastAt: number | null;
  notesText: string;
  topics: string[];
  /** When the room last heard a final utterance or saw a note edit (or the start). */
  lastActivityAt: number | null;
};

/** Read the live context of `meeting`. */
export async function liveContext(ctx: QueryCtx, meeting: Doc<"meetings">): Promise<LiveContext> {
  const meetingId: Id<"meetings"> = meeting._id;
  const state = await getMeetingStateRow(ctx, meetingId, await readVersionOf(ctx, "meetingState"));
  const notes = await getNotesRow(ctx, meetingId, await readVersionOf(ctx, "meetingNotes"));
  const topics = keyPhrases(state?.recentFinals ?? [], TOPIC_COUNT);
  const times = [
    state?.lastSpeechAt ?? null,
    notes?.lastAt ?? null,
    meeting.startedAt ?? null,
  ].filter((t): t is number => typeof t === "number");
  return {
    state,
    notesLastAt: notes?.lastAt ?? null,
    notesText: notes?.text ?? "",
    topics,
    lastActivityAt: times.length > 0 ? Math.max(...times) : null,
  };
}

/** Whether two topic lists show a shift: little overlap between non-trivial lists. */
export function isTopicShift(before: readonly string[], now: readonly string[]): boolean {
  if (before.length < 2 || now.length < 2) return false;
  const words = (xs: readonly string[]) => new Set(xs.flatMap((x) => x.split(" ")));
  const a = words(before);
  const b = [...words(now)];
  const shared = b.filter((w) => a.has(w)).length;
  return shared / Math.min(a.size, b.length) <= 0.25;
}
