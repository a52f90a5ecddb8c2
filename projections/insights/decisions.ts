/**
 * Decisions from meeting sentences: statements that settle something
 * ("we're going with…", "we've decided on…", "X it is", "let's keep…"),
 * a bare "Decided." closing the speaker's previous sentence, and a short
 * acceptance ("Agreed.", "Good idea, yes.") of another speaker's proposal.
 * A proposal put as a question ("Should we put a second crane on?") and turned
 * down in the next turn settles what the answer says instead ("We'll stagger
 * the deliveries instead", kept with what it replaces), or, when the answer
 * only refuses, that it is not done ("Rejected: …"). Questions, deferrals
 * ("let's decide that next meeting") and proposals that nobody accepted are
 * never decisions of their own.
 */
import { contentWords } from "../core/keywords";
import { type InsightItem, itemId } from "./provider";
import type { Sentence } from "./sentences";
import { clean } from "./sentences";

const DECIDES =
  /\b(?:we(?:'ve| have)? decided|decided (?:to|on|that|against)|the decision is|final decision|we(?:'re| are) going with|we(?:'ll| will) go with|let's go with|go(?:ing)? with (?:the|option|plan|vendor)|we(?:'re| are) agreed|we agreed|agreed (?:to|on|that)|settled on)\b/i;
const IT_IS = /^(?:then\s+|so\s+)?(?:the\s+)?[\p{L}\p{N}' -]{1,40}\s+it is[.!]?$/iu;
const LETS =
  /^(?:so\s+|then\s+|okay,?\s+|fine,?\s+)?(?:let's|we(?:'ll| will)|then we|so we|we)\s+(?:just\s+|all\s+)?(?:keep|stay|use|make|move|offer|skip|drop|split|add|ask for|switch|hold|ship|launch|choose|pick|cut|generate|stick|postpone|delay|cancel|go ahead|proceed|run|push)\b/i;
/** A statement of what "we" do, settled because it replaces something ("…instead"). */
const INSTEAD =
  /^(?:so\s+|then\s+|okay,?\s+|fine,?\s+)?(?:let's|we(?:'ll| will)|then we|so we|we)\s+(?:just\s+)?\w+\b.*\binstead\b/i;
/** "Then we pour Thursday morning": a plan stated right after the options were weighed. */
const THEN_WE = /^(?:then|so)\s+we(?:'ll| will)?\s+(?!need|have|should|could|might|can|may)\w+/i;
/** "Fine, EU hosting then." / "Okay, Thursday then." */
const X_THEN =
  /^(?!(?:we|i|you|they|he|she|it|and|but|until|since|see|bye|talk)\b)[\p{L}\p{N}' -]{2,40}\s+then[.!]$/iu;
/** "No bouncy castle." / "No second crane then." */
const NO_THING =
  /^no\s+(?!problem|worries|idea|way|thanks|rush|one|need|of course)(?:more\s+)?[\p{L}' -]{3,40}?(?:\s+(?:this year|for now|then|either|at all))?[.!]$/iu;
const PROPOSED =
  /^(?:what if we|how about|why don't we|why not|could we|can we|should we|shall we|do we want to|would it make sense to)\b.*\?$/i;
const REFUSED =
  /^(?:no\b(?!\s+(?:problem|worries))|nope|i don't think so|i'd rather not|i would rather not|not (?:this|now|yet|really)\b|too (?:expensive|much|risky|early|late|slow|complicated)\b|let's not\b|we can't\b)|\bis too (?:much|expensive|risky|early|late)\b/i;
/** "Let's ask Northvet for a trial order": any plan put with "let's"… */
const LETS_ANY =
  /^(?:so\s+|then\s+|okay,?\s+|fine,?\s+)?let's\s+(?:just\s+)?[a-z]+\s+(?!(?:it|that|this|so)\b[.!]?$)\S+/i;
/** …except steering the meeting or the talk ("Let's start with the florist", "Let's see"). */
const STEERS =
  /^(?:so\s+|then\s+|okay,?\s+|fine,?\s+)?let's\s+(?:just\s+)?(?:start|begin|go|move|see|talk|discuss|get|look|call|wrap|recap|hear|think|take|check|not|keep in touch|try|meet|catch|chat|focus|turn|come|hope|say|leave|circle|park|table|jump|dive|kick|pick (?:this|it) up)\b/i;
const DEFER =
  /\b(?:decide|discuss|revisit)\s+(?:that|this|it)\s+(?:next|later|another)|\b(?:not (?:yet )?decided|haven't decided|undecided|to be decided|tbd)\b|\bnext meeting\b/i;
const BARE =
  /^(?:decided|settled|agreed|done deal|final|(?:that's|that is|it's) (?:decided|settled|final|the plan|our position|our plan))[.!]?$/i;
const ACCEPT =
  /^(?:agreed|i agree|agreed with \p{L}+|makes sense|sounds good|good idea|i like (?:that|it)|fair enough|that works(?: for (?:us|me))?|yes,? let's (?:do (?:it|that)|go with (?:it|that))|let's do (?:it|that)|deal)\b[^?]*$/iu;
const PROPOSAL =
  /\b(?:could|should|let's|what if|how about|why don't|we can|we could|i'd|instead|rather)\b/i;

function tidy(t: string): string {
  const s = clean(t)
    .replace(/\s+/g, " ")
    .replace(/[.!]+$/, "")
    .trim();
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) && !/^I\b/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function proposalText(t: string): string {
  return tidy(
    t
      .replace(/^(?:can|could|should|shall)\s+we\s+/i, "")
      .replace(/^(?:what if we|how about(?: we)?|why don't we)\s+/i, "")
      .replace(/\?$/, ""),
  );
}

function overlaps(a: string, b: string): boolean {
  const wa = new Set(contentWords(a));
  const wb = contentWords(b);
  if (wa.size === 0 || wb.length === 0) return false;
  return wb.filter((w) => wa.has(w)).length / Math.min(wa.size, wb.length) >= 0.6;
}

/**
 * Proposals asked and turned down in the next turn: the decision of that turn says what it
 * replaces; with none, the refusal is the decision.
 */
function turnedDown(
  all: readonly Sentence[],
  out: { text: string; s: Sentence }[],
  add: (text: string, s: Sentence) => void,
): void {
  for (const q of all) {
    if (q.turn < 0 || !PROPOSED.test(clean(q.text))) continue;
    const answer = all.filter((x) => x.turn === q.turn + 1);
    if (!answer[0] || answer[0].speakerId === q.speakerId) continue;
    const proposal = lowerFirst(proposalText(q.text))
      .replace(/^just\s+/i, "")
      .replace(/\s+(?:instead|too|as well)$/i, "");
    const counter = out.find((o) => o.s.turn === q.turn + 1 || o.s.turn === q.turn + 2);
    const refused = REFUSED.test(clean(answer[0].text));
    // "I like the raffle. Let's keep the raffle.": a different plan in answer turns it down too.
    if (!refused && !(counter && !overlaps(counter.text, proposal))) continue;
    // "I'd rather not hide it. I'll mock the database instead." (also an action item)
    const instead = answer.find((x) => /\binstead\b/i.test(x.text) && !/\?\s*$/.test(x.text));
    if (!counter && instead) {
      add(`${tidy(instead.text)} (rather than: ${proposal})`, instead);
      continue;
    }
    if (counter) {
      if (!/\binstead\b|\brather than\b/i.test(counter.text))
        counter.text = `${counter.text} (rather than: ${proposal})`;
      continue;
    }
    const about = all.find((x) => x.turn === q.turn && x.index > q.index);
    const more =
      about && /\b(?:it|that|this|them)\b/i.test(q.text) && contentWords(proposal).length < 3
        ? ` (${tidy(about.text).replace(/\?$/, "")})`
        : "";
    add(`Rejected: ${proposal}${more}`, answer[0]);
  }
}

/** Decisions among `all` (sentences already used as action items are skipped). */
export function extractDecisions(all: readonly Sentence[], used: Set<number>): InsightItem[] {
  const out: { text: string; s: Sentence }[] = [];
  const add = (text: string, s: Sentence) => {
    if (!text || out.some((o) => overlaps(o.text, text))) return;
    out.push({ text, s });
    used.add(s.index);
  };
  for (const s of all) {
    const c = clean(s.text);
    if (!c || /\?\s*$/.test(c) || DEFER.test(c)) continue;
    if (BARE.test(c)) {
      const prev = [...all]
        .reverse()
        .find((x) => x.index < s.index && (x.speakerId === s.speakerId || s.fromNotes));
      if (prev && !/\?\s*$/.test(prev.text)) add(tidy(prev.text), prev);
      continue;
    }
    if (used.has(s.index)) continue;
    if (
      DECIDES.test(c) ||
      IT_IS.test(c) ||
      INSTEAD.test(c) ||
      (THEN_WE.test(s.text.trim()) && !/\?/.test(c)) ||
      (LETS_ANY.test(c) && !STEERS.test(c)) ||
      NO_THING.test(c) ||
      (X_THEN.test(c) && c.split(/\s+/).length <= 5) ||
      (LETS.test(c) && !/\blet's not\b/i.test(c))
    ) {
      add(tidy(c), s);
      continue;
    }
    if (ACCEPT.test(c) && s.turn >= 0) {
      const prev = [...all]
        .reverse()
        .find((x) => x.index < s.index && x.turn === s.turn - 1 && x.speakerId !== s.speakerId);
      if (prev && PROPOSAL.test(prev.text) && !DEFER.test(prev.text) && !used.has(prev.index)) {
        add(proposalText(prev.text), prev);
      }
    }
  }
  turnedDown(all, out, add);
  out.sort((a, b) => a.s.index - b.s.index);
  // One speaker settling one thing over consecutive sentences is one decision.
  const merged: { text: string; s: Sentence }[] = [];
  for (const o of out) {
    const last = merged[merged.length - 1];
    if (last && o.s.turn >= 0 && last.s.turn === o.s.turn && last.s.speakerId === o.s.speakerId) {
      last.text = `${last.text}; ${lowerFirst(o.text)}`;
    } else merged.push({ ...o });
  }
  // A terse decision ("Ten it is") says what it settles: the proposal just before it.
  for (const m of merged) {
    if (contentWords(m.text).length >= 4 || m.s.turn < 0) continue;
    const turn = all.filter((x) => x.turn === m.s.turn && x.index < m.s.index);
    const reason = [...turn].reverse().find((x) => contentWords(x.text).length >= 3);
    const accepted =
      turn[0] !== undefined &&
      /^(?:yes|yeah|yep|exactly|agreed|right|sure|okay|ok|fine|correct)\b/i.test(turn[0].text);
    const proposal = accepted
      ? [...all].reverse().find((x) => x.index < m.s.index && x.turn === m.s.turn - 1)
      : undefined;
    const context = reason ? tidy(reason.text) : proposal ? proposalText(proposal.text) : null;
    if (context) m.text = `${context} — ${lowerFirst(m.text)}`;
  }
  return merged.map((o) => ({ id: itemId("decision", o.text), text: o.text, source: o.s.source }));
}
