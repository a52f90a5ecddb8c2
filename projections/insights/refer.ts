/**
 * What a task's pronouns and short phrases refer to, from the sentences said
 * before it: "I'll reserve it for you" after "I'll need a Pixel with Android
 * 15" reserves the Pixel; "Tom, can you take the crash?" after "the login
 * crash on Android 15 is still open" names that crash; "I'll check with
 * them" answering "Will the trainer cover the reminder texts?" checks whether
 * the trainer will. Rules over wink-nlp parts of speech (noun phrases as runs
 * of determiner, adjectives, numbers and nouns, with one attached "of/for/
 * with/on/by…" phrase), preferring the closest phrase that agrees in number;
 * hand-written because wink-nlp has no parser or coreference and the model
 * must stay local and deterministic.
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

const ATTACH = new Set(["of", "for", "with", "on", "by", "per", "about", "from"]);
/** Heads that name no thing a task could be about. */
const EMPTY_HEAD =
  /^(?:thing|stuff|idea|question|lot|point|way|problem|bit|sense|one|everyone|everybody|anyone|anybody|someone|somebody|nobody|people|mine|yours|right|time|minute|hour|day|week|weekend|month|year|quarter|morning|afternoon|evening|night|today|tomorrow|tonight|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|end|start|beginning|percent|fine|deal|favour|favor|call|meeting|chat|kind|sort|type)$/i;
/** Phrases that point at nothing ("no buses", "what discount", "every week"). */
const NO_REFERENT = /^(?:no|what|which|whose|every|each|either|neither|'s|’s)\b/i;
/** Words a tagger may call a name that never stand for a person ("Ha, fine."). */
const INTERJECTION = /^(?:ha|haha|oh|ah|hm|hmm|yeah|yep|hey|wow|okay|ok|well|right|sure|thanks)$/i;
/** Things whose names end like a person's ("-er", "-or"): "the number", "the printer". */
const NOT_PERSON =
  /^(?:number|paper|order|folder|printer|computer|letter|poster|register|border|corner|matter|water|container|filter|timer|server|chapter|cover|answer|power|tower|center|centre|counter|sticker|flyer|banner|calendar|trailer|meter|monitor|sensor|motor|error|floor|door|colour|color|tractor|elevator|factor|sector|mirror|charger|adapter|binder|voucher|header|footer|marker|layer|filler|freezer|heater|cooler|blender|mixer|scanner|router|laptop|format|content|document|event|agent|payment|equipment|statement|agreement|department|amount|account|element|segment|comment|shipment|treatment|investment|assessment|appointment|summer|winter|quarter|dinner|offer|newsletter|cluster|other|river|tier|list|plant|grant|restaurant)$/i;
const TEMPORAL_PREP = /^(?:on|by|at|in|until|before|after|from)$/i;
const POSSESSIVE = /^(?:my|your|our|their|his|her|its)$/i;

type Tok = { w: string; pos: string; lemma: string };

function tokensOf(text: string): Tok[] {
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
    toks.splice(i - 1, 3, { w: word, pos: nominal ? "ADJ" : "NOUN", lemma: word.toLowerCase() });
    i--;
  }
  return toks;
}

