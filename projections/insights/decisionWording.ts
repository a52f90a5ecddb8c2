/**
 * How a decision reads: what was settled, stated plainly, with its object. "Let's offer one
 * week's credit" → "Offer one week's credit"; "we keep it running until finance signs off" →
 * "Keep the old warehouse running until finance signs off" (pronouns resolved by the same
 * helpers the action items use, `refer.ts` through `taskWording.ts`); a proposal asked as a
 * question ("Should we buy more freezers?", "Are we including the mouse work?", "What if we
 * dropped the Starter tier?") as the plan it puts ("buy more freezers", "include the mouse
 * work", "drop the Starter tier"); and a proposal turned down as what was settled ("Do not buy
 * more freezers", "No joint webinar at some point").
 */
import { resolveTask } from "./refer";
import { lowerFirst } from "./replies";
import { clean, engine, lemmas, type Sentence, startsWithVerb } from "./sentences";
import { contextOf } from "./taskWording";

/** wink-nlp's part-of-speech tags of `text`'s words (punctuation left out). */
export function tagsOf(text: string): string[] {
  const nlp = engine();
  return (nlp.readDoc(text).tokens().out(nlp.its.pos) as string[]).filter((t) => t !== "PUNCT");
}

function cap(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** `t` without its end punctuation and doubled spaces, capitalised. */
export function tidyDecision(t: string): string {
  return cap(
    clean(t)
      .replace(/\s+/g, " ")
      .replace(/[.!]+$/, "")
      .trim(),
  );
}

/** "Let's", "we'll", "so we", "then we": who settles, before what they settle. */
const WE_LEAD =
  /^(?:(?:so|then|okay|ok|fine|right|and)\s*,?\s+)*(?:let's|let us|we(?:'ll| will| shall)?)\s+(?:just\s+|all\s+|also\s+)?/i;
/** Verbs after "we" that state a need or a possibility, not what was settled. */
const NOT_SETTLED =
  /^(?:need|have|should|could|can|might|may|must|would|want|think|know|are|were)\b/i;

/**
 * A decision sentence as what was settled: "Let's X" / "We'll X" / "We X" as "X" when X starts
 * with a verb, and its first object pronoun resolved from what was said before `s`.
 */
