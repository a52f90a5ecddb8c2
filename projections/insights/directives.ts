/**
 * Tasks given without a name or a "could you": a bare imperative to the
 * person just spoken with ("Send me the list") that they take ("Sending it
 * now"); "I'll need your figures, Felix, by Wednesday" (Felix sends them);
 * "Who submits it?" answered "I will"; and "Please include the training
 * package too" added to the task it amends once its owner agrees.
 */
import { findDue } from "./dueDate";
import { takenAfterHandoff } from "./handoff";
import { nameWords, type People } from "./people";
import type { InsightsParticipant } from "./provider";
import { clean, engine, lemmas, type Sentence, startsWithVerb } from "./sentences";
import { ACCEPTED, DECLINE, FIRST_PERSON, isBareVerb } from "./taskText";

type Found = {
  task: string;
  owner: InsightsParticipant;
  due: { phrase: string; date: string | null } | null;
};

/** Imperatives that steer the talk rather than give a task. */
const NOT_DIRECTIVE =
  /^(?:let|let's|wait|look|see|imagine|think|remember|forget|hold|come|go|trust|enjoy|have|thank|thanks|excuse|listen|hang|say|give me|bear|don't|do|stay|relax|take care|welcome|guess|suppose|mind|pardon|sound|note|try|feel|consider|assume|watch|be|keep (?:in mind|going|it up)|tell me|ask me|ping me|hang on|sorry)\b/i;
/** Taking what one was just told to do. */
const TAKEN =
  /^(?:yes|yeah|yep|sure|of course|absolutely|will do|okay|ok|on it|done|no problem|sending|doing|you'll have|i will|i'll|consider it done|fine|right away|got it)\b/i;

function dueOf(text: string, ref: number) {
  const d = findDue(text, ref);
  return d ? { phrase: d.phrase, date: d.date } : null;
}

function firstName(p: InsightsParticipant): string {
  return nameWords(p.name)[0] ?? p.name;
}

/** The person a sentence said to no one by name is said to: the last other speaker. */
function addresseeOf(all: readonly Sentence[], s: Sentence, people: People) {
  const prev = [...all]
    .reverse()
    .find((x) => x.index < s.index && !x.fromNotes && x.speakerId !== s.speakerId);
  const others = people.all.filter((p) => p.userId !== s.speakerId);
  if (others.length === 1) return others[0]!;
  return prev ? (people.all.find((p) => p.userId === prev.speakerId) ?? null) : null;
}

/** Whether `who` takes a task in their next turn. */
function takes(
  all: readonly Sentence[],
  s: Sentence,
  who: InsightsParticipant,
  people: People,
): Sentence | null {
  const reply = all.find((x) => x.index > s.index && x.turn === s.turn + 1);
  if (!reply || reply.speakerId !== who.userId) return null;
  const t = clean(reply.text);
  // "Then negotiate with the operator." — "Yes. Robert, could you go back to them?": agreed, and
  // handed on, so the task is the named person's (their request says it), not the replier's.
  const handsOn = all.some(
    (x) =>
      x.turn === reply.turn &&
      x.index > reply.index &&
      new RegExp(`^(${people.pattern}),\\s`).test(clean(x.text)) &&
      people.named(new RegExp(`^(${people.pattern}),`).exec(clean(x.text))![1]!)?.userId !==
        who.userId,
  );
  if (handsOn) return null;
  return !DECLINE.test(t) && (TAKEN.test(reply.text.trim()) || FIRST_PERSON.test(t)) ? reply : null;
}

/** Whether `phrase` opens with a verb when advised ("You should half the list": no). */
function advised(phrase: string): boolean {
  const nlp = engine();
  return (nlp.readDoc(`You should ${phrase}`).tokens().out(nlp.its.pos) as string[])[2] === "VERB";
}

/** "Send me the list (and I'll rank it)" to the last other speaker, who takes it. */
export function directive(
  c: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
): Found | null {
  if (s.turn < 0 || /\?\s*$/.test(c)) return null;
  const body = c
    .replace(/^please\s+/i, "")
    .replace(/,?\s+(?:and|so|then)\s+(?:i'll|i will|we'll|we can|i can)\b.*$/i, "")
    .replace(/[.!]+$/, "");
  const first = body.split(/\s+/)[0] ?? "";
  if (!first || /^\p{Lu}/u.test(first.slice(1)) || NOT_DIRECTIVE.test(body)) return null;
  if (people.named(first) || !isBareVerb(first) || !startsWithVerb(body) || !advised(body))
    return null;
  if ((lemmas(first)[0] ?? "") !== first.toLowerCase()) return null;
  if (body.split(/\s+/).length < 3) return null;
  const speaker = people.all.find((p) => p.userId === s.speakerId);
  const owner = addresseeOf(all, s, people);
  if (!speaker || !owner || owner.userId === speaker.userId) return null;
  const reply = takes(all, s, owner, people);
  if (!reply) return null;
  const task = body
    .replace(/\b(?:me)\b/gi, firstName(speaker))
    .replace(/\byourself\b/gi, firstName(owner));
  // "Then add the domain to it. Today, if you can.": a short sentence after may say when.
  const then = all[s.index + 1];
  const thenDue =
    then?.turn === s.turn && then.text.split(/\s+/).length <= 6
      ? dueOf(then.text, meetingAt)
      : null;
  return { task, owner, due: dueOf(body, meetingAt) ?? thenDue ?? dueOf(reply.text, meetingAt) };
}

