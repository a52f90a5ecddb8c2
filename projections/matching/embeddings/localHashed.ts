/**
 * The default embeddings provider: local and deterministic, no network.
 * Named `local-hash@v1` — a hashed bag of lemmas, not a neural model.
 *
 * The profile text (`profileText.ts`: "Field: value" lines) is read with
 * `wink-nlp` and its English model: each line's words become lemmas (stop
 * words and punctuation dropped), plus lemma bigrams, plus each list item as
 * one whole phrase (so "machine learning" as an interest is one feature, not
 * two loose words). Features are hashed (FNV-1a) into 256 signed buckets
 * (the sign from a second hash, so collisions cancel instead of piling up),
 * weighted by field (interests and skills count most) with sublinear term
 * frequency (ln(1 + tf)), and the vector is scaled to unit length. An empty
 * profile gets one fixed feature, so its vector is never zero.
 */
import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";
import { canonicalKey } from "../catalogue";
import { fnv1a32 } from "../profileText";
import { EMBEDDING_DIMENSIONS, type EmbeddingProvider, normalizeVector } from "./provider";

/** The model key of this provider; bump the version when the features change. */
export const LOCAL_MODEL_KEY = "local-hash@v1";

/** Why these weights: what people match on (interests, skills) outweighs prose (bio). */
const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  interests: 2,
  skills: 1.5,
  "wants to learn": 1.5,
  role: 1.2,
  industry: 1.2,
  "job title": 1,
  headline: 1,
  goals: 1,
  experience: 0.5,
  company: 0.5,
  bio: 0.7,
};
/** Fields whose value is a comma-separated list of items. */
const LIST_FIELDS = new Set(["interests", "skills", "wants to learn", "goals"]);
/** Why a second seed: the sign hash must be independent of the bucket hash. */
const SIGN_SEED = 0x2545f491;

let nlp: ReturnType<typeof winkNLP> | null = null;
function engine(): ReturnType<typeof winkNLP> {
  // Loading the model takes ~0.25 s: once per runtime, on first use.
  nlp ??= winkNLP(model);
  return nlp;
}

function lemmasOf(text: string): string[] {
  const n = engine();
  const doc = n.readDoc(text);
  const out: string[] = [];
  const tokens = doc.tokens();
  const types = tokens.out(n.its.type) as unknown as string[];
  const stop = tokens.out(n.its.stopWordFlag) as unknown as boolean[];
  // wink-nlp's typings do not accept its.lemma in out(); at run time it answers one lemma per token.
  const lemmas = tokens.out(n.its.lemma as unknown as typeof n.its.normal) as unknown as string[];
  for (const [i, raw] of lemmas.entries()) {
    if (types[i] !== "word" || stop[i]) continue;
    const lemma = raw.toLowerCase();
    if (lemma.length > 1) out.push(lemma);
  }
  return out;
}

/** The weighted features of a profile text (feature → weight before hashing). */
export function featuresOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) =>
    counts.set(feature, (counts.get(feature) ?? 0) + weight);
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z ]+):\s*(.*)$/.exec(line);
    const field = m ? m[1]!.toLowerCase() : "bio";
    const value = m ? m[2]! : line;
    const weight = FIELD_WEIGHTS[field] ?? 1;
    const lemmas = lemmasOf(value);
    for (const l of lemmas) add(`w:${l}`, weight);
    for (let i = 1; i < lemmas.length; i++) add(`b:${lemmas[i - 1]}_${lemmas[i]}`, weight * 0.5);
    if (LIST_FIELDS.has(field)) {
      for (const item of value.split(",")) {
        const key = canonicalKey(item);
        if (key) add(`p:${key}`, weight);
      }
    }
  }
  return counts;
}

/** Embed one text (synchronous core of the provider). */
export function hashedEmbedding(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const v: number[] = new Array<number>(dimensions).fill(0);
  const features = featuresOf(text);
  if (features.size === 0) features.set("empty-profile", 1);
  for (const [feature, tf] of features) {
    const bucket = fnv1a32(feature) % dimensions;
    const sign = fnv1a32(feature, SIGN_SEED) & 1 ? 1 : -1;
    v[bucket]! += sign * Math.log1p(tf);
  }
  const unit: number[] = normalizeVector(v);
  // All features may cancel out in one bucket set; keep the vector non-zero.
  if (!unit.some((x) => x !== 0)) unit[fnv1a32("empty-profile") % dimensions] = 1;
  return unit;
}

/** The local provider (see the module comment). */
export const localHashedProvider: EmbeddingProvider = {
  modelKey: LOCAL_MODEL_KEY,
  dimensions: EMBEDDING_DIMENSIONS,
  async embed(texts) {
    return texts.map((t) => hashedEmbedding(t));
  },
};
