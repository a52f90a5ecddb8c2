/**
 * A task passed around before someone takes it: "Ola, can you adapt last year's?" — "I can't,
 * I'm away. Femi?" — "Yeah, fine, I'll do it on Monday." and "Who's doing the permit?" —
 * "That's normally me, but I'm drowning. Fergus?" — "I've got the schedule. Imogen, could you?"
 * — "Fine, leave it with me." The task belongs to whoever takes it in the end, due when that
 * turn says (corrections included); nobody's when the passing stops without a taker.
 */
import { findDue } from "./dueDate";
import type { People } from "./people";
import type { InsightsParticipant } from "./provider";
import { correctedDue } from "./replies";
import { clean, type Sentence } from "./sentences";
import { DECLINE } from "./taskText";

/** Why: a task passed on more than three times is no longer the same conversation. */
const HANDOFF_TURNS = 4;

/** Taking it: "I'll do it", "leave it with me", "fine, I can", "yeah, go on then". */
const TAKES =
  /^(?:(?:yeah|yes|yep|sure|fine|ok(?:ay)?|alright|go on then|oh go on)[,.!]?\s*)*(?:i'll (?:do|take|handle|sort) (?:it|that|this)|i can do (?:it|that)|i can\b|i will\b|leave (?:it|that|this) with me|i'll take care of (?:it|that)|consider it done|on it\b|that's fine|no problem|happy to|will do|go on then)/i;
/** Not taking it: a refusal, or a reason not to ("I'm drowning", "I've got the schedule to finish"). */
const PASSES =
  /\b(?:i'm drowning|i'm swamped|i'm snowed under|i'm away|i'm off|i'm out|i've got (?:the|a|my)\b.*\bto (?:finish|do)|i'm (?:at|on) [\w' ]+ (?:on|all)\b|not this (?:week|time)|can't)\b/i;

/** The person a sentence passes the task to ("Femi?", "Imogen, could you?", "What about Sam?"). */
function passedTo(text: string, people: People): InsightsParticipant | null {
  const m = new RegExp(
    `^(?:(?:maybe|what about|how about|or|perhaps)\\s+)?(${people.pattern})(?:,?\\s+(?:could|can|would|will) you(?: (?:do it|take it|do that|take that))?)?\\?$`,
    "i",
  ).exec(text.trim());
  return m ? people.named(m[1]!) : null;
}

type Due = { phrase: string; date: string | null } | null;

/**
 * Who took the task asked in `s` after it was declined or passed on, the sentences of the turn
 * that took it, and the due date that turn gives; null when nobody did.
 */
export function takenAfterHandoff(
  all: readonly Sentence[],
  s: Sentence,
  people: People,
  meetingAt: number,
): { owner: InsightsParticipant; taken: number[]; due: Due } | null {
  if (s.turn < 0) return null;
  let target: InsightsParticipant | null = null;
  let passed = false;
  for (let t = s.turn + 1; t <= s.turn + HANDOFF_TURNS; t++) {
    const turn = all.filter((x) => x.turn === t && !x.fromNotes);
    if (turn.length === 0) return null;
    const speaker = people.all.find((p) => p.userId === turn[0]!.speakerId) ?? null;
    const said = turn.map((x) => clean(x.text));
    const takes = said.findIndex((x) => TAKES.test(x));
    if (
      passed &&
      takes >= 0 &&
      speaker &&
      (target === null || target.userId === speaker.userId) &&
      !DECLINE.test(said[takes]!)
    ) {
      const from = turn.slice(takes);
      return { owner: speaker, taken: turn.map((x) => x.index), due: firstDue(from, meetingAt) };
    }
    const to = said.map((x) => passedTo(x, people)).find((p) => p !== null) ?? null;
    const refuses = said.some((x) => DECLINE.test(x) || PASSES.test(x));
    if (!to && !refuses) return null;
    if (to) target = to;
    passed = true;
  }
  return null;
}

/** The first due date of a turn, or the one its speaker corrects it to ("Monday. Actually no… Tuesday."). */
function firstDue(turn: readonly Sentence[], meetingAt: number): Due {
  for (const [i, x] of turn.entries()) {
    const d = findDue(x.text, meetingAt);
    if (!d) continue;
    return correctedDue(turn.slice(i + 1), meetingAt) ?? { phrase: d.phrase, date: d.date };
  }
  return null;
}
