/**
 * Commitments and due dates said across turns, for the rules of `actions.ts`:
 * - a tag question ("Chase them, would you?") is a request like "Can you chase them?";
 * - taking what was just said ("Leave that with me", "Consider it done", "On it") is "I'll
 *   take care of that" unless a first-person task follows in the same sentence;
 * - asking leave ("Should I write it up?", "Can I take the methods section?") answered yes by
 *   another person is the asker's task, due when the answer says;
 * - "Viktor, you're on the pump booking, confirm…" gives the booking to Viktor;
 * - "When?" — "Before Friday": a date said in the turn after someone asks when is the due
 *   date of the task just given, whoever says it;
 * - a request for information answered on the spot ("tell us how many seats…" — "Roughly
 *   two hundred") is no task.
 */
import { findDue } from "./dueDate";
import type { Candidate } from "./mergeActions";
import { tokensOf } from "./nounPhrases";
import type { People } from "./people";
import type { InsightsParticipant } from "./provider";
import { clean, lemmas, type Sentence, startsWithVerb } from "./sentences";
import { DECLINE, dueOf, FIRST_PERSON, MINE, NOT_TASK } from "./taskText";

/** "Chase them, would you?" (not "Could you…, would you?"). */
const TAG = /^(.+?),\s*(?:would|could|will|can)\s+you(?:\s+please)?\?$/i;
/** Taking what was just said, first in a sentence. */
const TAKING =
  /^(?:leave (?:that|it|this) (?:with|to) me|consider it done|(?:i'm |i am )?on it|i've got (?:this|that|it)|i got (?:this|that|it)|that's on me|count me in)\b[,.!]?\s*/i;

/** What "Leave that with me" / "That's on me" says as a commitment. */
export const TAKEN_OVER = "I'll take care of that.";

/** A sentence as the request or commitment it says in other words. */
export function asPlainRequest(c: string, people: People): string {
  // "Could you, Fergus, have a look at it?" is "Fergus, could you have a look at it?"
  const mid = new RegExp(
    `^(could|can|would|will)\\s+you,\\s+(${people.pattern}),\\s+(.+)$`,
    "i",
  ).exec(c);
  if (mid) return `${mid[2]}, ${mid[1]!.toLowerCase()} you ${mid[3]}`;
  // "And if we stand it down, Amir, ring the erectors" is "Amir, ring the erectors, if we stand it down".
  const cond = new RegExp(
    `^(?:and\\s+|so\\s+)?(if|once|when|as soon as)\\s+([^,]{3,80}),\\s+(${people.pattern}),\\s+(.+?)[.!]?$`,
    "i",
  ).exec(c);
  if (cond) return `${cond[3]}, ${cond[4]}, ${cond[1]!.toLowerCase()} ${cond[2]}`;
  // "Glue and paint, Tessa, put them on the supplies sheet": the topic is what "them" means.
  const topic = new RegExp(
    `^(?:and\\s+|so\\s+)?((?:the\\s+)?[\\p{L}' -]{3,40}),\\s+(${people.pattern}),\\s+(.+)$`,
    "iu",
  ).exec(c);
  // (Only a thing named: no pronoun or auxiliary, a verb never first: "I'll need your figures, Felix".)
  const named = (t: { pos: string }, i: number) =>
    /^(?:NOUN|PROPN|ADJ|DET|CCONJ|NUM)$/.test(t.pos) || (i > 0 && t.pos === "VERB");
  if (topic && tokensOf(topic[1]!).every(named)) {
    const what = topic[1]!.replace(/^the\s+/i, "the ").toLowerCase();
    const body = topic[3]!.replace(/\b(?:them|it)\b/i, what);
    return `${topic[2]}, ${body}`;
  }
  const tag = TAG.exec(c);
  if (tag && !/^(?:could|can|would|will|do|did|is|are)\b/i.test(tag[1]!)) {
    const voc = new RegExp(`^(${people.pattern}),\\s+(.+)$`).exec(tag[1]!);
    const body = voc ? voc[2]! : tag[1]!;
    if (startsWithVerb(lowerFirst(body)))
      return `${voc ? `${voc[1]}, ` : ""}can you ${lowerFirst(body)}?`;
  }
  const taking = TAKING.exec(c);
  if (taking) {
    const rest = c.slice(taking[0].length);
    if (!FIRST_PERSON.test(rest)) return TAKEN_OVER;
    // "Leave that with me, I'll call her tomorrow": the call is about what was left with them.
    return /\b(?:it|that|this|those)\b/i.test(rest)
      ? rest
      : `${rest.replace(/[.!]+$/, "")} about that.`;
  }
  return c;
}

/** "you're on the pump booking, confirm six a.m. with them today" → the task given. */
export function youreOn(rest: string): string | null {
  const m =
    /^you're\s+(?:on|doing|handling|in charge of|taking|looking after)\s+(?!it\b|that\b)(.+?)(?:,\s+(.+?))?[.!]?$/i.exec(
      rest,
    );
  if (!m) return null;
  const what = m[1]!.replace(/^the\s+/i, "");
  return m[2] && startsWithVerb(m[2]) ? `Take the ${what}: ${m[2]}` : `Take the ${what}`;
}

const LEAVE =
  /^(?:so\s+|then\s+|and\s+)?(?:(?:can|could|should|shall|may)\s+i|do you want me to|would you like me to|want me to)\s+(?:also\s+|just\s+)?(.+?)\?$/i;
const YES =
  /^(?:yes|yeah|yep|sure|please|go ahead|of course|absolutely|definitely|by all means|that would|that'd|good idea|ok|okay|fine|i'd like that)\b/i;
/** Verbs that ask for something rather than offer to do it ("Can I see them?", "Can I ask…?"). */
const ASKS_FOR = new Set(["see", "ask", "get", "borrow", "go", "come", "join", "say", "add"]);

/** A task the asker was given leave to do. */
type Leave = Pick<Candidate, "task" | "due"> & {
  owner: InsightsParticipant;
  /** Sentences of the answer that only say more of the same task ("Get it to me by…"). */
  taken: number[];
};

/** "Should I write it up?" — "Yes, …": the asker's task, due when the answer says. */
export function askedLeave(
  c: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
): Leave | null {
  const m = LEAVE.exec(c);
  if (!m || s.turn < 0) return null;
  let task = m[1]!;
  const lemma = lemmas(task)[0] ?? "";
  if (NOT_TASK.has(lemma) || ASKS_FOR.has(lemma) || !startsWithVerb(task)) return null;
  const answer = all.filter((x) => x.turn === s.turn + 1);
  const first = answer[0];
  if (!first || first.speakerId === s.speakerId || first.fromNotes) return null;
  const said = first.text.trim();
  if (!YES.test(said) || DECLINE.test(said) || /^(?:yes|yeah),?\s+but\b/i.test(said)) return null;
  const owner = people.all.find((p) => p.userId === s.speakerId);
  if (!owner) return null;
  const due =
    findDue(task, meetingAt) ??
    answer.map((x) => findDue(x.text, meetingAt)).find((d) => d !== null) ??
    null;
  // "Should I write it up?" — "Yes, a one-pager.": the answer names what "it" is.
  const named =
    /^(?:yes|yeah|yep|sure|please|ok|okay),?\s+((?:a|an|the)\s+[\w' -]{2,40}?)[.!]?$/i.exec(said);
  if (named)
    task = task
      .replace(/^(\w+)\s+(?:it|that|this)\s+(up|out|down|over|together)\b/i, `$1 $2 ${named[1]}`)
      .replace(/\b(?:it|that|this)\b/i, named[1]!);
  const taken = answer
    .slice(1)
    .filter((x) => /\b(?:it|that|this)\b/i.test(x.text) && !FIRST_PERSON.test(clean(x.text)))
    .map((x) => x.index);
  // "Okay, I can do that." said back by the asker is the same task again.
  for (const x of all)
    if (x.turn === s.turn + 2 && x.speakerId === s.speakerId && AGAIN.test(x.text.trim()))
      taken.push(x.index);
  return { task, owner, due: due ? { phrase: due.phrase, date: due.date } : null, taken };
}

const AGAIN =
  /^(?:(?:okay|ok|sure|right|great|yes|will do),?\s+)*(?:i can do that|i'll do that|i will|i'll do it|will do|on it)[.!]?$/i;

const WHEN =
  /^(?:and\s+|so\s+|ok(?:ay)?,?\s+|fine,?\s+)?(?:by\s+when|when\s+by|when|for when|what's the (?:deadline|eta|timeline)|when (?:can|will|could|would|do) (?:you|we)\b.*)\??$/i;

/**
 * Sets the due date of tasks whose date was asked for ("When?") and said in the turn after,
 * by the owner or anyone else ("Before Friday").
 */
export function dueAskedFor(
  cands: readonly Candidate[],
  all: readonly Sentence[],
  meetingAt: number,
): void {
  for (const q of all) {
    if (q.turn < 0 || !WHEN.test(clean(q.text))) continue;
    const task = [...cands]
      .reverse()
      .find(
        (k) => k.s.index < q.index && k.s.turn >= q.turn - 2 && k.owner?.userId !== q.speakerId,
      );
    if (!task || task.due) continue;
    const answer = all.filter((x) => x.turn === q.turn + 1);
    const due = answer.map((x) => findDue(x.text, meetingAt)).find((d) => d !== null);
    if (due) task.due = { phrase: due.phrase, date: due.date };
  }
}

/** "Send the list" → "send the list" (a name stays capitalised). */
export function lowerFirst(t: string): string {
  return /^[A-Z][a-z]/.test(t) ? t[0]!.toLowerCase() + t.slice(1) : t;
}

/** Requests for information ("tell us how many seats…", "let me know which…"). */
const ASKS_TO_TELL =
  /^(?:tell|remind|let (?:us|me) know|say|explain|give (?:us|me) (?:a|an|the)? ?(?:idea|sense|number|estimate))\b/i;
const WILL_ANSWER =
  /^(?:yes|yeah|yep|sure|of course|absolutely|okay|ok|will do|i'll|i will|let me|i can|i need to|no problem|happy to|good question)\b/i;

/** "Could you tell us how many seats you'd need?" — "Roughly two hundred.": answered on the spot. */
export function answeredAtOnce(
  task: string,
  s: Sentence,
  all: readonly Sentence[],
  owner: InsightsParticipant,
): boolean {
  if (!ASKS_TO_TELL.test(task.trim())) return false;
  const reply = all.find((x) => x.turn === s.turn + 1);
  if (!reply || reply.speakerId !== owner.userId) return false;
  const said = reply.text.trim();
  return !WILL_ANSWER.test(said) && !DECLINE.test(said);
}

/** "I owe the chief executive a report", "I owe you the intro to the CFO" (not a coffee). */
const OWE =
  /^(?:(?:and|so|also|on my side|from my side|for my part|oh|\p{Lu}\p{Ll}+),?\s+)?I\s+(?:still\s+|also\s+)?owe\s+(you|him|her|them|the\s+[\w-]+(?:\s+[\w-]+)?|\p{Lu}\p{Ll}+)\s+((?:a|an|the|my|our|some)\s+.+?)[.!]?$/iu;
const NOT_OWED =
  /^(?:a|an|the|my|our|some)\s+(?:coffee|beer|drink|lunch|dinner|favou?r|apology|pint|thanks|one|big one|call|visit)\b/i;

/** A task the speaker says is theirs ("X is mine", "I owe X a Y"), due when the turn says. */
export function ownedTask(
  c: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
): Pick<Candidate, "task" | "due"> | null {
  const mine = MINE.exec(c);
  const owe = mine ? null : OWE.exec(c);
  if (!mine && !(owe && !NOT_OWED.test(owe[2]!))) return null;
  const later = all.filter((x) => x.turn === s.turn && x.index > s.index);
  const laterDue = later.map((x) => dueOf(x.text, meetingAt)).find((d) => d !== null) ?? null;
  // "Tomas, I owe you the plan": the name said first is who "you" is.
  const called = owe && /^you$/i.test(owe[1]!) ? /^(\p{Lu}\p{Ll}+),/u.exec(c) : null;
  const to = called && people.named(called[1]!) ? called[1]! : owe?.[1];
  const task = mine
    ? `Take the ${mine[1]!.replace(/^the\s+/i, "")}`
    : `Send ${to} ${owe![2]!.replace(/^(?:my|our)\s/i, "the ")}`;
  return { task, due: dueOf(c, meetingAt) ?? laterDue };
}

/** A speaker taking back what they just said: "No, Thursday", "Actually, make that Friday". */
const CORRECTION =
  /^(?:no|actually|sorry|wait|or rather)\b[,.!]?\s*(?:(?:no|make (?:that|it)|let's say|say|rather)\b[,.!]?\s*)?/i;

/**
 * A due date the speaker corrects in the sentences `after` the one that gave it: "I'll send it
 * tomorrow. No, Thursday." and "Monday. Actually no, I'm away on Monday. Tuesday." — the date
 * right after the correction, or a sentence that is only a date after it; never the date the
 * correction gives as its reason.
 */
export function correctedDue(
  after: readonly Sentence[],
  meetingAt: number,
): { phrase: string; date: string | null } | null {
  for (const [i, x] of after.entries()) {
    const m = CORRECTION.exec(x.text.trim());
    if (!m) continue;
    const here = findDue(x.text.trim().slice(m[0].length), meetingAt);
    const next = after[i + 1];
    const alone = next && next.text.split(/\s+/).length <= 3 ? findDue(next.text, meetingAt) : null;
    const due = here && here.index === 0 ? here : alone;
    return due ? { phrase: due.phrase, date: due.date } : null;
  }
  return null;
}

/** Due dates of candidates their speaker corrects in the same turn (`correctedDue`). */
export function dueCorrected(
  cands: readonly Candidate[],
  all: readonly Sentence[],
  meetingAt: number,
): void {
  for (const c of cands) {
    if (!c.due || c.s.turn < 0) continue;
    const after = all.filter(
      (x) => x.turn === c.s.turn && x.index > c.s.index && x.speakerId === c.s.speakerId,
    );
    c.due = correctedDue(after, meetingAt) ?? c.due;
  }
}
