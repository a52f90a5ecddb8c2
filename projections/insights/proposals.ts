/**
 * Proposals and their answers. A plan put to the group ("Should we…?", "Do we still…?", "What
 * about…?", "We could…") is settled by the next other speaker's turn:
 * - assent ("Yes", "Good idea, yes.", "Absolutely, on the 12th.") settles the plan itself, with
 *   what the answer adds;
 * - a refusal ("No", "Not yet", "I'd rather not", "Maybe later", "Let's not…", in the answer or,
 *   after a comment, the turn after) settles what the answer says instead ("Keep them at
 *   twelve", "The first load goes to the supermarket contract", or a decision of the next two
 *   turns), kept with what it replaces, or, when nothing is said instead, that the plan is not
 *   done ("Do not buy more freezers (not this year, the budget's gone)");
 * - an answer to "X or Y?" that picks one ("Take them.") settles it.
 * A proposal nobody answers, or one that is itself an action item, settles nothing.
 */
import { contentWords } from "../core/keywords";
import { planAndAsker, refusedPlan, settledWording, tidyDecision } from "./decisionWording";
import { resolveTask } from "./refer";
import { lowerFirst } from "./replies";
import { clean, type Sentence, startsWithVerb } from "./sentences";

/** A decision found so far, with the sentence it came from. */
export type Found = {
  text: string;
  s: Sentence;
  /** An answer that agrees and says what happens ("Agreed, one shuttle."). */
  answers?: boolean;
  /** Already says what it settles (the proposal it answers or replaces). */
  framed?: boolean;
};

export const REFUSED =
  /^(?:no\b(?!\s+(?:problem|worries|idea))|nope|maybe,? but\b|i don't think so|i don't think we\b|i'd rather not|i would rather not|i wouldn't\b|probably not|maybe later|not (?:this|now|yet|really|while|until|worth)\b|too (?:expensive|much|risky|early|late|slow|complicated)\b|let's not\b|we can't\b)|\bis too (?:much|expensive|risky|early|late)\b|\bbut not\b/i;
/** The answer agrees (raw text, before `clean` takes "yes" away). */
export const ASSENT =
  /^(?:yes|yeah|yep|absolutely|definitely|good idea|great idea|good shout|sure|of course|go for it|sounds good|agreed|please do|why not|do it|i'd like that|let's do (?:it|that))\b/i;
/** A commitment of the speaker's own ("I'll send them Thursday", "Let me book it"). */
const FIRST_PERSON_TASK = /^(?:i'll|i will|i can|i'm going to|let me)\b/i;
/** "We'll include laptops in the budget", "Let's keep the hall": a plan of the group's. */
const WE_PLAN = /^(?:let's|we'll|we will)\s+(?!need|have|see|think|talk|be\b)\w+/i;
/** An answer that opens with a word for someone or something already said, not a plan. */
const NOT_PLAN =
  /^(?:i|i'm|i'll|i've|you|he|she|they|it|it's|that|that's|this|there|we're|thanks|thank)\b/i;

function sharedWords(a: string, b: string): number {
  const wa = new Set(contentWords(a));
  return contentWords(b).filter((w) => wa.has(w)).length;
}

/** What an assent adds ("Absolutely, on the 12th." → "on the 12th"), or null. */
function assentTail(answer: string): string | null {
  const rest = answer
    .replace(ASSENT, "")
    .replace(/^(?:[\s,.!]|yes\b|yeah\b|please\b)+/i, "")
    .replace(/[.!]+$/, "")
    .trim();
  if (rest.split(/\s+/).length < 2 || NOT_PLAN.test(rest) || /\?/.test(rest)) return null;
  if (/^(?:no problem|no worries|of course|will do|sounds good)\b/i.test(rest)) return null;
  return rest;
}

/** The answer as a reason, without a bare leading "No," ("not this year, the budget's gone"). */
function reasonOf(answer: readonly Sentence[]): string | null {
  const said = answer
    .map((x) => clean(x.text).replace(/^(?:no|nope)\b[,.!]?\s*/i, ""))
    .filter((t) => t.length > 0)
    .join("; ")
    .replace(/[.!]+(?=;|$)/g, "");
  const words = said.split(/\s+/);
  if (contentWords(said).length === 0) return null;
  const short = words.length > 24 ? `${words.slice(0, 24).join(" ")}…` : said;
  return lowerFirst(short);
}

