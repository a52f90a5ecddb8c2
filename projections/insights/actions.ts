/**
 * Action items from meeting sentences, by rules that say who does what:
 * - a first-person commitment ("I'll send…", "let me…", "X is mine") is the speaker's;
 * - a request or assignment names its owner ("Priya, could you…", "Ines, please confirm…",
 *   "Ahmed, you'll have…?", "Alan will…", notes "Alan: update…"), dropped when they decline
 *   unless someone takes it on ("I can't. Femi?" — "Fine, I'll do it": `handoff.ts`);
 * - an unaddressed "can you…?" belongs to whoever accepts it next;
 * - a pronoun task ("I'll do it") takes its task from the request or sentence it answers, and
 *   pronouns left in a task are resolved only when something fits (`taskWording.ts`, `refer.ts`);
 * - a task put to the room ("Someone should…") goes to whoever takes it (`openRequests.ts`); a
 *   bare imperative to the last other speaker, "I'll need your X, Felix", "Who does X?" — "I
 *   will" (`directives.ts`);
 * - other questions, hedges ("I'd rather not"), states ("I'll be in Lisbon"), "we" statements
 *   and tasks that name nothing to do ("Do my best", "Look") are never items.
 * Due dates come from `dueDate.ts`. Items that say the same thing for the same owner are merged.
 */
import { contentWords } from "../core/keywords";
import { agrees, amendment, directive, needFrom, whoQuestion } from "./directives";
import { takenAfterHandoff } from "./handoff";
import { type Candidate, merge, requestBefore } from "./mergeActions";
import { noteActionLine } from "./noteActionLine";
import { namesAThing } from "./nounPhrases";
import { introduction, openAssignment, unGerund } from "./openRequests";
import type { People } from "./people";
import type { ActionItem, InsightsParticipant } from "./provider";
import {
  answeredAtOnce,
  askedLeave,
  asPlainRequest,
  dueAskedFor,
  dueCorrected,
  lowerFirst,
  ownedTask,
  TAKEN_OVER,
  youreOn,
} from "./replies";
import { clean, lemmas, type Sentence, startsWithVerb } from "./sentences";
import { sharesStem } from "./taskSimilarity";
import {
  ACCEPTED,
  AGENDA,
  assignmentAsked,
  BRIEF,
  DECLINE,
  declines,
  dueOf,
  FIRST_PERSON,
  following,
  isBareVerb,
  isPronounTask,
  isTask,
  mainClause,
  NOT_TASK,
  OBJECT_PRONOUN,
  POINTS_BACK,
  tidy,
  vague,
  withTopic,
} from "./taskText";
import { addressee, antecedentOf, contextOf, reword, withAntecedentOf } from "./taskWording";

