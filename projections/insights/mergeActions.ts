/**
 * Action-item candidates as the rules of `actions.ts` find them, and their
 * merge into the items people read: the same task found twice (in other
 * words, through a pronoun, or as a notes line summing up a sentence) is one
 * item with the longer wording and the first due date said.
 */
import type { People } from "./people";
import { type ActionItem, type InsightsParticipant, itemId } from "./provider";
import { clean, type Sentence } from "./sentences";
import { similar } from "./taskSimilarity";

/** A task found by a rule, before merging. */
export type Candidate = {
  task: string;
  owner: InsightsParticipant | null;
  s: Sentence;
  due: { phrase: string; date: string | null } | null;
  /** Set when the item came from a request: its addressee's reply may add a due date. */
  request?: boolean;
  /** The task as said, before its pronouns were resolved (`taskWording.ts`). */
  said?: string;
};

/** Whether a candidate is a line of the notes (not something said in the call). */
const fromNotes = (c: Candidate): boolean => c.s.source?.kind === "note";

/** The candidates as action items, each task once. */
export function merge(
  cands: readonly Candidate[],
  people: People,
  textOf: (c: Candidate) => string,
  aboutOf: (c: Candidate) => string | null,
): ActionItem[] {
  const kept: Candidate[] = [];
  for (const c of cands) {
    // The same task twice: alike in words; or one says "get him on site" about what the other
    // names; or a notes line ("Julia to update the dashboards once backfill lands") sums up what
    // was said ("Once the backfill lands I'll switch the finance dashboards…"), whole sentence.
    const about = aboutOf(c);
    const twin = kept.find(
      (k) =>
        (k.owner?.userId ?? null) === (c.owner?.userId ?? null) &&
        (similar(k.task, c.task) ||
          (about !== null && similar(k.task, about)) ||
          (fromNotes(k) !== fromNotes(c) &&
            similar(fromNotes(k) ? k.task : c.task, clean((fromNotes(k) ? c : k).s.text)))),
    );
    if (twin) {
      twin.due ??= c.due;
      // The longer of two paraphrases; a task merged through what it points at keeps the twin's words.
      if (
        !(about !== null && similar(twin.task, about) && !similar(twin.task, c.task)) &&
        c.task.split(/\s+/).length > twin.task.split(/\s+/).length &&
        c.task.split(/\s+/).length <= 16
      ) {
        twin.task = c.task;
      }
      continue;
    }
    kept.push({ ...c });
  }
  return kept.map((c) => {
    const text = textOf(c);
    return {
      id: itemId("action", `${c.owner?.userId ?? ""} ${text}`),
      text,
      owner: c.owner?.userId ?? null,
      ownerName: c.owner ? (people.nameOf(c.owner.userId) ?? c.owner.name) : null,
      due: c.due?.phrase ?? null,
      dueDate: c.due?.date ?? null,
      source: c.s.source,
    };
  });
}

/**
 * The latest request made to `s`'s speaker in the `turns` turns before it (with `orUnowned`, or to
 * no one yet: an unaddressed "Can you…?"), if any.
 */
export function requestBefore(
  out: readonly Candidate[],
  s: Sentence,
  turns: number,
  orUnowned: boolean,
): Candidate | undefined {
  return [...out]
    .reverse()
    .find(
      (k) =>
        k.request === true &&
        k.s.turn >= s.turn - turns &&
        k.s.turn < s.turn &&
        (k.owner?.userId === s.speakerId || (orUnowned && k.owner === null)),
    );
}
