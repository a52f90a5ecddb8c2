/**
 * A task worded so it reads alone: its pronouns and short phrases resolved
 * against what was said just before (`refer.ts`), and a bare "I'll check"
 * that answers a yes/no question says what is checked ("check whether the
 * trainer will cover the reminder texts").
 */

import { contentWords } from "../core/keywords";
import { tokensOf } from "./nounPhrases";
import { nameWords, type People } from "./people";
import { resolveTask, whetherOf } from "./refer";
import { clean, type Sentence } from "./sentences";
import { isPronounTask, mainClause, tidy } from "./taskText";

/** Why: a pronoun rarely reaches back further than a few turns in conversation. */
const CONTEXT_TURNS = 4;

/** The sentences said before `s` (closest first), with the part of `s` before `task`. */
export function contextOf(all: readonly Sentence[], s: Sentence, task: string): string[] {
  const at = s.text.toLowerCase().indexOf(task.toLowerCase().slice(0, 20));
  const own = at > 0 ? [s.text.slice(0, at)] : [];
  const before = all
    .filter((x) => !x.fromNotes && x.index < s.index && x.turn >= s.turn - CONTEXT_TURNS)
    .reverse()
    .map((x) => clean(x.text));
  return [...own, ...before].filter((t) => t.trim().length > 0);
}

/** "I'll check (with them)": a verb of finding out with nothing to find out about. */
const BARE_CHECK =
  /^((?:check|find out|ask|confirm|verify|look into|see|figure out|double-check)(?:\s+(?:with|on)\s+(?:them|him|her|it|that|(?:our|my|the)\s+[\w-]+))?)(?:\s+(?:it|that|this))?(?:\s+and\s+(?:come|get)\s+back\s+to\s+\w+)?\s*$/i;

/** `task` with what it refers to spelled out, or unchanged. */
export function reword(raw: string, s: Sentence, all: readonly Sentence[], people: People): string {
  const isPerson = (w: string) => people.named(w) !== null;
  const task = raw.replace(/[.!?]+$/, "");
  // Already says what it checks (worded once by the rule that found it).
  if (/\bwhether\b/i.test(task)) return task;
  // "I'll check (with them)" answering "Will the trainer cover the texts?"
  const bare = BARE_CHECK.exec(task.trim());
  if (bare) {
    const q = all
      .filter((x) => !x.fromNotes && x.index < s.index && x.turn >= s.turn - 2)
      .reverse()
      .find((x) => /\?\s*$/.test(x.text) && x.speakerId !== s.speakerId);
    const w = q ? whetherOf(clean(q.text)) : null;
    if (w) return `${bare[1]} ${w}`;
  }
  // "I'll let the regulars know" after "Let's drop the tasting menu": know what was settled.
  if (
    /^(?:let\s+\S+(?:\s+\S+)?\s+know|tell\s+\S+(?:\s+\S+)?|inform\s+\S+(?:\s+\S+)?)$/i.test(
      task.trim(),
    )
  ) {
    const settled = all
      .filter((x) => !x.fromNotes && x.index < s.index && x.turn >= s.turn - 2)
      .reverse()
      .map((x) => ({ x, m: /^(?:let's|let us|we'll|we will)\s+(.+?)[.!]?$/i.exec(clean(x.text)) }))
      .find((y) => y.m !== null);
    if (settled?.m) {
      const what = resolveTask(
        settled.m[1]!.replace(/,\s.*$/, ""),
        contextOf(all, settled.x, settled.m[1]!),
        isPerson,
      );
      return `${task.trim()} we'll ${what}`;
    }
  }
  return resolveTask(task, contextOf(all, s, task), isPerson);
}

/** "send you the guide" → "send Samir the guide" when "you" is clearly one person. */
export function addressee(
  task: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
): string {
  // "send you the list, Owen": the trailing name says who "you" is.
  const voc = new RegExp(`,\\s+(${people.pattern})[.!?]?$`).exec(task);
  const called = voc ? people.named(voc[1]!) : null;
  if (called) task = task.slice(0, voc!.index);
  if (!/\byou\b/i.test(task)) return task;
  const others = people.all.filter((p) => p.userId !== s.speakerId);
  const prev = [...all]
    .reverse()
    .find((x) => x.index < s.index && x.turn >= 0 && x.speakerId !== s.speakerId);
  const who =
    called ??
    (others.length === 1
      ? others[0]
      : prev
        ? (people.all.find((p) => p.userId === prev.speakerId) ?? null)
        : null);
  if (!who) return task;
  const first = nameWords(who.name)[0] ?? who.name;
  return task.replace(/\byour\b/gi, `${first}'s`).replace(/\byou\b/gi, first);
}

/** A question that only names a thing: "Kwame, the contract for the owner?", "And the church?" */
const ASKED_ABOUT =
  /^(?:(?:and|so|also|then|now)\s+)?(?:(\p{Lu}\p{Ll}+),\s+)?((?:the|your|our|that|this|those|these)\s+[^?,]{2,60})\?$/iu;

/**
 * A pronoun task with the sentence it points at: "Take care of the contract for the owner" when
 * that sentence only asked about a thing, else the task with the sentence quoted after a colon.
 */
export function pointedAt(task: string, prev: string, people: People): string | null {
  const about = prev.replace(/[?.!]+$/, "");
  if (!about) return null;
  const asked = ASKED_ABOUT.exec(prev.trim());
  const np = asked && (!asked[1] || people.named(asked[1]) !== null) ? asked[2]! : null;
  if (np && !tokensOf(np).some((t) => t.pos === "VERB" || t.pos === "AUX"))
    return task.replace(/\b(?:that|it|this)\b/i, np.replace(/^(?:your|our|that|this)\s/i, "the "));
  return `${task}: ${about}`;
}

/** The sentence a pronoun task refers to: the closest earlier one that names something. */
export function antecedentOf(all: readonly Sentence[], s: Sentence): Sentence | undefined {
  return [...all]
    .reverse()
    .find((x) => x.index < s.index && !x.fromNotes && contentWords(clean(x.text)).length >= 2);
}

/** Why: "Can you handle that?" hands out a task put to the room at most two turns before. */
const UNOWNED_TURNS = 2;

/**
 * A pronoun task ("handle that", "do it") in words that read alone: a task put to the room just
 * before and not yet taken ("Someone needs to go through every account." — "Ben, can you handle
 * that?"), else its pronoun resolved, else the task with the sentence it points at; null when
 * nothing was said before.
 */
export function withAntecedentOf(
  task: string,
  s: Sentence,
  all: readonly Sentence[],
  people: People,
  unowned: { task: string; s: Sentence }[],
): string | null {
  const open = unowned.findIndex((u) => u.s.turn >= s.turn - UNOWNED_TURNS && u.s.turn < s.turn);
  if (open >= 0 && isPronounTask(task)) return unowned.splice(open, 1)[0]!.task;
  const resolved = reword(mainClause(task), s, all, people);
  if (resolved !== mainClause(task) && !isPronounTask(resolved)) return resolved;
  const prev = antecedentOf(all, s);
  // "Nobody lost, nobody in hospital. I'll take it.": taking one's own news is no task.
  if (
    prev &&
    prev.speakerId === s.speakerId &&
    !/\?\s*$/.test(prev.text) &&
    BARE_LIGHT.test(task.trim())
  )
    return null;
  return prev ? pointedAt(tidy(mainClause(task)), clean(prev.text), people) : null;
}

/** A light verb with only a pronoun: "take it", "have that". */
const BARE_LIGHT = /^(?:take|have|accept)\s+(?:it|that|this)[.!]?$/i;
