/**
 * Noun phrases of a sentence by rules over wink-nlp parts of speech: runs of determiner,
 * adjectives, numbers and nouns, with one attached "of/for/with/on/by…" phrase, the tagger's
 * slips after a determiner mended. Hand-written because wink-nlp has no chunker or parser and
 * the model must stay local and deterministic. What pronouns refer to is `refer.ts`.
 */
import { engine } from "./sentences";

/** A noun phrase of a sentence. */
export type NounPhrase = {
  text: string;
  /** Without its attached phrase ("the fish supplier" of "the fish supplier about the turbot"). */
  core: string;
  /** Lower-cased lemma of its head noun. */
  head: string;
  plural: boolean;
  /** The preposition right before it, lower-cased, or null. */
  prep: string | null;
  /** Whether it opens its sentence (the subject, before any verb). */
  subject: boolean;
  proper: boolean;
};

export const ATTACH = new Set(["of", "for", "with", "on", "by", "per", "about", "from"]);
/** Heads that name no thing a task could be about. */
export const EMPTY_HEAD =
  /^(?:thing|stuff|idea|question|lot|point|way|problem|bit|sense|one|everyone|everybody|anyone|anybody|someone|somebody|nobody|people|mine|yours|right|time|minute|hour|day|week|weekend|month|year|quarter|morning|afternoon|evening|night|today|tomorrow|tonight|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|noon|midday|midnight|lunchtime|eod|end|start|beginning|percent|fine|deal|favour|favor|call|meeting|chat|kind|sort|type)s?$/i;
export const POSSESSIVE = /^(?:my|your|our|their|his|her|its)$/i;

export type Tok = { w: string; pos: string; lemma: string };

export function tokensOf(text: string): Tok[] {
  const nlp = engine();
  const d = nlp.readDoc(text);
  const w = d.tokens().out() as string[];
  const pos = d.tokens().out(nlp.its.pos) as string[];
  const lemma = d.tokens().out(nlp.its.lemma as never) as unknown as string[];
  const toks = w.map((x, i) => ({ w: x, pos: pos[i]!, lemma: (lemma[i] ?? x).toLowerCase() }));
  // "sign-up sheet", "one-pager": the tokenizer splits some hyphenated words; joined again.
  for (let i = toks.length - 2; i > 0; i--) {
    const [a, h, b] = [toks[i - 1]!, toks[i]!, toks[i + 1]!];
    if (h.w !== "-" || !text.includes(`${a.w}-${b.w}`)) continue;
    const nominal = toks[i + 2] && (toks[i + 2]!.pos === "NOUN" || toks[i + 2]!.pos === "PROPN");
    const word = `${a.w}-${b.w}`;
    // The last part's lemma keeps a plural a plural ("thirteen-year-olds").
    const lemma = `${a.w}-${b.lemma}`.toLowerCase();
    toks.splice(i - 1, 3, { w: word, pos: nominal ? "ADJ" : "NOUN", lemma });
    i--;
  }
  // "The manifest has to be…", "needs a proofread.": the tagger's adjective or verb after a
  // determiner with no noun before the next verb is the phrase's noun.
  for (let i = 0; i < toks.length - 1; i++) {
    const t = toks[i]!;
    if (t.pos !== "DET" && !(t.pos === "PRON" && POSSESSIVE.test(t.w))) continue;
    let j = i + 1;
    // ("The north gate.": the tagger's "north" adverb and "gate" verb.)
    const modifier = (x: Tok | undefined) => x?.pos === "ADJ" || x?.pos === "ADV";
    while (modifier(toks[j]) && /^(?:ADJ|ADV|VERB)$/.test(toks[j + 1]?.pos ?? "")) j++;
    const last = toks[j]!;
    const after = toks[j + 1];
    const open = !after || /^(?:AUX|VERB|ADP|PUNCT|CCONJ|SCONJ)$/.test(after.pos);
    const ends = !after || after.pos === "PUNCT";
    const fits = last.pos === "ADJ" || (last.pos === "VERB" && (j === i + 1 || ends));
    if (!fits || !open || NOT_NOUN.test(last.w)) continue;
    for (let k = i + 1; k < j; k++)
      if (toks[k]!.pos === "ADV") toks[k] = { ...toks[k]!, pos: "ADJ" };
    toks[j] = { ...last, pos: "NOUN" };
  }
  return toks;
}