/** Whether two texts name mostly the same things. */
export function overlaps(a: string, b: string): boolean {
  const wa = new Set(contentWords(a));
  const wb = contentWords(b);
  if (wa.size === 0 || wb.length === 0) return false;
  return wb.filter((w) => wa.has(w)).length / Math.min(wa.size, wb.length) >= 0.6;
}

/** What settling a proposal needs to know: the sentences, who is a person, the action items. */
export type Talk = {
  all: readonly Sentence[];
  isPerson: (word: string) => boolean;
  /** Sentences the action items came from (a proposal turned into a task settles nothing more). */
  tasks: ReadonlySet<number>;
};

/**
 * Settles the proposals of the meeting: adds decisions through `add` and amends `out` (a
 * decision said instead of a proposal keeps what it replaces). Assents first, so a plan agreed
 * to in the turn after a refused one is there to replace it.
 */
export function settleProposals(
  talk: Talk,
  out: Found[],
  add: (text: string, s: Sentence, answers?: boolean) => void,
): void {
  for (const pass of ["assent", "rest"] as const) {
    for (const q of talk.all) {
      if (q.turn < 0 || talk.tasks.has(q.index)) continue;
      const asked = planAndAsker(q.text);
      if (asked) settle(talk, q, asked.plan, asked.mine, pass, out, add);
    }
  }
}