/** "I'll need your preliminary figures, Felix, by Wednesday": Felix sends them. */
export function needFrom(
  c: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
): Found | null {
  const m = new RegExp(
    `\\bi(?:'ll| will|'d| would)? need (?:your|the) ([^,]+?)(?:,\\s*(${people.pattern}),?)?(?:\\s+(by|before)\\s+([^,.]+))?[.!]?$`,
    "i",
  ).exec(c);
  if (!m) return null;
  const voc = m[2] ?? new RegExp(`^(${people.pattern}),`).exec(c)?.[1];
  const owner = voc ? people.named(voc) : null;
  const speaker = people.all.find((p) => p.userId === s.speakerId);
  if (!owner || !speaker || owner === speaker) return null;
  const reply = all.find((x) => x.turn === s.turn + 1 && x.speakerId === owner.userId);
  if (reply && DECLINE.test(clean(reply.text))) return null;
  const when = m[3] ? ` ${m[3]} ${m[4]}` : "";
  return {
    task: `Send ${firstName(speaker)} the ${m[1]}${when}`,
    owner,
    due: dueOf(c, meetingAt),
  };
}

/** "Who submits it?" — "I will.": the task, and who took it. */
export function whoQuestion(
  c: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
): (Found & { taken: number[] }) | null {
  const m =
    /^who(?:'s| is|'d| would| should)?\s+(?:going to\s+|gonna\s+|will\s+|can\s+)?(\w+)\s+(.+?)\?$/i.exec(
      c,
    );
  if (!m || s.turn < 0) return null;
  // The first answer in the next two turns that takes it ("I will", "Fine, leave it with me").
  const reply = all.find(
    (x) =>
      x.turn > s.turn &&
      x.turn <= s.turn + 2 &&
      x.speakerId !== s.speakerId &&
      (x.turn === s.turn + 1 ? TAKES_IT : TAKES_IT_LATER).test(clean(x.text)),
  );
  const verb = lemmas(m[1]!)[0] ?? m[1]!;
  // "That's normally me, but I'm drowning. Fergus?" — … — "Fine, leave it with me."
  const handed = reply ? null : takenAfterHandoff(all, s, people, meetingAt);
  if (handed)
    return {
      task: `${verb} ${m[2]}`,
      owner: handed.owner,
      due: dueOf(c, meetingAt) ?? handed.due,
      taken: handed.taken,
    };
  if (!reply) return null;
  const owner = people.all.find((p) => p.userId === reply.speakerId);
  if (!owner) return null;
  return {
    task: `${verb} ${m[2]}`,
    owner,
    due: dueOf(c, meetingAt) ?? dueOf(reply.text, meetingAt),
    taken: all.filter((x) => x.turn === reply.turn).map((x) => x.index),
  };
}

const TAKES_IT_LATER =
  /\b(?:leave (?:it|that|this) with me|i'll (?:do|take|handle) (?:it|that|this)|i can do (?:it|that)|i'll take care of (?:it|that))\b/i;
const TAKES_IT = new RegExp(
  `^(?:i will|i can|i do|i'll do it|me\\b|that's me|i am|i'm on it)|${TAKES_IT_LATER.source}`,
  "i",
);

/** "Please include the training package too": what it adds to a task, or null. */
export function amendment(c: string): string | null {
  const m =
    /^(?:please\s+|and\s+)*(include|add|attach|cc|copy in)\s+(.+?)\s+(?:too|as well|also)[.!]?$/i.exec(
      c,
    );
  if (!m) return null;
  return m[1]!.toLowerCase() === "include"
    ? `including ${m[2]}`
    : `and ${m[1]!.toLowerCase()} ${m[2]}`;
}

/** Whether the owner of an amended task agrees in the next turn. */
export function agrees(all: readonly Sentence[], s: Sentence, owner: InsightsParticipant): boolean {
  const reply = all.find((x) => x.turn === s.turn + 1);
  return reply?.speakerId === owner.userId && ACCEPTED.test(reply.text.trim());
}