const isNominal = (t: Tok) => t.pos === "NOUN" || t.pos === "PROPN";
const isModifier = (t: Tok) =>
  t.pos === "ADJ" || t.pos === "NUM" || isNominal(t) || (t.pos === "PART" && /^'s$/i.test(t.w));

/** The run of a noun phrase starting at `i` (end exclusive), or null. */
function phraseAt(toks: readonly Tok[], i: number): number | null {
  let j = i;
  const t = toks[i];
  if (!t) return null;
  if (t.pos === "DET" || (t.pos === "PRON" && POSSESSIVE.test(t.w))) j++;
  let lastNoun = -1;
  while (j < toks.length && isModifier(toks[j]!)) {
    // A number after a name belongs to it ("Android 15"), not to what follows.
    const num = toks[j]!.pos === "NUM" && !/^one$/i.test(toks[j]!.w);
    if (isNominal(toks[j]!) || (num && lastNoun === j - 1 && lastNoun >= 0)) lastNoun = j;
    j++;
  }
  return lastNoun >= 0 ? lastNoun + 1 : null;
}

function join(toks: readonly Tok[]): string {
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

/** Verbs whose pronoun object is a person or an organisation ("call them"). */
const TO_AGENT =
  /^(?:call|email|e-mail|ask|tell|remind|ping|message|text|contact|chase|ring|phone|nudge|thank|invite|meet|brief|warn|update|pay|talk|speak|write)$/i;

/** Head nouns that name a person (by ending or by the word). */
const PERSON_HEAD =
  /(?:er|or|ist|ian|ant|ent|man|woman|person|lord|boss|lead|head|chair|rep|guy|contact|client|customer|friend|doctor|nurse|teacher|owner|partner|founder)$/i;
/** Heads that name someone who does something ("the engineer", "the landlord"). */
const ACTOR =
  /^(?:engineer|technician|electrician|plumber|manager|contractor|driver|director|teacher|doctor|nurse|landlord|landlady|owner|client|customer|designer|developer|lawyer|solicitor|accountant|auditor|inspector|officer|caterer|photographer|builder|painter|consultant|recruiter|reporter|member|partner|volunteer|chairman|chairwoman|pastor|vicar|courier|cleaner|carpenter|surveyor|architect|assistant|intern|tenant|buyer|seller|candidate|applicant|patient|guest|speaker|person|man|woman|guy|boss|friend|colleague|coach|trainer|tutor|student|mentor|advisor|adviser|investor|founder|agent|rep)$/i;
const personHead = (head: string) => PERSON_HEAD.test(head) && !NOT_PERSON.test(head);

/** A named person in a possessive: "Mrs. Patel's", "Jordan's". */
const POSSESSOR =
  /\b((?:(?:Mr|Mrs|Ms|Mx|Dr)\.?\s+)?\p{Lu}\p{Ll}+|(?:my|your|our|their|his|her|the)\s+\p{Ll}+)['’]s\s+(?!(?:a|an|the|not|going|been|got|gone|done|just|also|still|already|on|in|at|here|there|back|out|off|very|too|so|fine|ok|okay|right|good|great|coming|doing|being|always|never|really)\b)\p{Ll}/gu;
/** Capitalised words whose "'s" is "is" ("Let's", "That's"), never a possessor. */
const NOT_POSSESSOR =
  /^(?:let|it|that|there|he|she|what|who|here|where|how|this|everyone|everybody|nobody|someone|somebody|today|tomorrow|now)$/i;

/** A phrase as it reads inside a task: definite, no one's possessive. */
function definite(np: string): string {
  return np.replace(/^(?:a|an|some|any|my|your|our|their|his|her|the)\s+/i, "the ");
}

/**
 * The phrase a pronoun stands for, searching `context` (closest first):
 * a thing for "it"/"that" (singular first), things for "them"/"those", a
 * person or organisation after a verb like "call", "email", "ask".
 */
export function antecedent(
  pronoun: string,
  verb: string,
  context: readonly string[],
  isPerson: (word: string) => boolean,
  /** Whether the pronoun is the verb's object ("call them"), not a preposition's ("ask for them"). */
  direct = true,
  /** Words of the task itself: "add the domain to it" never means "to the domain". */
  taskWords: ReadonlySet<string> = new Set(),
): string | null {
  const p = pronoun.toLowerCase();
  const agent = /^(?:him|her)$/.test(p) || (direct && TO_AGENT.test(verb) && p === "them");
  const wantPlural = /^(?:them|those|these)$/.test(p);
  // Closest first; a bare word ("plumbing") or a phrase of the other number costs more.
  // "Has anyone chased the blood results?" — "I'll chase them": the same verb's object, said lately.
  for (const sentence of context.slice(0, ECHO_SENTENCES)) {
    const echo = echoedObject(verb, sentence);
    if (echo && /s$/i.test(echo) === wantPlural) return echo;
  }
  let best: { np: string; cost: number } | null = null;
  /** Set after a sentence opened by "It…"/"They…": the sentence before names the same thing. */
  let chained: number | null = null;
  for (const [distance, sentence] of context.entries()) {
    if (best && best.cost <= (chained ?? distance)) break;
    const nps = nounPhrases(sentence).filter(
      (n) =>
        (n.text !== n.core || !EMPTY_HEAD.test(n.head)) &&
        !taskWords.has(n.head) &&
        !NO_REFERENT.test(n.text) &&
        !(n.proper && isPerson(n.text.split(" ").pop() ?? "")) &&
        !(n.prep && TEMPORAL_PREP.test(n.prep) && !agent && !n.subject),
    );
    // "Mrs. Patel's dog is booked…" — "I'll call her": a person named in a possessive.
    if (/^(?:him|her)$/.test(p))
      for (const m of sentence.matchAll(POSSESSOR)) {
        const name = m[1]!;
        const last = name.split(" ").pop() ?? "";
        // A lower-case possessor is a person only when the word says so ("my director's").
        const lower = /^\p{Ll}/u.test(last);
        if (NOT_POSSESSOR.test(name) || isPerson(last) || (lower && !PERSON_HEAD.test(last)))
          continue;
        if (!best || distance < best.cost)
          best = { np: lower ? definite(name) : name, cost: distance };
      }
    for (const [k, n] of nps.entries()) {
      // Within a sentence the later phrase is the closer one ("…, but procurement needs a form").
      let cost = distance + (nps.length - 1 - k) * 0.01;
      if (agent) {
        if (!(n.subject || (n.prep && /^(?:to|with|from)$/.test(n.prep)) || n.proper)) continue;
        // "him"/"her" is a person: a name or a word for one ("the electrician", "the landlord").
        if (/^(?:him|her)$/.test(p) && !(n.proper || (!n.plural && personHead(n.head)))) continue;
        // "the PR", "Ha": a name with an article or an interjection is no person.
        if (
          /^(?:him|her)$/.test(p) &&
          n.proper &&
          (/^the\s/i.test(n.text) || INTERJECTION.test(n.text))
        )
          continue;
      } else {
        // "do that" after "the engineer is booked": a thing acted on is not a person.
        if (!n.plural && ACTOR.test(n.head) && !n.proper) continue;
        if (n.prep && !ATTACH.has(n.prep)) continue;
        if (n.plural !== wantPlural) cost += 2;
        if (!/\s/.test(n.text)) cost += 2.5;
        // A subject is less often what "it" stands for than the thing acted on, unless asked about
        // or carried on by "It…" in the sentence after ("The probe is off. It read low.").
        if (n.subject && chained !== null && n.plural === wantPlural) cost = chained;
        else if (n.subject && !(/\?\s*$/.test(sentence) && nps.length === 1)) cost += 1.1;
      }
      if (!best || cost < best.cost) best = { np: definite(agent ? n.core : n.text), cost };
    }
    chained =
      /^(?:and\s+|but\s+|so\s+)?(?:it|they)\b(?!'s\s+(?:fine|ok|okay|good|great|done))/i.test(
        sentence,
      )
        ? distance
        : null;
  }
  // "that"/"this" often stand for what was said, not a thing: no guess when nothing fits well.
  if (best && /^(?:that|this)$/.test(p) && best.cost >= 2.5) return null;
  return best?.np ?? null;
}

/** Why: an echo of the verb a few sentences back is the same act; further back, another one. */
const ECHO_SENTENCES = 4;

/** The object phrase of `verb` in `sentence` ("chased the blood results" for "chase"). */
function echoedObject(verb: string, sentence: string): string | null {
  const toks = tokensOf(sentence);
  for (let i = 0; i < toks.length - 1; i++) {
    // By form, not tag: the tagger reads "Has anyone chased the…" as a noun.
    const w = toks[i]!.w.toLowerCase();
    const stem = verb.replace(/e$/, "");
    if (toks[i]!.lemma !== verb && !new RegExp(`^${stem}(?:e|es|s|ed|d|ing)?$`).test(w)) continue;
    const end = phraseAt(toks, i + 1);
    if (end === null) continue;
    const np = join(toks.slice(i + 1, end));
    if (NO_REFERENT.test(np) || /^(?:it|them|that|this)$/i.test(np)) continue;
    return definite(np);
  }
  return null;
}

/**
 * A task with its first object pronoun replaced by what it names, and a
 * short definite phrase ("the crash") by the fuller one said before ("the
 * login crash on Android 15"). Returns the task unchanged when nothing fits.
 */
export function resolveTask(
  task: string,
  context: readonly string[],
  isPerson: (word: string) => boolean,
  /** Whether "the crash" may become a fuller phrase said before (decisions keep their own words). */
  expand = true,
): string {
  let out = expand ? expandDefinite(task, context) : task;
  const m =
    /^((?:\S+\s+){0,3}?)(\S+?)(\s+(?:\w+\s+)?)(it|them|him|her|that|this|those|these|one)\b(?=\s*$|\s*[,.;:!?]|\s+(?:for|to|on|in|at|by|from|with|about|over|up|out|off|back|down|through|tomorrow|today|tonight|now|first|later|again|too|as|and|so|before|after|until|this|next|when|once|if|because|myself|yourself|here|there|across|around|against|into|onto)\b)/i.exec(
      out,
    );
  // "get IT to reroute them": the department, not the pronoun.
  if (m && m[4] !== "IT") {
    const before = `${m[1]}${m[2]}${m[3]}`;
    const verb = (m[1]!.split(/\s+/)[0] || m[2]!).toLowerCase();
    const particle = m[3]!.trim().toLowerCase();
    // "it" right after the verb, or after a particle or preposition ("look at it", "pick it up").
    // "I can do that": "do that" takes a task, not a thing said before ("do the carrier").
    const doesTask = verb === "do" && particle === "" && /^(?:that|this)$/i.test(m[4]!);
    if (
      !doesTask &&
      (particle === "" || /^(?:at|on|to|with|about|into|for|up|over|out|through)$/.test(particle))
    ) {
      const words = new Set(before.toLowerCase().match(/[\p{L}\d'-]+/gu) ?? []);
      const np = antecedent(m[4]!, verb, context, isPerson, particle === "", words);
      // "do it" is never "do Northvet": a name is no task.
      if (np && !(verb === "do" && /^\p{Lu}/u.test(np)))
        out = `${before}${np}${out.slice(m[0].length)}`;
    }
  }
  return out;
}

/** "the crash" → "the login crash on Android 15" when that was said (closest first). */
export function expandDefinite(task: string, context: readonly string[]): string {
  let out = task;
  for (const np of nounPhrases(task)) {
    if (!/^the\s/i.test(np.text)) continue;
    const words = np.text.toLowerCase().split(/\s+/).slice(1);
    // The fullest phrase said for it in the last few sentences.
    let longer: NounPhrase | undefined;
    for (const sentence of context.slice(0, EXPAND_SENTENCES)) {
      for (const c of nounPhrases(sentence)) {
        const cw = c.text.toLowerCase().split(/\s+/);
        const fits =
          cw.length > words.length + 1 &&
          (c.head === np.head
            ? words.every((w) => cw.includes(w))
            : cw.join(" ").includes(words.join(" ")));
        if (fits && (!longer || c.text.length > longer.text.length)) longer = c;
      }
    }
    if (longer) out = out.replace(np.text, definite(longer.text));
  }
  return out;
}

/** Why: beyond about a minute of talk, a same-headed phrase is as likely another thing. */
const EXPAND_SENTENCES = 8;

const YES_NO = /^(will|would|can|could|does|do|did|is|are|was|were|has|have|should)\s+(.+?)\??$/i;

/** A yes/no question as a "whether" clause: "Will the trainer cover X?" → "whether the trainer will cover X". */
export function whetherOf(question: string): string | null {
  // "One question: do you have…?" — the lead-in is not part of it.
  const q = YES_NO.exec(question.trim().replace(/^[^:?]{1,30}:\s+/, ""));
  if (!q) return null;
  const aux = q[1]!.toLowerCase();
  const rest = q[2]!;
  const toks = tokensOf(rest);
  let subjectEnd = 0;
  if (toks[0]?.pos === "PRON") subjectEnd = 1;
  else subjectEnd = phraseAt(toks, 0) ?? 0;
  if (subjectEnd === 0) return null;
  const said = join(toks.slice(0, subjectEnd));
  // "Do you have capacity…?" answered "Let me check": whether we (the answerer's side) have it.
  const subject = /^you$/i.test(said) ? "we" : said;
  const tail = join(toks.slice(subjectEnd)).replace(/\s*\?$/, "");
  if (/^(?:we|i)$/i.test(said)) return null;
  if (aux === "does") {
    // "Does the van have…" → "whether the van has…".
    const [verb = "", ...more] = tail.split(" ");
    const third =
      verb === "have" ? "has" : /(?:s|sh|ch|x|o)$/.test(verb) ? `${verb}es` : `${verb}s`;
    return `whether ${subject} ${[third, ...more].join(" ")}`;
  }
  return aux === "do" ? `whether ${subject} ${tail}` : `whether ${subject} ${aux} ${tail}`;
}
