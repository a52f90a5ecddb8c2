/**
 * The units the local insights provider reasons over: sentences of the notes
 * (one per line or more) and of the final transcript, each with its speaker,
 * turn and source, plus wink-nlp helpers (sentence split, part of speech).
 */

import model from "wink-eng-lite-web-model";
import winkNLP, { type ItemSentence } from "wink-nlp";
import type { InsightsInput, SourceRef } from "./provider";

let nlp: ReturnType<typeof winkNLP> | null = null;
/** The wink-nlp engine (loading the model takes ~0.25 s: once per runtime, on first use). */
export function engine(): ReturnType<typeof winkNLP> {
  nlp ??= winkNLP(model);
  return nlp;
}

/** One sentence of the meeting. */
export type Sentence = {
  text: string;
  /** Speaker's userId (transcript) or null (notes). */
  speakerId: string | null;
  /** Transcript turn index (consecutive utterances of one speaker share it), or -1 for notes. */
  turn: number;
  /** Position among all sentences. */
  index: number;
  source: SourceRef;
  fromNotes: boolean;
};

/** Why: a sentence longer than this is a run-on transcript; it is cut, not analyzed whole. */
export const MAX_SENTENCE_CHARS = 600;

function split(text: string): string[] {
  const out: string[] = [];
  engine()
    .readDoc(text)
    .sentences()
    .each((s: ItemSentence) => {
      const t = s.out().trim();
      if (t) out.push(...handedOff(t.slice(0, MAX_SENTENCE_CHARS)));
    });
  return out;
}

/** "…and I'll…" joining a request or statement to the speaker's own commitment. */
const AND_I_WILL = /^(.{8,}?)(?:,\s*|\s+)and\s+((?:I'll|I will|I'm going to)\s.+)$/;
/** A first-person commitment already in the first part: one task in two verbs ("I'll draft it and I'll send it"). */
const OWN = /\b(?:I'll|I will|I'm going to|let me|I can|I need to|I have to|I'd|I)\b/;

/**
 * "Olu, draft the letter and I'll sign it off tomorrow" as two sentences: the first part is
 * another person's task (or a statement), the second the speaker's, and the rules read each
 * sentence as one commitment.
 */
function handedOff(t: string): string[] {
  const m = AND_I_WILL.exec(t);
  if (!m || OWN.test(m[1]!)) return [t];
  const first = m[1]!.replace(/[,;\s]+$/, "");
  return [/[?]$/.test(t) ? `${first}?` : `${first}.`, m[2]!];
}

/** Sentences of the notes (in line order) then of the transcript (in time order). */
export function sentencesOf(input: InsightsInput): Sentence[] {
  const out: Sentence[] = [];
  const lines = input.notesText.split("\n");
  lines.forEach((line, i) => {
    const clean = line.trim();
    if (!clean) return;
    for (const t of split(clean)) {
      out.push({
        text: t,
        speakerId: null,
        turn: -1,
        index: out.length,
        source: { kind: "note", line: i },
        fromNotes: true,
      });
    }
  });
  let turn = -1;
  let last: string | null = null;
  for (const u of input.transcript) {
    if (u.speakerId !== last) turn++;
    last = u.speakerId;
    for (const t of split(fluent(u.text))) {
      out.push({
        text: t,
        speakerId: u.speakerId,
        turn,
        index: out.length,
        source: { kind: "transcript", at: u.at, speakerId: u.speakerId },
        fromNotes: false,
      });
    }
  }
  return out;
}

/** A filler a transcript keeps ("um", "uh", "erm"). */
const FILL = "(?<![\\w'])(?:um+|uh+|erm+|uhm+|er)(?![\\w'])";
/** A word said again after a pause ("I've, um, I've asked"): a restart, not two words. */
const RESTART = new RegExp(`\\b([\\w']+),\\s+(?:${FILL}\\s*,?\\s+)?\\1\\b`, "gi");
/** A filler with the pause marks around it (a comma before and after stays one comma). */
const FILLER = new RegExp(`(,\\s*)?${FILL}(?:\\s*(,|\\.{2,}|…))?`, "gi");

/** A filler opening a sentence ("… policy. Um, and I'll add…"): the next word opens it. */
const OPENING = new RegExp(`([.!?])\\s+${FILL},?\\s+(\\p{Ll})`, "giu");

/**
 * An utterance without its fillers and restarts: "I've, um, I've asked our legal" → "I've
 * asked our legal". Speech-to-text keeps them, and a tagger reads "Um" as a name.
 */
export function fluent(text: string): string {
  return text
    .replace(RESTART, "$1")
    .replace(OPENING, (_m, end: string, c: string) => `${end} ${c.toUpperCase()}`)
    .replace(FILLER, (_m, before?: string, after?: string) =>
      before && after === "," ? ", " : " ",
    )
    .replace(/\s+([,.!?])/g, "$1")
    .replace(/\s{2,}/g, " ")
    .replace(/^[\s,]+/, "")
    .trim()
    .replace(/^\p{Ll}/u, (c) => c.toUpperCase());
}

/** Whether `phrase` starts with a verb, judged by tagging it after "I will" (imperatives at a line start confuse taggers). */
export function startsWithVerb(phrase: string): boolean {
  const doc = engine().readDoc(`I will ${phrase}`);
  const pos = doc.tokens().out(engine().its.pos) as string[];
  if (pos[2] === "VERB" || (pos[2] === "AUX" && pos[3] !== "VERB" && pos[3] !== "AUX")) return true;
  // "I will complete DBS checks": after a modal, an "adjective" or "noun" taking an object is a verb.
  if ((pos[2] === "ADJ" || pos[2] === "NOUN") && /^(?:DET|NOUN|PROPN|NUM)$/.test(pos[3] ?? ""))
    return true;
  // "I will brief the team" / "I will chase them": a word right after "will" and before a
  // determiner or an object pronoun is a verb, whatever the tagger says.
  const words = phrase.split(/\s+/);
  const object = /^(?:them|him|it|me|us)$/i.test(words[1]?.replace(/[,.!?]+$/, "") ?? "");
  // ("forward them": "forward" is tagged an adverb; a real adverb before "them" is not a task).
  const adverb = pos[2] === "ADV" && !(object && !ADVERB.test(words[0] ?? ""));
  return !adverb && (pos[3] === "DET" || object) && !/ing$/i.test(words[0] ?? "");
}

/** Adverbs that may stand between "will" and a pronoun ("I will just…"). */
const ADVERB =
  /(?:ly|^just|^also|^still|^then|^now|^soon|^never|^always|^even|^only|^already|^again|^maybe|^quite|^rather|^once)$/i;

/** Lemma of each token of `text`, lower-cased. */
export function lemmas(text: string): string[] {
  return (
    engine()
      .readDoc(text)
      .tokens()
      .out(engine().its.lemma as never) as unknown as string[]
  ).map((l) => l.toLowerCase());
}

/** Leading discourse words that carry nothing ("Okay, so…", "Sure,"). */
const LEADING =
  /^(?:(?:okay|ok|so|right|well|yes|yeah|yep|sure|great|good|fine|perfect|thanks|alright|and|also|oh|um|uh|then|now|absolutely|of course|excellent|lovely|wonderful|cool|done)\b[,.!]?\s+)+/i;

/** A sentence without its leading discourse words. */
export function clean(text: string): string {
  let t = text.trim();
  for (let i = 0; i < 4; i++) {
    const next = t.replace(LEADING, "");
    if (next === t) break;
    t = next;
  }
  return t;
}