/** Adjectives that stand alone after "the" without being a thing ("the same", "the latest"). */
const NOT_NOUN =
  /^(?:same|other|first|last|next|whole|rest|best|worst|latest|former|latter|new|old|only|main|usual|right|wrong|real|full|final|early|late|little|most|least|more|less|few|many|much|own|such|very|better|bigger|easiest|hardest)$/i;

const isNominal = (t: Tok) => t.pos === "NOUN" || t.pos === "PROPN";
const isModifier = (t: Tok) =>
  t.pos === "ADJ" || t.pos === "NUM" || isNominal(t) || (t.pos === "PART" && /^'s$/i.test(t.w));

/** Number words, hyphenated ones too ("forty-eight"). */
const NUMBER_WORD =
  /^(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)(?:-\w+)?$/i;

/** The run of a noun phrase starting at `i` (end exclusive), or null. */
export function phraseAt(toks: readonly Tok[], i: number): number | null {
  let j = i;
  const t = toks[i];
  if (!t) return null;
  if (t.pos === "DET" || (t.pos === "PRON" && POSSESSIVE.test(t.w))) j++;
  let lastNoun = -1;
  while (j < toks.length && isModifier(toks[j]!)) {
    // A number after a name belongs to it ("Android 15"), not to what follows.
    const num = toks[j]!.pos === "NUM" && !/^one$/i.test(toks[j]!.w);
    // "the driver list forty-eight hours before": a count after a common noun starts a quantity.
    const count = num || NUMBER_WORD.test(toks[j]!.w);
    if (
      count &&
      lastNoun >= 0 &&
      lastNoun === j - 1 &&
      toks[j - 1]!.pos === "NOUN" &&
      isNominal(toks[j + 1] ?? t)
    )
      break;
    if (isNominal(toks[j]!) || (num && lastNoun === j - 1 && lastNoun >= 0)) lastNoun = j;
    j++;
  }
  return lastNoun >= 0 ? lastNoun + 1 : null;
}

export function join(toks: readonly Tok[]): string {
  return toks
    .map((t) => t.w)
    .join(" ")
    .replace(/\s+('s|’s|,)/g, "$1");
}

/** The noun phrases of `text`, in order. */
export function nounPhrases(text: string): NounPhrase[] {
  const toks = tokensOf(text);
  const out: NounPhrase[] = [];
  let sawVerb = false;
  for (let i = 0; i < toks.length; ) {
    const t = toks[i]!;
    // The subject comes before the verb and is not "there's…" / "it's…" (an auxiliary may lead: "Did the team…").
    if (t.pos === "VERB" || (t.pos === "PRON" && !POSSESSIVE.test(t.w))) sawVerb = true;
    const before = toks[i - 1];
    // "Let's offer one week's credit": a bare noun right after "us"/"we" is a mis-tagged verb.
    const misTagged =
      t.pos === "NOUN" && before?.pos === "PRON" && !POSSESSIVE.test(before.w) && i > 0;
    const end = misTagged ? null : phraseAt(toks, i);
    if (end === null) {
      i++;
      continue;
    }
    let stop = end;
    let headTok = toks[end - 1]!;
    if (headTok.pos === "NUM" && end - 2 >= i) headTok = toks[end - 2]!;
    // One attached phrase: "a leak by plot twelve", "the tasting menu on weekends".
    const next = toks[end];
    if (next && next.pos === "ADP" && ATTACH.has(next.lemma)) {
      const more = phraseAt(toks, end + 1);
      const moreHead = more ? toks[more - 1]! : null;
      if (more && moreHead && !EMPTY_HEAD.test(moreHead.lemma)) stop = more;
    }
    const prev = toks[i - 1];
    out.push({
      text: join(toks.slice(i, stop)),
      core: join(toks.slice(i, end)),
      head: headTok.lemma,
      plural:
        headTok.pos === "NOUN" &&
        /s$/i.test(headTok.w) &&
        headTok.lemma !== headTok.w.toLowerCase(),
      prep: prev && prev.pos === "ADP" ? prev.lemma : null,
      subject: !sawVerb && out.every((o) => !o.subject),
      proper: headTok.pos === "PROPN",
    });
    i = stop;
  }
  return out;
}

/** Whether `text` names a thing (a phrase of two words or more that is not a time or "stuff"). */
export function namesAThing(text: string): boolean {
  return nounPhrases(text).some(
    (n) => /\s/.test(n.text) && (n.text !== n.core || !EMPTY_HEAD.test(n.head)),
  );
}
