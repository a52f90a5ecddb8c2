/**
 * The wording rules action items share: what declines or accepts a request,
 * which verbs make a task, pronoun tasks ("do it"), a task's main clause and
 * its tidy form, and the turns that answer a sentence.
 */
import { contentWords } from "../core/keywords";
import { findDue } from "./dueDate";
import { HAVE_TASK } from "./openRequests";
import type { InsightsParticipant } from "./provider";
import { lemmas, type Sentence, startsWithVerb } from "./sentences";

export const DECLINE =
  /^(?!no problem|no worries|not a problem)(?:already done|done already|(?:i )?did (?:that|it) (?:already|this morning|yesterday|earlier)|(?:i )?already did|no\b|nope|not me|sorry|unfortunately|i can't|i cannot|i can not|i won't|i'm not able|i am not able|i don't think i can|i'd rather not|i'm out|i couldn't)/i;

/** Verbs after "I'll" that state something rather than commit to a task. */
export const NOT_TASK = new Set(
  (
    "be have need admit say bet guess think see believe remember love like miss leave " +
    "probably also just never always still hope wish want wonder know mean"
  ).split(" "),
);
/** Words that make a task a pronoun ("do it", "take that one"). */
const PRONOUN_OBJECT = new Set(["it", "that", "this", "them", "those", "these", "one"]);
const LIGHT_VERBS = new Set([
  "do",
  "take",
  "handle",
  "get",
  "have",
  "sort",
  "own",
  "cover",
  "manage",
]);

export const FIRST_PERSON =
  /(?:^|[,;]\s*|\b(?:and|so|then|but)\s+|\b(?:once|when|after|as soon as)\s[^,]{3,60}?\s(?=i'll|i will))(?:i'll|i will|i'm going to|i am going to|i'm gonna|let me|i can|i'm happy to|happy to|i'd be happy to|i need to|i have to|i've got to|i must)\s+(?:also\s+|still\s+|just\s+|definitely\s+)?(.+)$/i;
export const OBJECT_PRONOUN = /\b(?:it|them|him|her|that|those)\b/i;
export const ACCEPTED =
  /^(?:yes|yeah|yep|sure|of course|absolutely|happy to|will do|okay|ok|i'd love to|definitely|no problem|done|you'll have)\b/i;
export const MINE = /^(?:the\s+)?(.+?)\s+(?:is|are)\s+mine\b/i;

function cap(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export function tidy(task: string): string {
  return cap(
    task
      .replace(/\s+/g, " ")
      .replace(/\s+(?:myself|ourselves)(?=[,.;:!?]|\s*$)/i, "")
      .replace(/[,;:\s]+$/, "")
      .replace(/[.!?]+$/, "")
      .trim(),
  );
}

/** Whether a task names no thing of its own ("do it", "take that one"). */
export function isPronounTask(task: string): boolean {
  const words = task.toLowerCase().match(/[a-z']+/g) ?? [];
  const rest = words.filter((w) => !PRONOUN_OBJECT.has(w) && !LIGHT_VERBS.has(w));
  const content = rest.filter(
    (w) =>
      contentWords(w).length > 0 &&
      !/^(?:now|today|tomorrow|tonight|then|later|after|right|call|myself)$/.test(w),
  );
  return words.some((w) => PRONOUN_OBJECT.has(w)) && content.length <= 1;
}

export function dueOf(text: string, ref: number) {
  const d = findDue(text, ref);
  return d ? { phrase: d.phrase, date: d.date } : null;
}

/** A task without its trailing aside (", she needs to know now", ", it goes out on…"). */
export function mainClause(task: string): string {
  return task
    .replace(
      /,\s+(?:it|she|he|they|that's|that is|which|because|since|so that|as|but|I(?!'ll|\s+will|'d)|we're|it's|(?:some|most|all|none|one|a few|many) of)\b.*$/i,
      "",
    )
    .replace(/,?\s+so (?:that\s+)?(?:i|we|you|they|he|she)\s+(?:have|can|know|get)\b.*$/i, "");
}

/** The sentences of the next `turns` turns after `s`'s turn. */
export function following(all: readonly Sentence[], s: Sentence, turns: number): Sentence[] {
  if (s.turn < 0) return [];
  return all.filter((x) => x.turn > s.turn && x.turn <= s.turn + turns);
}

export function declines(
  all: readonly Sentence[],
  s: Sentence,
  owner: InsightsParticipant,
): boolean {
  const reply = following(all, s, 2).find((x) => x.speakerId === owner.userId);
  return reply !== undefined && DECLINE.test(reply.text.trim());
}

/**
 * Whether a phrase starts with a verb in its bare form ("you run…", "you sort out…"), not an
 * inflected one ("Oscar, you wanted to…", "Ruth, you mentioned…"): a past tense after "you"
 * reports what someone did, it does not assign anything.
 */
export function isBareVerb(phrase: string): boolean {
  const first = phrase.split(/\s+/)[0]?.toLowerCase() ?? "";
  return lemmas(first)[0] === first;
}

/** Whether a requested phrase is a task ("have a look at it" is; "be there" is not). */
export function isTask(task: string): boolean {
  return !NOT_TASK.has(lemmas(task)[0] ?? "") || HAVE_TASK.test(task);
}

/** Words that point back to something said before ("that" as a pronoun or determiner, not "a line to the checklist that kit gets…"). */
export const POINTS_BACK =
  /\b(?:it|them|him|her|this|those)\b|(?<!\b(?:line|note|sign|rule|email|message|reminder|policy|checklist|check|clause|notice|say|says|saying|confirm|confirming|ensure|sure|mention|explain|explaining|stating|so)\s+)\bthat\b/i;

/**
 * A task that names nothing to do ("Do my best", "Look", "Comment"): a verb with no word after
 * it that carries meaning, no quoted context. Kept out because a reader cannot act on it and it
 * usually stands for something said in other words ("Sort out the catering" stays).
 */
export function vague(text: string, meetingAt: number): boolean {
  if (/:\s|\(re:/.test(text)) return false;
  const due = findDue(text, meetingAt);
  const rest = (due ? text.replace(due.phrase, " ") : text)
    .replace(/\b(?:my|our|your|his|her|their)\s+(?:best|bit|part)\b/gi, " ")
    .trim()
    .split(/\s+/)
    .slice(1)
    .join(" ");
  return contentWords(rest).length === 0 && !/\b\p{Lu}/u.test(rest);
}

/** Words that open a yes/no question, not an instruction ("Is it…?", "Did you…?"). */
const AUXILIARY =
  /^(?:is|are|was|were|do|does|did|have|has|had|can|could|will|would|should|shall|may|might|must)\b/i;

/** A question's opening or inversion that no instruction has ("About X, are we…?"). */
const NOT_IMPERATIVE =
  /^(?:about|on|for|re|regarding|as|so|and|but|what|how|why|when|where|who|which)\b|\b(?:are|is|do|does|did|can|could|will|would|should)\s+(?:we|you|i|they|he|she|it)\b/i;

/** "Emeka, draft it?" / "Ahmed, you'll have the ledgers ready?": an assignment put as a question. */
export function assignmentAsked(rest: string): boolean {
  return (
    /^you(?:'ll|\s+will)\s/i.test(rest) ||
    (startsWithVerb(rest) &&
      isBareVerb(rest) &&
      !AUXILIARY.test(rest) &&
      !NOT_IMPERATIVE.test(rest))
  );
}

/** Keeping the meeting short, not a task: "I'll keep it short". */
export const BRIEF = /^(?:keep (?:it|this|things) (?:short|brief|quick)|be (?:quick|brief))\b/i;

/** Running the meeting, not a task: "Omar will take us through the numbers first". */
export const AGENDA =
  /^(?:take|walk|talk|run|bring)\s+(?:us|everyone|you all|the group|the team)\s+through\b|^(?:start|kick off|go first|begin|open)\b(?!\s+(?:the|a|an)\s+\w)/i;

/** "And the media plan, I'll get you the budget": the task with the topic it was said under. */
export function withTopic(task: string, lead: string): string {
  // "If we find any data went out, then yes, and I'll make that report": the task keeps its condition.
  const cond = /^(if|unless|in case|once)\s+([^,]{3,80}),/i.exec(lead.trim());
  if (cond) return `${task.replace(/[.!]+$/, "")} ${cond[1]!.toLowerCase()} ${cond[2]}`;
  const m =
    /^(?:and\s+|also\s+|oh,?\s+|so\s+|then\s+)?((?:the|our|your|that|this)\s+[^,]{2,40}?),?\s*$/i.exec(
      lead,
    );
  if (!m) return task;
  const topic = m[1]!.toLowerCase().replace(/^(?:our|your|that|this)\s/, "the ");
  const words = topic.split(/\s+/).slice(1);
  if (words.every((w) => task.toLowerCase().includes(w))) return task;
  return `${task.replace(/[.!]+$/, "")} (re: ${topic})`;
}