/** Action items of a meeting from its sentences. */
export function extractActions(
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
  used: Set<number>,
): ActionItem[] {
  const out: Candidate[] = [];
  const names = people.pattern;
  const speakerOf = (s: Sentence) =>
    s.speakerId === null ? null : (people.all.find((p) => p.userId === s.speakerId) ?? null);
  /** Tasks put to the room that nobody took yet: "Can you handle that?" may give one out. */
  const unowned: { task: string; s: Sentence }[] = [];
  const withAntecedent = (task: string, s: Sentence): string | null =>
    withAntecedentOf(task, s, all, people, unowned);
  const consumed = new Set<number>();
  /**
   * A request's item: the asked person's, or, when they decline and pass it on ("I can't, I'm
   * away. Femi?" — "Fine, I'll do it"), the taker's, due when the taker says (`handoff.ts`).
   */
  const requested = (
    s: Sentence,
    task: string,
    asked: InsightsParticipant | null,
    declined: boolean,
  ): void => {
    const handed = declined ? takenAfterHandoff(all, s, people, meetingAt) : null;
    const owner = handed?.owner ?? (declined ? null : asked);
    if (!owner || !isTask(task) || answeredAtOnce(task, s, all, owner)) return;
    const t = isPronounTask(task) ? withAntecedent(task, s) : mainClause(task);
    const due = dueOf(mainClause(task), meetingAt) ?? handed?.due ?? null;
    if (t) out.push({ task: t, owner, s, due, request: !handed });
    for (const i of handed?.taken ?? []) consumed.add(i);
    used.add(s.index);
  };
  for (const s of all) {
    if (consumed.has(s.index)) continue;
    const c = asPlainRequest(clean(s.text), people);
    if (!c) continue;
    // "That's on me. I'll sign it this week.": the sentence after says what is taken.
    const next = all[s.index + 1];
    if (c === TAKEN_OVER && next?.turn === s.turn && FIRST_PERSON.test(clean(next.text))) continue;
    const question = /\?\s*$/.test(c);

    if (s.fromNotes) {
      const note = noteActionLine(c, people);
      if (note) {
        out.push({ ...note, s, due: dueOf(c, meetingAt) });
        used.add(s.index);
      }
      continue;
    }

    // "Priya, could you …?" / "Could you …, Priya?"
    const vocReq =
      new RegExp(
        `^(${names}),?\\s+(?:could|can|would|will)\\s+${YOU}\\s+(?:please\\s+|also\\s+)*(.+?)\\??$`,
      ).exec(c) ?? null;
    const tailReq = new RegExp(
      `^(?:could|can|would|will)\\s+${YOU}\\s+(?:please\\s+|also\\s+)*(.+?),?\\s+(${names})\\?$`,
    ).exec(c);
    if (vocReq || tailReq) {
      const owner = people.named(vocReq ? vocReq[1]! : tailReq![2]!);
      const task = introduction(
        unGerund(vocReq ? vocReq[2]! : tailReq![1]!),
        speakerOf(s),
        contextOf(all, s, ""),
        people,
      );
      requested(s, task, owner, owner !== null && declines(all, s, owner));
      continue;
    }
    // "Can you …?" to whoever answers.
    const openReq = /^(?:could|can|would|will)\s+you\s+(?:please\s+|also\s+)*(.+?)\??$/i.exec(c);
    if (openReq && question) {
      const reply = following(all, s, 1)[0];
      const task = introduction(unGerund(openReq[1]!), speakerOf(s), contextOf(all, s, ""), people);
      const declined = reply !== undefined && DECLINE.test(reply.text.trim());
      requested(s, task, reply ? speakerOf(reply) : null, declined);
      continue;
    }
    // "Someone should pull the click data." / "Can someone run a session?" — "That's me."
    const open = openAssignment(c, s, all, people, meetingAt);
    if (open) {
      if (!open.owner) unowned.push({ task: open.task, s });
      if (open.owner) {
        out.push({ task: mainClause(open.task), owner: open.owner, s, due: open.due });
        for (const i of open.taken) consumed.add(i);
      }
      used.add(s.index);
      continue;
    }

    // "Who submits it?" — "I will."
    const who = whoQuestion(c, s, all, people, meetingAt);
    if (who) {
      out.push({ task: who.task, owner: who.owner, due: who.due, s });
      for (const i of who.taken) consumed.add(i);
      used.add(s.index);
      continue;
    }
    // "Should I write it up?" — "Yes, a one-pager."
    const leave = question ? askedLeave(c, s, all, people, meetingAt) : null;
    if (leave) {
      out.push({ task: mainClause(leave.task), owner: leave.owner, due: leave.due, s });
      for (const i of leave.taken) consumed.add(i);
      used.add(s.index);
    }
    // "Ines, please confirm …" / "Kim, you sort out …" / "Priyanka, the slide is yours."
    const voc = new RegExp(`^(${names}),\\s+(.+)$`).exec(c);
    // "Emeka, draft it?" / "Ahmed, you'll have the ledgers ready?": an assignment put as a question.
    if (question && !(voc && assignmentAsked(voc[2]!))) continue;
    if (voc) {
      const owner = people.named(voc[1]!);
      const rest = voc[2]!.replace(/^(?:please|also|then)\s+/i, "");
      const notAddressed =
        /^(?:let's|let us|we|i|i'm|i'll|it|that|this|there|how|what|thanks|thank)\b/i.test(rest);
      const you =
        /^you(?:'ll|\s+will)?\s+(?!are\b|were\b|'re\b|know\b|said\b|had\b|have been\b|did\b|were\b)(.+?)\??$/i.exec(
          rest,
        );
      const yours = /^(?:the\s+)?(.+?)\s+(?:is|are)\s+yours\b/i.exec(rest);
      const task =
        (yours !== null ? `Own the ${yours[1]}` : youreOn(rest)) ??
        (you !== null && startsWithVerb(you[1]!) && isBareVerb(you[1]!)
          ? you[1]!
          : /^please\s/i.test(voc[2]!) || startsWithVerb(rest)
            ? rest
            : null);
      // "Chloe, you run the labs. Could you design…?": the statement only leads up to the request.
      const next = all[s.index + 1];
      const leadsUp =
        you !== null &&
        next?.turn === s.turn &&
        /^(?:could|can|would|will)\s+you\b/i.test(next.text);
      // "Emeka, draft it?": the task is what "it" stands for.
      const worded = task && isPronounTask(task) ? withAntecedent(task, s) : task;
      const social = worded !== null && SOCIAL.test(worded);
      if (owner && worded && !social && !notAddressed && !leadsUp && !declines(all, s, owner)) {
        out.push({
          task: mainClause(worded),
          owner,
          s,
          due: dueOf(mainClause(worded), meetingAt),
          request: true,
        });
        used.add(s.index);
        continue;
      }
    }

    // "Alan will update …", "let's have Priya own …"
    const third = new RegExp(
      `(?:^|[,;]\\s*|\\b(?:and|so|then|let's have)\\s+)(${names})(?:\\s+(?:will|is going to|is to|needs to|has to|can)|'s going to|'ll)\\s+(.+)$`,
    ).exec(c);
    if (third) {
      const owner = people.named(third[1]!);
      const lemma = lemmas(third[2]!)[0] ?? "";
      if (owner && !NOT_TASK.has(lemma) && startsWithVerb(third[2]!) && !AGENDA.test(third[2]!)) {
        out.push({
          task: mainClause(third[2]!),
          owner,
          s,
          due: dueOf(mainClause(third[2]!), meetingAt),
        });
        used.add(s.index);
        continue;
      }
    }

    // "Please include the training package too" amends the task just given to another.
    const adds = amendment(c);
    const amended = adds
      ? [...out]
          .reverse()
          .find((k) => k.s.turn >= s.turn - 2 && k.owner && k.owner.userId !== s.speakerId)
      : undefined;
    if (adds && amended?.owner && agrees(all, s, amended.owner)) {
      amended.task = `${mainClause(amended.task).replace(/[.!]+$/, "")}, ${adds}`;
      used.add(s.index);
      continue;
    }
    // "I'll need your figures, Felix, by Wednesday" / "Send me the list" (to the last other speaker).
    const told = needFrom(c, s, all, people, meetingAt) ?? directive(c, s, all, people, meetingAt);
    const sameTurn = told
      ? out.find((k) => k.s.turn === s.turn && k.request && k.owner?.userId === told.owner.userId)
      : undefined;
    if (told && sameTurn) {
      sameTurn.task = `${mainClause(sameTurn.task)}, and ${lowerFirst(mainClause(told.task))}`;
      used.add(s.index);
      continue;
    }
    if (told) {
      out.push({ ...told, task: mainClause(told.task), s, request: true });
      used.add(s.index);
      if (!FIRST_PERSON.test(c)) continue;
    }

    const speaker = speakerOf(s);
    if (!speaker) continue;

    // "The installer crash is mine." / "I owe the chief executive a report."
    const owned = ownedTask(c, s, all, people, meetingAt);
    if (owned) {
      out.push({
        ...owned,
        task: addressee(mainClause(owned.task), s, all, people),
        owner: speaker,
        s,
      });
      used.add(s.index);
      continue;
    }

    // "I'll send …", "Let me check …"
    const fp = FIRST_PERSON.exec(c);
    if (
      fp &&
      !/\b(?:i'd rather|i wouldn't|i would not|maybe i|if i)\b/i.test(c.slice(0, fp.index + 3))
    ) {
      const task = mainClause(fp[1]!.replace(/,?\s+but\s+.*$/i, ""));
      // An obligation with no object ("I have to run") is a goodbye, not a task.
      if (/\bi (?:need|have|'ve got) to|\bi must\b/i.test(c) && contentWords(task).length < 2)
        continue;
      const lemma = lemmas(task)[0] ?? "";
      const have = /^have\s+(?:it|them|that|those|the|a|an|my|our)\b/i.test(task);
      if ((NOT_TASK.has(lemma) && !have) || BRIEF.test(task)) continue;
      if (!startsWithVerb(task) && !/^(?:ask|call|email|text|ping|check)\b/i.test(task)) continue;
      // "I'll write the copy. First draft by next Friday?": a short next sentence may say when.
      const then = all[s.index + 1];
      const due =
        dueOf(task, meetingAt) ??
        (then?.turn === s.turn && then.text.split(/\s+/).length <= 6
          ? dueOf(then.text, meetingAt)
          : null);
      // A reply to a request made to this speaker says how (or when) they will do it.
      const req = requestBefore(out, s, REPLY_TURNS, true);
      const replying =
        req !== undefined &&
        req.owner?.userId === s.speakerId &&
        req.s.turn === s.turn - 1 &&
        !/\balso\b/i.test(c) &&
        (isPronounTask(task) ||
          OBJECT_PRONOUN.test(task) ||
          sharesStem(task, req.task) ||
          ACCEPTED.test(all.find((x) => x.turn === s.turn)?.text ?? s.text));
      if (replying && req) {
        req.due ??= due;
        // "Okay, I'll hand the billing migration to Ana" names what the request left open.
        // (a vague request takes the reply's words; a different task is added as how).
        if (!isPronounTask(task) && !OBJECT_PRONOUN.test(task) && namesAThing(task)) {
          if (VAGUE.test(req.task)) req.task = addressee(task, s, all, people);
          else if (!sharesStem(task, req.task))
            req.task = `${mainClause(req.task)}: ${addressee(task, s, all, people)}`;
        }
        used.add(s.index);
        continue;
      }
      if (isPronounTask(task)) {
        if (req && req.owner === null) {
          req.owner = speaker;
          req.due ??= due;
          used.add(s.index);
          continue;
        }
        // "Lucy, can you send…?" — "Sure. What discount?" — "Ten." — "I'll get that out tomorrow."
        const asked = requestBefore(out, s, LATE_REPLY_TURNS, false);
        if (asked) {
          asked.due ??= due;
          used.add(s.index);
          continue;
        }
        const t = withAntecedent(task, s);
        if (!t) continue;
        const prev = antecedentOf(all, s);
        out.push({
          task: t,
          owner: speaker,
          s,
          due: due ?? (prev ? dueOf(prev.text, meetingAt) : null),
        });
        used.add(s.index);
        continue;
      }
      const worded = withTopic(addressee(task, s, all, people), c.slice(0, fp.index));
      out.push({ task: worded, owner: speaker, s, due });
      used.add(s.index);
      continue;
    }

    // "Will do." / "Sure." answering a request: the reply's due date counts.
    const req = requestBefore(out, s, REPLY_TURNS, true);
    if (req && req.owner?.userId === s.speakerId && req.due === null) req.due = dueOf(c, meetingAt);
  }
  /** Whether a task still points back ("email the office about that"). */
  const pointsBack = (task: string): boolean =>
    !tidy(task).includes(": ") && !/\bwhether\b/i.test(task) && POINTS_BACK.test(mainClause(task));
  /** What a task pointed back at as said (before `reword`), for merging it with its antecedent. */
  const aboutOf = (c: Candidate): string | null => {
    if (!pointsBack(c.said ?? c.task)) return null;
    const prev = antecedentOf(all, c.s);
    const about = prev ? clean(prev.text).replace(/[?.!]+$/, "") : "";
    return about && about !== clean(c.s.text).replace(/[?.!]+$/, "") ? about : null;
  };
  const withContext = (c: Candidate): string => {
    const about = pointsBack(c.task) ? aboutOf(c) : null;
    return about ? `${tidy(c.task)} (re: ${about})` : tidy(c.task);
  };
  dueAskedFor(out, all, meetingAt);
  dueCorrected(out, all, meetingAt);
  for (const c of out) {
    if (c.s.fromNotes) continue;
    c.said = c.task;
    c.task = reword(c.task, c.s, all, people);
  }
  return merge(out, people, withContext, aboutOf).filter((a) => !vague(a.text, meetingAt));
}

/** Why: a reply answers a request of the last two turns; "I'll get that out" may come three turns on. */
const REPLY_TURNS = 2;
const LATE_REPLY_TURNS = 3;

/** Who a request is put to: "you", or the addressee's people ("can your team call…"). */
const YOU = "(?:you|your\\s+(?:team|people|folks|crew|side|group|department|lot))";

/** Wishes, not tasks: "Marcus, enjoy the holiday", "have a good weekend". */
const SOCIAL =
  /^(?:enjoy|relax|rest up|get well|take care|stay safe|drive safe|have (?:a |an )?(?:good|great|nice|lovely|safe|fun|wonderful))\b/i;

/** A request that leaves its object open ("hand it to someone"). */
const VAGUE =
  /\b(?:it|them|someone|somebody|something|one piece|one of)\b|^(?:handle|do|take care of|take|sort(?: out)?|cover|manage|deal with) (?:that|this)\b/i;
