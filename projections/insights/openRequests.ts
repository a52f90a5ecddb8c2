/**
 * Requests the rules of `actions.ts` read with help from here: a task put to
 * the room ("Someone should pull the click data", "I need someone to chase…") belongs to whoever takes
 * it in the next turns ("That's me", "I'll do it"), and is no item when
 * nobody does; "would you mind handling…" asks to handle; "introduce us"
 * names who is introduced to whom.
 */
import { findDue } from "./dueDate";
import type { People } from "./people";
import type { InsightsParticipant } from "./provider";
import { clean, lemmas, type Sentence } from "./sentences";

const OPEN =
  /^(?:and\s+|but\s+)?(?:(?:someone|somebody|anyone|anybody)\s+(?:should|needs to|has to|must|ought to|will have to|could|can|has got to)|(?:someone|somebody)(?=\s+(?:check|call|ring|email|chase|book|send|ask|tell|find|look|fix|sort|order|update|write|make|get|take|pick|bring|set|clean|print|reset|contact|confirm)\b)|(?:i|we)\s+(?:need|want|'ll need|will need)\s+(?:someone|somebody)\s+to)\s+(.+?)(?:,?\s+though)?[.!]?$/i;
/** The same put as a question: "Can someone run a session on the dashboards?" */
const OPEN_ASKED =
  /^(?:and\s+|but\s+)?(?:can|could|would|will)\s+(?:someone|somebody|anyone|anybody)\s+(?:please\s+)?(.+?)\?$/i;
/** Taking a task put to the room. */
const TAKES =
  /^(?:that's (?:usually |probably )?me|that's on (?:me|my plate)|that one's mine|that's mine|that'd be me|that would be me|me\b|mine\b|i will\b|i can\b|i'll do it|i'll take it|i'll take that|i can do (?:it|that)|leave it with me|i'm on it|on it\b|i'll handle it|i'll sort it)/i;
const REFUSES = /^(?:not me|no\b|nope|i can't|i cannot|sorry)/i;

/** Why: a task put to the room is taken at once or not at all; two turns is "at once". */
const TAKE_TURNS = 2;

/** A task put to the room and who took it (null when nobody did), with the sentences that took it. */
export function openAssignment(
  c: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
): {
  task: string;
  owner: InsightsParticipant | null;
  due: { phrase: string; date: string | null } | null;
  taken: number[];
} | null {
  const m = /\?\s*$/.test(c) ? OPEN_ASKED.exec(c) : OPEN.exec(c);
  if (!m || s.turn < 0) return null;
  const task = m[1]!;
  const later = all.filter(
    (x) => !x.fromNotes && x.index > s.index && x.turn <= s.turn + TAKE_TURNS,
  );
  for (const x of later) {
    const t = clean(x.text);
    if (REFUSES.test(t)) continue;
    if (!TAKES.test(t)) {
      // Another task put or a question asked before anyone takes it: nobody took it.
      // ("That's on my plate as treasurer, I suppose. Yeah, I'll do it." takes it in its second sentence.)
      // A question asked before anyone takes it moves on: nobody took it. ("I'm not sure how to
      // do that" — "I'll do it" still takes it.)
      if (x.speakerId !== s.speakerId && x.turn > s.turn && /\?\s*$/.test(t)) break;
      continue;
    }
    const owner = people.all.find((p) => p.userId === x.speakerId) ?? null;
    const turn = all.filter((y) => y.turn === x.turn && y.index >= x.index);
    const due =
      findDue(task, meetingAt) ??
      turn.map((y) => findDue(y.text, meetingAt)).find((d) => d !== null) ??
      null;
    return {
      task,
      owner,
      due: due ? { phrase: due.phrase, date: due.date } : null,
      taken: turn.map((y) => y.index),
    };
  }
  return { task, owner: null, due: null, taken: [] };
}

/** "mind handling the screenshots" → "handle the screenshots". */
export function unGerund(task: string): string {
  const m = /^mind\s+(\S+ing)\b/i.exec(task);
  if (!m) return task;
  return `${lemmas(m[1]!)[0] ?? m[1]}${task.slice(m[0].length)}`;
}

/** "have a look at it", "have a word with Sam": "have" that starts a task. */
export const HAVE_TASK = /^have\s+(?:a\s+)?(?:look|word|chat|go|think|quick look)\b/i;

/**
 * "introduce us" / "introduce me" → "introduce Daniel to Aleksander at the Poznań site": the
 * person asking, to the last person named before who is not in the meeting.
 */
export function introduction(
  task: string,
  asker: InsightsParticipant | null,
  context: readonly string[],
  people: People,
): string {
  const m = /^(introduce|connect)\s+(us|me)\b(?!\s+to\b)/i.exec(task);
  if (!m || !asker) return task;
  const first = asker.name.split(/\s+/).find((w) => people.named(w) === asker) ?? asker.name;
  for (const sentence of context) {
    const named = [
      ...sentence.matchAll(
        /\b(\p{Lu}\p{L}+)(\s+(?:at|from)\s+(?:our|the|their)\s+[\p{L} ]+?)?(?=[,.;!?]|$)/gu,
      ),
    ].find(
      (x) =>
        people.named(x[1]!) === null &&
        !/^(?:I|The|Oh|And|But|So|Sure|Yes)$/.test(x[1]!) &&
        x.index! > 0,
    );
    if (named)
      return `${m[1]} ${first} to ${named[1]}${(named[2] ?? "").replace(/\s(?:our|their)\s/, " the ")}${task.slice(m[0].length)}`;
  }
  return task;
}