export function settledWording(
  text: string,
  s: Sentence,
  all: readonly Sentence[],
  isPerson: (word: string) => boolean,
): string {
  // "Let's use a sensor mat instead, I'll fetch one": the speaker's own task is an action item.
  const t = tidyDecision(text).replace(/,\s+(?:and\s+)?I(?:'ll| will)\s.*$/, "");
  const lead = WE_LEAD.exec(t);
  let plan = t;
  if (lead && lead[0].length < t.length) {
    const rest = t.slice(lead[0].length);
    const verb = rest.split(/\s+/)[0] ?? "";
    // "We opened up the wall yesterday" tells what happened, not what was settled.
    const past = /ed$/i.test(verb) && base(verb) !== verb.toLowerCase();
    if (!NOT_SETTLED.test(rest) && !past && startsWithVerb(rest)) plan = rest;
  }
  if (s.fromNotes) return cap(plan);
  // "Are we including the mouse work?" — "…we don't have enough data. Let's leave it out.":
  // an answer's pronoun stands for what was asked before anything said on the way.
  const asked = [...all]
    .reverse()
    .find((x) => x.index < s.index && x.turn >= s.turn - 2 && x.turn < s.turn && planOf(x.text));
  const context = contextOf(all, s, plan);
  const own = context.filter((c) => s.text.startsWith(c));
  const first = asked ? [`we ${planOf(asked.text)!}`] : [];
  return cap(resolveTask(plan, [...own, ...first, ...context.slice(own.length)], isPerson, false));
}

/** "So we opened up the wall yesterday": what happened, told in the past, settles nothing. */
export function tellsThePast(text: string): boolean {
  const m = /^(?:(?:so|then|and)\s+)?we\s+(?:just\s+|already\s+)?(\w+ed)\b/i.exec(clean(text));
  // "We agreed on the 18th, let's make it the 25th": a plan said after the past one stands.
  if (m === null || /\blet's\b|\bwe(?:'ll| will)\b/i.test(text)) return false;
  return base(m[1]!) !== m[1]!.toLowerCase();
}

/** Proposals asked of the group: the plan is what follows. */
const ASKS_PLAN =
  /^(?:(?:so|and|okay|then)\s*,?\s+)?(?:should|shall|can|could|must)\s+we\s+(?:also\s+|just\s+|still\s+|maybe\s+)?(.+)$/i;
/** "Should I tell the staff?": the asker's own plan, settled for the group only when refused. */
const ASKS_MINE =
  /^(?:(?:so|and|okay|then)\s*,?\s+)?(?:should|shall|can|could)\s+i\s+(?:also\s+|just\s+|still\s+)?(.+)$/i;
/** "Do we (still) send…?" asks whether the plan stands; "Do we need / have / know…?" does not. */
const DO_WE =
  /^(?:(?:so|and|okay|then)\s*,?\s+)?do\s+we\s+(?:still\s+|also\s+)?(?!need|have|know|want\s+to\b)(.+)$/i;
const GOING_TO = /^going\s+to\s+\w/i;
/**
 * Not plans to settle: steering the meeting ("Can we move on to the budget?"), meeting again
 * ("Are we still meeting on Thursday?"), a request for something ("Could we have the report by
 * Monday?"), a feeling ("Should we worry about…?").
 */
const STEERING =
  /^(?:meet|catch up|speak|chat|sync|afford|expect|assume|count on|rely on|get paid|(?:have|get|see|receive)\s+(?:the|your|his|her|their|those|these|them|it|that|this)\b|worry|care|bother|panic|be\s+(?:worried|concerned|afraid)|(?:start|begin)(?:\s+(?:now|here|the meeting|with (?:the )?(?:agenda|first item|updates|intros)))?$|get started|move on|go (?:through|over|back|round|around|on)|talk about|discuss|wrap (?:up|this up|it up)|take a (?:break|minute|second)|continue|come back to|circle back|recap|hear from|stop here|finish here|end here|leave it there)\b/i;
/** Verbs of state or habit: "Do we use Jira?" asks how things are, not what to do. */
const HABIT =
  /^(?:get|use|own|like|mean|see|allow|accept|support|ship|sell|pay|charge|cover|count|expect|work|usually|normally|ever|always)\b/i;
/** "Are we (still) including the mouse work?" */
const ARE_WE = /^(?:(?:so|and|okay|then)\s*,?\s+)?are\s+we\s+(?:still\s+|also\s+)?(\w+ing)\b(.*)$/i;
/** "What if we dropped…?", "Would it help if I mentored…?", "Maybe we close…?" */
const IF_WE =
  /^(?:what if|would it (?:help|make sense|be (?:better|worth it)) if|maybe|why don't)\s+(we|i)\s+(?:should\s+|could\s+|just\s+)?(\w+)\b(.*)$/i;
/** "What about painting the dining room early?" */
const ABOUT = /^(?:what|how)\s+about\s+(.+)$/i;
/** "Would you be open to a joint webinar?" */
const OPEN_TO = /^would\s+(?:you|they|we)\s+be\s+open\s+to\s+(.+)$/i;
/** A proposal put as a statement: "We could swap the lamb for pork belly." ("You should…" is advice.) */
const WE_COULD =
  /^(?:(?:so|and|okay|well)\s*,?\s+)?(?:maybe\s+)?we\s+(?:could|should|might)\s+(?:just\s+|also\s+|maybe\s+)?(.+)$/i;

/** A verb in any form as its base ("dropped" → "drop", "including" → "include"). */
function base(verb: string): string {
  return lemmas(verb)[0] ?? verb;
}

/** A gerund as its verb ("painting" → "paint"; alone the tagger reads it as a noun). */
function gerundBase(word: string): string {
  return lemmas(`we are ${word}`)[2] ?? word;
}

/**
 * The plan a proposal puts, or null: from a question to the group ("Should we…?", "Do we
 * still…?", "Are we …ing?", "What if we…?", "What about…?", "Would you be open to…?") or a
 * statement ("We could…", "You should…"). Lower-case, without the question mark.
 */
export function planOf(sentence: string): string | null {
  return planAndAsker(sentence)?.plan ?? null;
}

/** `planOf`, and whether the plan is the asker's own ("Should I…?"). */
export function planAndAsker(sentence: string): { plan: string; mine: boolean } | null {
  // "Elena, about the grant renewal, are we including…?": a name and a topic put first.
  const raw = clean(sentence)
    .trim()
    .replace(/^\p{Lu}\p{Ll}+,\s+/u, "")
    .replace(/^(?:about|on|re|regarding|and)\s+[^,?]{1,40},\s+/i, "");
  const question = /\?\s*$/.test(raw);
  // "And for people who no-show twice, should we charge a fee?": the plan is after the lead.
  const t = raw
    .replace(/[?.!]+\s*$/, "")
    .trim()
    .replace(/^[^,]{3,60},\s+(?=(?:should|shall|can|could|do|are)\s+we\b)/i, "");
  const found = question ? askedPlan(t) : statedPlan(t);
  if (!found) return null;
  const plan = found.plan.replace(/\s+(?:instead|too|as well|then)$/i, "").trim();
  if (plan.length === 0 || STEERING.test(plan)) return null;
  return { plan: lowerFirst(plan), mine: found.mine };
}

/** "I move we go out for a fresh tender", "I suggest we…": a motion put to the group. */
const MOVE_WE = /^i\s+(?:move|propose|suggest)\s+(?:that\s+)?we\s+(?:should\s+)?(.+)$/i;
/** "Maybe you should hire…": advice; turned down it settles, agreed to it is the adviser's view. */
const YOU_SHOULD = /^(?:maybe\s+|i think\s+)?you\s+(?:should|could)\s+(?:just\s+|also\s+)?(.+)$/i;

function statedPlan(t: string): { plan: string; mine: boolean } | null {
  const m = WE_COULD.exec(t) ?? MOVE_WE.exec(t);
  if (m) return { plan: m[1]!, mine: false };
  const advice = YOU_SHOULD.exec(t);
  return advice ? { plan: advice[1]!, mine: true } : null;
}

/** The plan of a question, by the first of its shapes that fits. */
function askedPlan(t: string): { plan: string; mine: boolean } | null {
  const shapes: [RegExp, (m: RegExpExecArray) => { plan: string; mine: boolean } | null][] = [
    [ASKS_PLAN, (m) => ({ plan: m[1]!, mine: false })],
    [ASKS_MINE, (m) => ({ plan: m[1]!, mine: true })],
    // "Do we still want the tasting menu?" asks whether to keep it.
    [
      DO_WE,
      // "Do we ship to Canada?" asks a fact (a verb of state or habit); "Do we still send…?",
      // "Do we tell students up front?", "Do we raise five or eight?" ask what to do.
      (m) =>
        /^do\s+we\s+(?:still|also)\b/i.test(t) || /\s+or\s+/.test(m[1]!) || !HABIT.test(m[1]!)
          ? { plan: m[1]!.replace(/^want\s+(?!to\b)/i, "keep "), mine: false }
          : null,
    ],
    // "Are we going to hire a tutor?" puts "hire a tutor".
    [
      ARE_WE,
      (m) => ({
        plan: GOING_TO.test(m[1]! + m[2]!)
          ? (m[2] ?? "").replace(/^\s*to\s+/i, "")
          : `${gerundBase(m[1]!)}${m[2]}`,
        mine: false,
      }),
    ],
    [
      IF_WE,
      (m) => {
        // "What if we dropped the Starter tier and only offered a trial?": every verb as its base.
        const rest = m[3]!.replace(
          /\b(and\s+(?:only\s+|just\s+)?)(\w+ed)\b/gi,
          (_all, and: string, verb: string) => `${and}${base(verb)}`,
        );
        return { plan: `${base(m[2]!)}${rest}`, mine: m[1]!.toLowerCase() === "i" };
      },
    ],
    [
      ABOUT,
      (m) => {
        const about = m[1]!;
        const first = about.split(/\s+/)[0] ?? "";
        // "What about the arch?" names a topic; "What about painting it early?" puts a plan.
        // ("What about pricing for volumes…?" names a topic too: a gerund with no object.)
        const then = about.split(/\s+/)[1] ?? "";
        if (!/ing$/i.test(first) || /^(?:for|of|on|in|at|with|about|from|to)$/i.test(then))
          return null;
        return { plan: `${gerundBase(first)}${about.slice(first.length)}`, mine: false };
      },
    ],
    [OPEN_TO, (m) => ({ plan: m[1]!, mine: false })],
  ];
  for (const [shape, read] of shapes) {
    const m = shape.exec(t);
    if (m) return read(m);
  }
  return null;
}

/**
 * A proposal turned down, as what was settled: "Do not buy more freezers" for a plan with a
 * verb, "No joint webinar at some point" for a thing; `why` (the answer, when it says more than
 * a refusal) in brackets.
 */
export function refusedPlan(plan: string, why: string | null): string {
  const p = plan.replace(/^(?:a|an|the|some|any)\s+/i, "");
  // Turning down a change keeps what is there: "Stay with the current one rather than switch…".
  const change = /^(?:switch|change|move)\s+(?:back\s+)?to\b/i.test(plan);
  const head = change
    ? `Stay with the current one rather than ${plan}`
    : startsWithVerb(plan)
      ? `Do not ${plan}`
      : `No ${p}`;
  return why ? `${head} (${why})` : head;
}