function settle(
  talk: Talk,
  q: Sentence,
  plan: string,
  mine: boolean,
  pass: "assent" | "rest",
  out: Found[],
  add: (text: string, s: Sentence, answers?: boolean) => void,
): void {
  const { all, tasks, isPerson } = talk;
  const answer = all.filter((x) => x.turn === q.turn + 1);
  if (!answer[0] || answer[0].speakerId === q.speakerId) return;
  const next = all.filter((x) => x.turn === q.turn + 2 && x.speakerId !== q.speakerId);
  const assent = ASSENT.test(answer[0].text.trim());
  const refusal =
    answer.find((x) => REFUSED.test(clean(x.text))) ??
    (assent ? undefined : next.find((x) => REFUSED.test(clean(x.text))));
  const said = out.find(
    (o) => (o.s.turn === q.turn + 1 || o.s.turn === q.turn + 2) && o.s.index > q.index,
  );
  if (assent && !refusal) {
    // "Should I…?" — "Yes": the asker's task, not the group's decision; and a plan handed to
    // someone in the answer ("Good idea. Leo, would you book…") is an action item.
    // "Can we get the slides before Friday?" — "Sure, I'll send them Thursday.": a request taken.
    const taken = answer.some(
      (x) => tasks.has(x.index) && (isPlan(x.text, plan) || FIRST_PERSON_TASK.test(clean(x.text))),
    );
    if (pass !== "assent" || mine || taken) return;
    // "Second item, the plant sale. Are we doing it on May 10th again?": the asker's own words
    // say what "it" is (further back, a guess is too often wrong to state as settled).
    const own = all.filter((x) => x.turn === q.turn && x.index < q.index).reverse();
    const settledPlan =
      own.length > 0
        ? resolveTask(
            plan,
            own.map((x) => clean(x.text)),
            isPerson,
            false,
          )
        : plan;
    // "Yes, May 10th, same as always." answering "Are we doing it on May 10th again?"
    if (contentWords(settledPlan).length < 2) return;
    const body = out.find((o) => o.s.index === answer[0]!.index && o.answers);
    if (body) {
      body.text = `${tidyDecision(settledPlan)} (${lowerFirst(body.text)})`;
      body.framed = true;
    } else if (said?.s.turn !== q.turn + 1) {
      // "Yes. Code freeze from the 23rd, nothing goes out…": a bare yes, then what it means.
      const bare = answer[0].text.trim().split(/\s+/).length <= 3;
      const then = answer[1] && !tasks.has(answer[1].index) ? answer[1].text : "";
      const tail = assentTail(answer[0].text) ?? (bare && then ? assentTail(`Yes, ${then}`) : null);
      add(`${tidyDecision(settledPlan)}${tail ? ` (${tail})` : ""}`, q);
      const added = out.find((o) => o.s.index === q.index);
      if (added) added.framed = true;
    }
    return;
  }
  if (pass !== "rest") return;
  if (!refusal) {
    // "I like the raffle. Let's keep the raffle.": a different plan in answer turns it down;
    // "Agreed, one shuttle." after "Should we get a second shuttle…?" says what it settles only
    // with the question.
    const differs = said && !overlaps(said.text, plan);
    const short = said?.answers && contentWords(said.text).length < 3;
    const choice = /\s+or\s+/.test(q.text) && /\?\s*$/.test(q.text);
    if (
      said &&
      (differs || short) &&
      !/\binstead of\b|\brather than\b|\(question:/.test(said.text)
    ) {
      // "Do we raise five or eight?" — "Let's go for five": one of the options, not instead of both.
      said.text = choice ? `${said.text} (question: ${plan})` : rather(said.text, plan);
      said.framed = true;
    }
    // "There's no bed free near the station. Let's use a sensor mat instead, I'll fetch one."
    const instead = answer.find((x) => /\binstead\b/i.test(x.text) && !/\?\s*$/.test(x.text));
    if (!said && instead && WE_PLAN.test(clean(instead.text))) {
      add(rather(settledWording(instead.text, instead, all, isPerson), plan), instead);
      return;
    }
    if (!said && choice) pick(talk, answer, plan, add);
    return;
  }
  if (said && said.s.index >= refusal.index) {
    if (!/\binstead\b|\brather than\b/i.test(said.text)) said.text = rather(said.text, plan);
    said.framed = true;
    return;
  }
  // "No, Hamburg's prices dropped. The first load goes to the supermarket contract."
  // "…We can't risk having no buses." — "Then negotiate with the current operator.": the turn
  // after the refusal may say it too, when it opens with "then".
  const turn = all.filter(
    (x) =>
      (x.turn === refusal.turn && x.index > refusal.index) ||
      (x.turn === refusal.turn + 1 &&
        x.speakerId !== q.speakerId &&
        /^(?:then|so)\b/i.test(x.text)),
  );
  const counter = turn.find(
    (x) =>
      !tasks.has(x.index) &&
      !/\?\s*$/.test(x.text) &&
      (WE_PLAN.test(clean(x.text)) ||
        (!NOT_PLAN.test(clean(x.text)) &&
          contentWords(x.text).length >= 2 &&
          (startsWithVerb(clean(x.text)) || sharedWords(x.text, plan) >= 2))),
  );
  if (counter) {
    add(rather(settledWording(counter.text, counter, all, isPerson), plan), counter);
    return;
  }
  // "I'd rather not hide it. I'll mock the database instead." (also an action item)
  const instead = answer.find((x) => /\binstead\b/i.test(x.text) && !/\?\s*$/.test(x.text));
  if (instead) {
    add(rather(tidyDecision(instead.text), plan), instead);
    return;
  }
  // "Could we split it? Core vaccines from Northvet…": what "it" is, in the asker's words.
  const about = all.find((x) => x.turn === q.turn && x.index > q.index);
  const more =
    about && /\b(?:it|that|this|them)\b/i.test(plan) && contentWords(plan).length < 3
      ? tidyDecision(about.text).replace(/\?$/, "")
      : null;
  const why = reasonOf(all.filter((x) => x.turn === refusal.turn && x.index >= refusal.index));
  add(refusedPlan(plan, [more, why].filter((x) => x).join("; ") || null), refusal);
}

/** Whether an action item is the plan itself ("add that to the backlog", "book … for a dry run"). */
function isPlan(task: string, plan: string): boolean {
  const words = contentWords(plan);
  if (/\b(?:\w+)\s+(?:that|it|this)\b/i.test(clean(task)) && !/\b(?:that|it|this)'s\b/i.test(task))
    return true;
  return words.length > 0 && sharedWords(task, plan) * 2 >= words.length;
}

/** `decision` kept with the plan it replaces, in one bracket ("X (Y; rather than: Z)"). */
function rather(decision: string, plan: string): string {
  return /\)$/.test(decision)
    ? `${decision.slice(0, -1)}; rather than: ${plan})`
    : `${decision} (rather than: ${plan})`;
}

/** "Should we sell the old desks or take them?" — "Take them.": the option picked. */
function pick(
  talk: Talk,
  answer: readonly Sentence[],
  plan: string,
  add: (text: string, s: Sentence) => void,
): void {
  const { all, isPerson } = talk;
  const a = answer[0]!;
  const c = clean(a.text);
  if (talk.tasks.has(a.index) || /\?/.test(c) || c.split(/\s+/).length > 6 || NOT_PLAN.test(c))
    return;
  const first = c.split(/\s+/)[0]!.toLowerCase();
  if (!plan.toLowerCase().split(/\s+/).includes(first) || !startsWithVerb(c)) return;
  add(settledWording(c, a, all, isPerson), a);
}
