/**
 * The readable parts of local insights: a summary in sentences (who met,
 * what about, what was decided, who does what next), key takeaways (the
 * sentences richest in the meeting's key phrases, small talk and questions
 * left out), follow-ups and typed recommendations with a confidence,
 * including the people to connect with.
 */
import { keyPhrases } from "../core/keyPhrases";
import { contentWords } from "../core/keywords";
import { nameWords, type People } from "./people";
import {
  type ActionItem,
  type InsightItem,
  type InsightsInput,
  itemId,
  type Recommendation,
} from "./provider";
import type { Sentence } from "./sentences";
import { clean } from "./sentences";

/** Why: three takeaways fit a summary card; more reads as a transcript. */
export const TAKEAWAYS = 3;
/** Why: the summary names the first few next steps; the list below it has them all. */
const SUMMARY_ITEMS = 4;
/** Why: a "connect" list longer than three people stops being a recommendation. */
const CONNECT_MAX = 3;

const SMALL_TALK =
  /\b(?:weekend|holiday|vacation|weather|snow|rain|coffee|by the way|how was|how's your|how is your|congratulations|congrats|birthday|match|game last|thanks for (?:coming|joining|making time)|nice to meet|good to see|happy thanksgiving|see you)\b/i;
const FOLLOW_UP =
  /\b(?:follow[ -]up|circle back|talk again|meet again|speak again|catch up again|check in|revisit|next meeting|same time|keep in touch|reconvene)\b/i;
const SUGGEST =
  /\b(?:should|recommend|suggest|consider|it would be (?:good|better|worth)|worth (?:doing|trying)|ought to)\b/i;
const RESOURCE =
  /\b(?:read|book|course|guide|article|chapter|video|podcast|paper|template|checklist)\b/i;
const INTRO =
  /\bintroduce (?:you|\p{L}+) to (\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?(?:\s+(?:at|from)\s+[\p{Lu}][\p{L}&' -]+)?)/u;

function list(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function sentence(s: string): string {
  const t = s.trim().replace(/[.!?]*$/, "");
  return t.length === 0 ? "" : `${t[0]!.toUpperCase()}${t.slice(1)}.`;
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) && !/^I\b/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Everything of the insights that is not an action item or a decision. */
export function summarize(
  input: InsightsInput,
  all: readonly Sentence[],
  people: People,
  actions: readonly ActionItem[],
  decisions: readonly InsightItem[],
  used: Set<number>,
) {
  const names = people.all.flatMap((p) => nameWords(p.name));
  const spoken = all.map((s) => s.text);
  const phrases = keyPhrases(spoken, 8, names);
  const phraseWords = new Set(phrases.flatMap((p) => contentWords(p)));

  const followUps: InsightItem[] = [];
  const recommendations: Recommendation[] = [];
  const rec = (
    type: Recommendation["type"],
    text: string,
    confidence: number,
    s: Sentence | null,
    userId: string | null = null,
  ) => {
    if (recommendations.some((r) => r.text === text)) return;
    recommendations.push({
      id: itemId(`rec-${type}`, text),
      type,
      text,
      confidence,
      userId,
      source: s?.source ?? null,
    });
  };
  for (const s of all) {
    const c = clean(s.text);
    if (!c || used.has(s.index)) continue;
    if (FOLLOW_UP.test(c) && !/\?\s*$/.test(c)) {
      followUps.push({ id: itemId("follow", c), text: sentence(c), source: s.source });
      rec("follow_up", sentence(c), 0.7, s);
      used.add(s.index);
      continue;
    }
    const intro = INTRO.exec(c);
    if (intro) rec("connect", `Follow up on the introduction to ${intro[1]!.trim()}.`, 0.75, s);
    if (/\?\s*$/.test(c)) continue;
    if (
      RESOURCE.test(c) &&
      /["“][^"”]{3,}["”]|\b(?:read|course|book)\b/i.test(c) &&
      !SMALL_TALK.test(c)
    ) {
      rec("resource", sentence(c), 0.6, s);
      used.add(s.index);
    } else if (SUGGEST.test(c) && !SMALL_TALK.test(c) && contentWords(c).length >= 3) {
      rec("suggestion", sentence(c), 0.5, s);
      used.add(s.index);
    }
  }

  // People to connect with: everyone met, ranked by how much of the meeting's topics they spoke about.
  const bySpeaker = new Map<string, Set<string>>();
  for (const s of all) {
    if (!s.speakerId) continue;
    const set = bySpeaker.get(s.speakerId) ?? new Set<string>();
    for (const w of contentWords(s.text)) if (phraseWords.has(w)) set.add(w);
    bySpeaker.set(s.speakerId, set);
  }
  const connect = people.all
    .filter((p) => bySpeaker.has(p.userId))
    .map((p) => {
      const words = [...(bySpeaker.get(p.userId) ?? [])];
      const topics = phrases
        .filter((ph) => contentWords(ph).some((w) => words.includes(w)))
        .slice(0, 2);
      return { p, topics, score: words.length };
    })
    .sort((a, b) => b.score - a.score || (a.p.name < b.p.name ? -1 : 1))
    .slice(0, CONNECT_MAX + 1);
  const most = Math.max(1, ...connect.map((c) => c.score));
  for (const c of connect) {
    const about = c.topics.length > 0 ? ` — they spoke about ${list(c.topics)}` : "";
    rec(
      "connect",
      `Connect with ${c.p.name}${about}.`,
      Math.round((0.4 + 0.5 * (c.score / most)) * 100) / 100,
      null,
      c.p.userId,
    );
  }

  const keyTakeaways = all
    .filter((s) => {
      const c = clean(s.text);
      return (
        !used.has(s.index) && !/\?\s*$/.test(c) && !SMALL_TALK.test(c) && c.split(/\s+/).length >= 5
      );
    })
    .map((s) => {
      const words = contentWords(s.text);
      const hits = words.filter((w) => phraseWords.has(w)).length;
      const facts = /\d|percent|thousand|hundred|million/.test(s.text) ? 1 : 0;
      return { s, score: hits + facts + Math.min(words.length, 12) / 12 };
    })
    .sort((a, b) => b.score - a.score || a.s.index - b.s.index)
    .slice(0, TAKEAWAYS)
    .sort((a, b) => a.s.index - b.s.index)
    .map(({ s }) => {
      const text = sentence(clean(s.text));
      return { id: itemId("takeaway", text), text, source: s.source };
    });

  const who = list(people.all.map((p) => nameWords(p.name).slice(0, 1).join("") || p.name));
  const parts = [
    `${who || "The participants"} met about ${input.title.replace(/[.!?]+$/, "")}.`,
    phrases.length > 0 ? `The conversation covered ${list(phrases.slice(0, 4))}.` : "",
    decisions.length > 0
      ? `They decided: ${decisions
          .slice(0, 3)
          .map((d) => lowerFirst(d.text))
          .join("; ")}.`
      : "No decision was recorded.",
    actions.length > 0
      ? `Next steps: ${actions
          .slice(0, SUMMARY_ITEMS)
          .map(
            (a) =>
              `${a.ownerName ? `${nameWords(a.ownerName)[0] ?? a.ownerName} — ` : ""}${lowerFirst(a.text)}`,
          )
          .join(
            "; ",
          )}${actions.length > SUMMARY_ITEMS ? ` (and ${actions.length - SUMMARY_ITEMS} more)` : ""}.`
      : "",
  ];
  const summary = parts.filter(Boolean).join(" ");
  return { summary, keyTakeaways, followUps, recommendations, topics: phrases };
}
