/**
 * The default insights provider: local, deterministic NLP with `wink-nlp`
 * and its English model (shipped inside npm; no network). Sentences come
 * from the notes and the transcript; rules on each sentence find action
 * items (owner = a named participant, or the speaker for "I will…"; due date
 * = a DATE/TIME entity), decisions, follow-ups and recommendations; key
 * takeaways are the sentences richest in the meeting's top keywords.
 */

import model from "wink-eng-lite-web-model";
import winkNLP, { type ItemSentence } from "wink-nlp";
import { topKeywords } from "../core/keywords";
import type { ActionItem, InsightsInput, InsightsProvider, MeetingInsights } from "./provider";

/** Why: three takeaways fit a summary card; more reads as a transcript. */
export const TAKEAWAYS = 3;

let nlp: ReturnType<typeof winkNLP> | null = null;
function engine(): ReturnType<typeof winkNLP> {
  // Loading the model takes ~0.25 s: once per runtime, on first use.
  nlp ??= winkNLP(model);
  return nlp;
}

type Sentence = { text: string; speakerId: string | null; dates: string[]; index: number };

function sentencesOf(input: InsightsInput): Sentence[] {
  const n = engine();
  const out: Sentence[] = [];
  const seen = new Set<string>();
  const add = (text: string, speakerId: string | null) => {
    const doc = n.readDoc(text);
    doc.sentences().each((s: ItemSentence) => {
      const t = s.out().trim();
      const k = t.toLowerCase();
      if (t.length === 0 || seen.has(k)) return;
      seen.add(k);
      const dates = (s.entities().out(n.its.detail) as unknown as { value: string; type: string }[])
        .filter((e) => e.type === "DATE" || e.type === "TIME")
        .map((e) => e.value.replace(/^(?:by|on|before|until|no later than)\s+/i, ""));
      out.push({ text: t, speakerId, dates, index: out.length });
    });
  };
  for (const line of input.notesText.split("\n")) if (line.trim()) add(line, null);
  for (const turn of input.transcript) add(turn.text, turn.speakerId);
  return out;
}

const ACTION = /^(?:action(?: item)?|todo|to do|next step)s?\s*[:-]/i;
const MODAL = /\b(will|'ll|is going to|are going to|needs? to|has to|have to|must|to)\b/i;
const REQUEST = /\b(can you|could you|would you|please)\b/i;
const DECISION =
  /\b(decided|decide|agreed|agree on|decision|go with|approved|settled on|final call)\b/i;
const FOLLOW_UP =
  /\b(follow[ -]up|circle back|next meeting|next time|revisit|check in|sync again)\b/i;
const RECOMMEND = /\b(should|recommend|suggest|consider|it would be (?:good|better)|ought to)\b/i;

/** The participant a word names (first name or full name, case-insensitive). */
function participantNamed(input: InsightsInput, word: string): string | null {
  const w = word.toLowerCase().replace(/[^a-z\p{L}'-]/gu, "");
  if (!w) return null;
  const hit = input.participants.find((p) => {
    const full = p.name.toLowerCase();
    return full === w || full.split(/\s+/)[0] === w;
  });
  return hit?.userId ?? null;
}

function ownerOf(input: InsightsInput, s: Sentence): { owner: string | null; isAction: boolean } {
  const body = s.text.replace(ACTION, "").trim();
  const words = body.split(/[\s,:]+/).filter(Boolean);
  const first = words[0] ?? "";
  const named = participantNamed(input, first);
  if (ACTION.test(s.text)) return { owner: named, isAction: true };
  if (REQUEST.test(body)) return { owner: named, isAction: true };
  const modal = MODAL.exec(body);
  if (!modal) return { owner: null, isAction: false };
  const subject = body.slice(0, modal.index).trim().toLowerCase();
  if (named && subject.split(/\s+/).length <= 2) return { owner: named, isAction: true };
  if (/^i$|^i'll/.test(subject) || /^i'll\b/i.test(body))
    return { owner: s.speakerId, isAction: true };
  return { owner: null, isAction: false };
}

/** Analyze a meeting with rules over wink-nlp sentences and entities. */
export function analyzeLocally(input: InsightsInput): MeetingInsights {
  const sentences = sentencesOf(input);
  const actionItems: ActionItem[] = [];
  const decisions: string[] = [];
  const followUps: string[] = [];
  const recommendations: string[] = [];
  const used = new Set<number>();
  for (const s of sentences) {
    if (DECISION.test(s.text)) {
      decisions.push(s.text);
      used.add(s.index);
      continue;
    }
    const { owner, isAction } = ownerOf(input, s);
    if (isAction) {
      actionItems.push({
        text: s.text,
        owner,
        due: s.dates.length > 0 ? s.dates.join(", ") : null,
      });
      used.add(s.index);
      if (FOLLOW_UP.test(s.text)) followUps.push(s.text);
      continue;
    }
    if (FOLLOW_UP.test(s.text) || s.text.endsWith("?")) {
      followUps.push(s.text);
      used.add(s.index);
    } else if (RECOMMEND.test(s.text)) {
      recommendations.push(s.text);
      used.add(s.index);
    }
  }
  const allText = sentences.map((s) => s.text);
  const keywords = topKeywords(allText, 8);
  const score = (t: string) => topKeywords([t], 50).filter((w) => keywords.includes(w)).length;
  const keyTakeaways = sentences
    .filter((s) => !used.has(s.index) && s.text.split(/\s+/).length >= 4)
    .map((s) => ({ s, score: score(s.text) }))
    .sort((a, b) => b.score - a.score || a.s.index - b.s.index)
    .slice(0, TAKEAWAYS)
    .sort((a, b) => a.s.index - b.s.index)
    .map((x) => x.s.text);
  const topics = keywords.slice(0, 5);
  const summary =
    `${input.title}: ${input.participants.length} participant${input.participants.length === 1 ? "" : "s"}` +
    (topics.length > 0 ? ` discussed ${topics.join(", ")}.` : ".") +
    ` ${decisions.length} decision${decisions.length === 1 ? "" : "s"}, ${actionItems.length} action item${actionItems.length === 1 ? "" : "s"}.`;
  return { summary, actionItems, keyTakeaways, decisions, followUps, recommendations };
}

/** The local provider (default). */
export const localInsightsProvider: InsightsProvider = {
  name: "local-wink-nlp",
  analyze: async (input) => analyzeLocally(input),
};
