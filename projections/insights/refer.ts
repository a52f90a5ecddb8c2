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
import {
  ATTACH,
  EMPTY_HEAD,
  join,
  type NounPhrase,
  nounPhrases,
  phraseAt,
  tokensOf,
} from "./nounPhrases";

/** Phrases that point at nothing ("no buses", "what discount", "every week"). */
const NO_REFERENT = /^(?:no|what|which|whose|every|each|either|neither|'s|’s)\b/i;
/** Words a tagger may call a name that never stand for a person ("Ha, fine."). */
const INTERJECTION = /^(?:ha|haha|oh|ah|hm|hmm|yeah|yep|hey|wow|okay|ok|well|right|sure|thanks)$/i;
/** Things whose names end like a person's ("-er", "-or"): "the number", "the printer". */
const NOT_PERSON =
  /^(?:number|paper|order|folder|printer|computer|letter|poster|register|border|corner|matter|water|container|filter|timer|server|chapter|cover|answer|power|tower|center|centre|counter|sticker|flyer|banner|calendar|trailer|meter|monitor|sensor|motor|error|floor|door|colour|color|tractor|elevator|factor|sector|mirror|charger|adapter|binder|voucher|header|footer|marker|layer|filler|freezer|heater|cooler|blender|mixer|scanner|router|laptop|format|content|document|event|agent|payment|equipment|statement|agreement|department|amount|account|element|segment|comment|shipment|treatment|investment|assessment|appointment|summer|winter|quarter|dinner|offer|newsletter|cluster|other|river|tier|list|plant|grant|restaurant)$/i;
const TEMPORAL_PREP = /^(?:on|by|at|in|until|before|after|from)$/i;

/** Verbs whose pronoun object is a person or an organisation ("call them"). */
const TO_AGENT =
  /^(?:call|email|e-mail|ask|tell|remind|ping|message|text|contact|chase|ring|phone|nudge|thank|invite|meet|brief|warn|update|pay|talk|speak|write)$/i;

/** Head nouns that name a person (by ending or by the word). */
const PERSON_HEAD =
  /(?:er|or|ist|ian|ant|ent|man|woman|person|lord|boss|lead|head|chair|rep|guy|contact|client|customer|friend|doctor|nurse|teacher|owner|partner|founder)$/i;
/** Heads that name someone who does something ("the engineer", "the landlord"). */
const ACTOR =
  /^(?:engineer|technician|electrician|plumber|manager|contractor|driver|director|teacher|doctor|nurse|landlord|landlady|owner|client|customer|designer|developer|lawyer|solicitor|accountant|auditor|inspector|officer|caterer|photographer|builder|painter|consultant|recruiter|reporter|member|partner|volunteer|chairman|chairwoman|pastor|vicar|courier|cleaner|carpenter|surveyor|architect|assistant|intern|tenant|buyer|seller|candidate|applicant|patient|guest|speaker|person|man|woman|guy|boss|friend|colleague|coach|trainer|tutor|student|mentor|advisor|adviser|investor|founder|agent|rep)$/i;
/** Heads that name an organisation ("the agency", "a database company"). */
const ORGANISATION =
  /^(?:company|firm|agency|council|bank|school|supplier|vendor|office|centre|center|team|department|club|charity|ministry|authority|broker|distributor|manufacturer|operator|provider|partner|client|customer|publisher|printer|studio|lab|hospital|clinic|practice|association|union|board|committee|station)$/i;
const personHead = (head: string) => PERSON_HEAD.test(head) && !NOT_PERSON.test(head);

/** A named person in a possessive: "Mrs. Patel's", "Jordan's". */
const POSSESSOR =
  /\b((?:(?:Mr|Mrs|Ms|Mx|Dr)\.?\s+)?\p{Lu}\p{Ll}+|(?:my|your|our|their|his|her|the)\s+\p{Ll}+)['’]s\s+(?!(?:a|an|the|not|going|been|got|gone|done|just|also|still|already|on|in|at|here|there|back|out|off|very|too|so|fine|ok|okay|right|good|great|coming|doing|being|always|never|really)\b)\p{Ll}/gu;
/** Capitalised words whose "'s" is "is" ("Let's", "That's"), never a possessor. */
const NOT_POSSESSOR =
  /^(?:let|it|that|there|he|she|what|who|here|where|how|this|everyone|everybody|nobody|someone|somebody|today|tomorrow|now)$/i;

/** A phrase as it reads inside a task: definite, no one's possessive. */
function definite(np: string): string {
  return np.replace(
    /^(?:a|an|some|any|my|your|our|their|his|her|the|that|this|those|these)\s+/i,
    "the ",
  );
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
  const wantPlural = /^(?:them|those|these|some)$/.test(p);
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
    if (best && best.cost <= (chained ?? distance) - TOPIC_BONUS) break;
    const nps = nounPhrases(sentence).filter(
      (n) =>
        (n.text !== n.core || !EMPTY_HEAD.test(n.head)) &&
        !taskWords.has(n.head) &&
        !taskWords.has(n.core.split(" ").pop()?.toLowerCase() ?? "") &&
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
    // "The east scaffold." / "And the church?": a sentence that only names a thing sets the topic.
    const topic =
      nps.length === 1 &&
      TOPIC.test(sentence.trim()) &&
      tokensOf(sentence).every((t) => t.pos !== "VERB" && t.pos !== "AUX")
        ? TOPIC_BONUS
        : 0;
    for (const [k, n] of nps.entries()) {
      // Within a sentence the later phrase is the closer one ("…, but procurement needs a form").
      let cost = distance + (nps.length - 1 - k) * 0.01 - topic;
      if (agent) {
        // A person or an organisation said anywhere ("I've got a lead at a database company").
        const who = !n.plural && (personHead(n.head) || ORGANISATION.test(n.head));
        if (!(n.subject || (n.prep && /^(?:to|with|from)$/.test(n.prep)) || n.proper || who))
          continue;
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
        // "draft it" drafts a document, not "the carrier" named last.
        if (WRITES.test(verb) && !DOCUMENT.test(n.head)) cost += 1.5;
        // ("pick some up" after "Can we get whistles?": "some" stands for a bare plural.)
        if (!/\s/.test(n.text) && p !== "some") cost += 2.5;
        // A subject is less often what "it" stands for than the thing acted on (a quantified one,
        // "A few of the thirteen-year-olds…", less so), unless asked about
        // or carried on by "It…" in the sentence after ("The probe is off. It read low.").
        if (n.subject && chained !== null && n.plural === wantPlural) cost = chained;
        else if (n.subject && !topic && !(/\?\s*$/.test(sentence) && nps.length === 1))
          cost += n.prep === "of" ? 0.5 : 1.1;
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
  // ("redo the schedule with that": after a preposition, only something just said.)
  if (best && /^(?:that|this)$/.test(p) && best.cost >= (direct ? 2.5 : 1)) return null;
  return best?.np ?? null;
}

/** Verbs whose object is a text. */
const WRITES =
  /^(?:draft|redraft|write|rewrite|proofread|edit|sign|circulate|type|translate|format|finali[sz]e|publish|send|email|forward|post|share)$/i;
/** Heads that name a text. */
const DOCUMENT =
  /^(?:procedure|plan|report|letter|e-?mail|note|memo|proposal|document|doc|draft|policy|summary|agenda|brief|briefing|statement|contract|agreement|form|application|post|blog|article|release|announcement|minutes|script|speech|copy|text|template|checklist|guide|handbook|manual|spec|specification|quote|invoice|estimate|budget|programme|program|newsletter|invitation|invite|poster|flyer|slide|deck|abstract|chapter|paper|thesis|review|response|reply|message|list|schedule|rota|timetable|menu|bio|profile|page|story|piece|caption|notice|leaflet|brochure|questionnaire|survey|request|complaint|advisory|changelog|faq|update|section|outline|pitch|offer|order|cv|resume|reference|certificate|petition|motion|bill|will|lease|waiver|consent|permit|licence|license|description|job|ad|advert|listing|catalogue|catalog|press)$/i;

/** Why: a topic named on its own stays what "it" means for a couple of sentences more. */
const TOPIC_BONUS = 1.5;
/** A sentence that is only a noun phrase, as a topic ("The quarry first.", "And the church?"). */
const TOPIC =
  /^(?:(?:and|so|now|then|next|okay|right),?\s+)?(?:the|our|your|that|this)\s+[\p{L}\d' -]{2,40}?(?:\s+(?:first|next|then|now))?[.?!]$/iu;

/** Why: an echo of the verb a few sentences back is the same act; further back, another one. */
const ECHO_SENTENCES = 4;

/** "X needs updating", "X has to be wiped": X is what the verb acts on. */
const UNDERGOES =
  /^(?:needs?|wants?|(?:has|have|needs?|ought) to be|(?:should|must|will|can|could) be|(?:is|are) being|(?:is|are) to be)$/i;

/** The object phrase of `verb` in `sentence` ("chased the blood results" for "chase"). */
function echoedObject(verb: string, sentence: string): string | null {
  const toks = tokensOf(sentence);
  const stem = verb.replace(/e$/, "");
  const inflected = new RegExp(`^${stem}(?:e|es|s|ed|d|ing)$`, "i");
  const anyForm = new RegExp(`^${stem}(?:e|es|s|ed|d|ing)?$`);
  // "the changing room policy needs updating": the phrase before the verb said of it.
  for (let i = 1; i < toks.length && !/ing$/i.test(verb); i++) {
    if (!inflected.test(toks[i]!.w)) continue;
    const before = toks.slice(Math.max(0, i - 3), i).map((t) => t.w);
    const aux = [3, 2, 1].map((n) => before.slice(-n).join(" ")).find((w) => UNDERGOES.test(w));
    if (!aux) continue;
    const subject = nounPhrases(join(toks.slice(0, i - aux.split(" ").length))).at(-1);
    if (subject && !/^(?:it|them|that|this)$/i.test(subject.text)) return definite(subject.text);
  }
  for (let i = 0; i < toks.length - 1; i++) {
    // By form, not tag: the tagger reads "Has anyone chased the…" as a noun.
    const w = toks[i]!.w.toLowerCase();
    if (toks[i]!.lemma !== verb && !anyForm.test(w)) continue;
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
  let out = expand ? oneAnaphora(expandDefinite(task, context), context, isPerson) : task;
  const m =
    /^((?:\S+\s+){0,3}?)(\S+?)(\s+(?:\w+\s+)?)(it|them|him|her|that|this|those|these|one|some)\b(?=\s*$|\s*[,.;:!?]|\s+(?:the|a|an|our|my|your|their|for|to|on|in|at|by|from|with|about|over|up|out|off|back|down|through|tomorrow|today|tonight|now|first|later|again|too|as|and|so|before|after|until|this|next|when|once|if|because|myself|yourself|here|there|across|around|against|into|onto|monday|tuesday|wednesday|thursday|friday|saturday|sunday|green|red|back|properly|asap)\b)/i.exec(
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
      // "get them the numbers": a pronoun before the thing given is who receives it.
      const receives = /^\s+(?:the|a|an|our|my|your|their)\b/i.test(out.slice(m[0].length));
      const pronoun = m[4]!;
      const np = receives
        ? antecedent(pronoun, "tell", context, isPerson, true, words)
        : antecedent(pronoun, verb, context, isPerson, particle === "", words);
      // "do it" is never "do Northvet": a name is no task.
      if (np && !(verb === "do" && /^\p{Lu}/u.test(np)))
        out = `${before}${np}${out.slice(m[0].length)}`;
    }
  }
  return recipientResolved(out, m ? m.index + m[0].length : 0, context, isPerson);
}

/** "courier the letter to him": who "him"/"her" after "to/with/for" is, once the thing is said. */
function recipientResolved(
  task: string,
  from: number,
  context: readonly string[],
  isPerson: (word: string) => boolean,
): string {
  const rest = task.slice(from);
  const m = /\b(to|with|for)\s+(him|her)\b(?!\s+(?:to|about)\b)/i.exec(rest);
  if (!m || /\b(?:it|them|that|this)\b/i.test(task.slice(0, from + m.index))) return task;
  const np = antecedent(m[2]!, "tell", context, isPerson, true);
  if (!np) return task;
  const at = from + m.index + m[1]!.length + 1;
  return `${task.slice(0, at)}${np}${task.slice(at + m[2]!.length)}`;
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
    // Unless the task already says it ("the contract for the owner" is not expanded twice).
    const fuller = longer ? `the ${definite(longer.text).replace(/^the\s+/i, "")}` : null;
    if (fuller && !out.toLowerCase().includes(fuller.toLowerCase().replace(/^the\s/, "")))
      out = out.replace(np.text, fuller);
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

/** "the one from last year", "an old one", "a new one" (not "one of them"). */
const ONE = /\b(the|an?|that|this|another)\s+((?:[\p{Ll}-]+\s+)?)one\b(?![\w-]|\s+of\b)/iu;

/**
 * "adapt the one from last year's event" after "we need a code of conduct" → "adapt the code of
 * conduct from last year's event": "one" stands for the head of the closest singular thing said.
 */
function oneAnaphora(
  task: string,
  context: readonly string[],
  isPerson: (w: string) => boolean,
): string {
  const m = ONE.exec(task);
  if (!m) return task;
  for (const sentence of context.slice(0, ECHO_SENTENCES)) {
    const nps = nounPhrases(sentence).filter(
      (n) =>
        !n.plural &&
        n.head !== "one" &&
        !EMPTY_HEAD.test(n.head) &&
        !NO_REFERENT.test(n.text) &&
        !(n.proper && isPerson(n.text.split(" ").pop() ?? "")),
    );
    // The thing acted on ("we need a code of conduct"), not a time or place said with it.
    const n = nps.find((x) => x.prep === null && !x.subject) ?? nps.find((x) => x.prep === null);
    if (!n) continue;
    const named = (n.text !== n.core && /\sof\s/.test(n.text) ? n.text : n.core).replace(
      /^(?:a|an|the|some|any|my|your|our|their|his|her|its|this|that)\s+/i,
      "",
    );
    // "an old one" keeps its adjective only when the antecedent has none of its own words.
    const det = /^an?$/i.test(m[1]!) ? (/^[aeiou]/i.test(m[2] || named) ? "an" : "a") : m[1]!;
    return task.replace(m[0], `${det} ${m[2]}${named}`);
  }
  return task;
}
