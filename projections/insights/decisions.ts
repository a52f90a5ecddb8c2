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
import { planOf, settledWording, tagsOf, tellsThePast, tidyDecision } from "./decisionWording";
import { type Found, overlaps, settleProposals } from "./proposals";
import { type InsightItem, itemId } from "./provider";
import { lowerFirst } from "./replies";
import type { Sentence } from "./sentences";
import { clean, startsWithVerb } from "./sentences";

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
const LETS_ANY =
  /^(?:so\s+|then\s+|okay,?\s+|fine,?\s+)?let's\s+(?:just\s+)?[a-z]+\s+(?!(?:it|that|this|so)\b[.!]?$)\S+/i;
/** …except steering the meeting or the talk ("Let's start with the florist", "Let's see"). */
const STEERS =
  /^(?:so\s+|then\s+|okay,?\s+|fine,?\s+)?let's\s+(?:just\s+)?(?:start|begin|go(?!\s+(?:for|with)\b)|move|see|talk|discuss|get|look|call|wrap|recap|hear|think|take|check|not|keep in touch|try|meet|catch|chat|focus|turn|come|hope|say|leave (?:it|that|this) (?:there|at that)|circle|park|table|jump|dive|kick|pick (?:this|it) up)\b/i;
const DEFER =
  /\b(?:decide|discuss|revisit)\s+(?:that|this|it)\s+(?:next|later|another)|\b(?:not (?:yet )?decided|haven't decided|undecided|to be decided|tbd)\b|\bnext meeting\b/i;
const BARE =
  /^(?:decided|settled|agreed|done deal|final|(?:that's|that is|it's) (?:decided|settled|final|the plan|our position|our plan))[.!]?$/i;

/**
 * "Agreed, we keep it running until finance signs off." / "Fine, paint after." / "Okay, a
 * smaller fresh arch.": an answer that agrees and says what then happens; the part after the
 * agreement, when it is a statement about what was just discussed (not "I'll…", not "that's…").
 */
const ASSENT_LEAD =
  /^(?:agreed|fine|okay|ok|yes|yeah|right|you're right|good|absolutely|exactly|fair enough)\s*[,.!:;–—-]\s*(.+)$/i;
const NOT_STATEMENT =
  /^(?:i|i'm|i'll|i've|i'd|you|you're|he|she|they|they're|it|it's|that|that's|this|there|there's|thanks|thank|see|let me|what|how|why|who|when|where|and|but)\b/i;

function assentBody(all: readonly Sentence[], s: Sentence, out: readonly Found[]): string | null {
  if (s.turn <= 0) return null;
  // "Agreed, the 25th is safer." after "Let's make it the 25th": agreeing to what is found.
  if (out.some((o) => o.s.turn === s.turn - 1)) return null;
  const first = all.find((x) => x.turn === s.turn);
  if (first?.index !== s.index) return null;
  const m = ASSENT_LEAD.exec(s.text.trim());
  if (!m) return null;
  const body = clean(m[1]!).trim();
  if (/\?/.test(body) || body.split(/\s+/).length < 2 || NOT_STATEMENT.test(body)) return null;
  if (DEFER.test(body) || STEERS.test(body)) return null;
  const window = all.filter((x) => x.turn >= s.turn - 3 && x.turn < s.turn);
  if (!all.some((x) => x.turn === s.turn - 1 && x.speakerId !== s.speakerId)) return null;
  const words = new Set(contentWords(window.map((x) => x.text).join(" ")));
  if (!contentWords(body).some((w) => words.has(w))) return null;
  // "Yes, the client signed it yesterday." answers a question of fact: a plan needs a plan's
  // shape, or a proposal just before it that it answers.
  const proposed = window.some((x) => planOf(x.text) !== null);
  return (proposed || planShaped(body)) && !PAST.test(body) ? body : null;
}

/** Said of the past ("was", "signed it yesterday"): no plan. */
const PAST =
  /\b(?:was|were|did|had|yesterday|last (?:week|month|year))\b|^\S+(?:\s+\S+)?\s+\w+ed\b/i;

/** "we keep it…", "no letter", "paint after", "one generator": the forms a plan is said in. */
function planShaped(body: string): boolean {
  if (/^(?:we|let's)\s+\w+/i.test(body) && !tellsThePast(body)) return true;
  if (/^no\s+\w+/i.test(body) || startsWithVerb(body)) return true;
  const tags = tagsOf(body);
  return tags.length <= 5 && !tags.some((t) => t === "VERB" || t === "AUX");
}

/**
 * Decisions among `all` (sentences already used as action items are skipped); `isPerson` tells
 * the pronoun resolver which words name people.
 */
export function extractDecisions(
  all: readonly Sentence[],
  used: Set<number>,
  isPerson: (word: string) => boolean = () => false,
): InsightItem[] {
  const out: Found[] = [];
  const tasks = new Set(used);
  const add = (text: string, s: Sentence, answers = false) => {
    if (!text || out.some((o) => overlaps(o.text, text))) return;
    out.push({ text, s, answers });
    used.add(s.index);
  };
  const settled = (text: string, s: Sentence) => settledWording(text, s, all, isPerson);
  for (const s of all) {
    const c = clean(s.text);
    if (!c || /\?\s*$/.test(c) || DEFER.test(c)) continue;
    if (BARE.test(c)) {
      // "Then we generate ids. Settled.": the sentence before in the same turn; a bare "That's
      // the plan." opening a turn confirms the turn before, whose decision is already found.
      const prev = [...all]
        .reverse()
        .find(
          (x) =>
            x.index < s.index &&
            ((x.speakerId === s.speakerId && x.turn === s.turn) || s.fromNotes),
        );
      if (prev && !/\?\s*$/.test(prev.text)) add(settled(prev.text, prev), prev);
      continue;
    }
    if (used.has(s.index) || (tellsThePast(c) && !DECIDES.test(c))) continue;
    if (
      DECIDES.test(c) ||
      IT_IS.test(c) ||
      INSTEAD.test(c) ||
      (THEN_WE.test(s.text.trim()) && !/\?/.test(c)) ||
      (LETS_ANY.test(c) && !STEERS.test(c)) ||
      NO_THING.test(c) ||
      (X_THEN.test(c) && c.split(/\s+/).length <= 5) ||
      (LETS.test(c) && !/\blet's not\b/i.test(c) && !STEERS.test(c))
    ) {
      add(settled(c, s), s);
      continue;
    }
    const body = assentBody(all, s, out);
    if (body) add(settled(body, s), s, true);
  }
  settleProposals({ all, isPerson, tasks }, out, add);
  out.sort((a, b) => a.s.index - b.s.index);
  // One speaker settling one thing over consecutive sentences is one decision.
  const merged: Found[] = [];
  for (const o of out) {
    const last = merged[merged.length - 1];
    if (last && o.s.turn >= 0 && last.s.turn === o.s.turn && last.s.speakerId === o.s.speakerId) {
      last.text = `${last.text}; ${lowerFirst(o.text)}`;
    } else merged.push({ ...o });
  }
  // A terse decision ("Ten it is") says what it settles: the proposal just before it.
  for (const m of merged) {
    if (contentWords(m.text).length >= 4 || m.s.turn < 0 || m.framed) continue;
    const turn = all.filter((x) => x.turn === m.s.turn && x.index < m.s.index);
    const reason = [...turn].reverse().find((x) => contentWords(x.text).length >= 3);
    const accepted =
      turn[0] !== undefined &&
      /^(?:yes|yeah|yep|exactly|agreed|right|sure|okay|ok|fine|correct)\b/i.test(turn[0].text);
    const proposal = accepted
      ? [...all].reverse().find((x) => x.index < m.s.index && x.turn === m.s.turn - 1)
      : undefined;
    const context = reason
      ? tidyDecision(reason.text)
      : proposal
        ? tidyDecision(planOf(proposal.text) ?? proposal.text).replace(/\?$/, "")
        : null;
    if (context) m.text = `${context} — ${lowerFirst(m.text)}`;
  }
  return merged.map((o) => ({ id: itemId("decision", o.text), text: o.text, source: o.s.source }));
}
