/** The local hashed-lemma provider: deterministic, unit length, fixed size, and meaningful. */
import { describe, expect, test } from "vitest";
import { profileText } from "../profileText";
import { featuresOf, hashedEmbedding, localHashedProvider } from "./localHashed";
import { cosine, EMBEDDING_DIMENSIONS } from "./provider";

const ml = profileText({
  headline: "Machine learning engineer",
  interests: ["Machine Learning", "Climate"],
  skills: ["Python", "PyTorch"],
  bio: "I build models that forecast energy demand.",
});
const ml2 = profileText({
  headline: "Data scientist in machine learning",
  interests: ["Machine learning", "Energy"],
  skills: ["Python", "Statistics"],
  bio: "Building forecasting models for renewable energy.",
});
const chef = profileText({
  headline: "Pastry chef",
  interests: ["Baking", "Travel"],
  skills: ["Chocolate", "Plating"],
  bio: "I run a small bakery and teach weekend classes.",
});

describe("local-hash@v1", () => {
  test("fixed dimensions, unit length, deterministic", async () => {
    const [a, b] = await localHashedProvider.embed([ml, ml]);
    expect(a).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(a).toEqual(b);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 9);
    expect(localHashedProvider.modelKey).toBe("local-hash@v1");
  });

  test("related profiles are closer than unrelated ones", () => {
    const [a, b, c] = [ml, ml2, chef].map((t) => hashedEmbedding(t));
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!) + 0.15);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(b!, c!) + 0.15);
  });

  test("lemmas unify word forms; list items are whole phrases; stop words drop", () => {
    const f = featuresOf("Interests: Machine Learning\nBio: the engineers were building systems");
    expect(f.has("p:machine-learning")).toBe(true);
    expect(f.has("w:engineer")).toBe(true);
    expect(f.has("w:system")).toBe(true);
    expect(f.has("w:the")).toBe(false);
  });

  test("an empty or punctuation-only profile still has a non-zero vector", () => {
    for (const text of ["", "!!! ...", "the a an"]) {
      const v = hashedEmbedding(text);
      expect(v.some((x) => x !== 0)).toBe(true);
      expect(v.every(Number.isFinite)).toBe(true);
    }
  });
});
