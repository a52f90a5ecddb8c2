/**
 * A synthetic matching queue for the benchmarks: N waiting people with
 * seeded-random profiles (roles, organisations, interests, skills,
 * languages), constraints (most open, some by role, interest, language or
 * organisation), availability windows over the next 8 hours, and their
 * local-hash@v1 vectors — written straight into the in-process backend
 * (setup is not what is measured). Deterministic for a seed.
 */

import type { Id } from "../../convex/_generated/dataModel";
import { poolKeys } from "../../convex/embeddings/pool";
import { entryOf, shardOf } from "../../convex/matching/entries";
import { ROLES, type Role } from "../../projections/matching/catalogue";
import {
  hashedEmbedding,
  LOCAL_MODEL_KEY,
} from "../../projections/matching/embeddings/localHashed";
import { EMBEDDING_DIMENSIONS } from "../../projections/matching/embeddings/provider";
import { profileText, textHash } from "../../projections/matching/profileText";
import { entryExpiresAt } from "../../projections/matching/queueInput";
import type { QueuedPerson } from "../../projections/matching/types";
import type { InprocConvex } from "./inproc";
import { mulberry32 } from "./prng";

const INTERESTS = Array.from({ length: 40 }, (_, i) => `topic-${i}`);
const SKILLS = Array.from({ length: 40 }, (_, i) => `skill-${i}`);
const LANGS = ["en", "de", "fr", "es", "pt", "ja"];
const ORGS = Array.from({ length: 20 }, (_, i) => `org_${i}`);
/** Why 500: 500 people are ≈ 2,000 documents and ≈ 1.3 MiB written, inside one transaction's limits. */
const CHUNK = 500;

/** One benchmark person: what is stored, and what the brute-force baseline scores. */
export type BenchPerson = QueuedPerson & { vector: number[] };

/** The generated queue. */
export type MatchingQueue = { people: BenchPerson[]; userIds: Id<"users">[] };

/** Generate and store `n` waiting people (seeded), `now` as the queue's present. */
export async function buildMatchingQueue(
  t: InprocConvex,
  n: number,
  seed: number,
  now: number,
): Promise<MatchingQueue> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const some = <T>(xs: readonly T[], lo: number, hi: number) => {
    const k = lo + Math.floor(rnd() * (hi - lo + 1));
    return [...new Set(Array.from({ length: k }, () => pick(xs)))];
  };
  const people: BenchPerson[] = [];
  const userIds: Id<"users">[] = [];
  await t.run(async (ctx) => {
    await ctx.db.insert("vectorIndexMeta", {
      modelKey: LOCAL_MODEL_KEY,
      dimensions: EMBEDDING_DIMENSIONS,
      status: "serving",
      createdAt: now,
      servingSince: now,
      completedAt: now,
      backfilled: n,
      failed: 0,
      deleted: 0,
      updatedAt: now,
    });
  });
  for (let base = 0; base < n; base += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, n - base) }, (_, j) => {
      const i = base + j;
      const role: Role = pick(ROLES);
      const interests = some(INTERESTS, 3, 6);
      const skills = some(SKILLS, 2, 5);
      const learning = some(SKILLS, 1, 3);
      const languages = rnd() < 0.8 ? ["en", ...some(LANGS, 0, 1)] : some(LANGS, 1, 2);
      const orgId = pick(ORGS);
      const kind = rnd();
      const constraints = {
        interests: kind < 0.1 ? some(interests, 1, 2) : [],
        roles: kind >= 0.1 && kind < 0.2 ? some(ROLES, 2, 4) : [],
        languages: kind >= 0.2 && kind < 0.25 ? [languages[0]!] : [],
        org:
          kind >= 0.25 && kind < 0.3
            ? ("sameOrg" as const)
            : kind >= 0.3 && kind < 0.35
              ? ("otherOrgs" as const)
              : ("any" as const),
        allowRepeat: false,
      };
      const start = now + Math.floor(rnd() * 8) * 3_600_000;
      const window = { start, end: start + (1 + Math.floor(rnd() * 6)) * 3_600_000 };
      const durationMinutes = pick([15, 30, 60]);
      const text = profileText({
        headline: `${role} at ${orgId}`,
        role,
        interests,
        skills,
        learning,
      });
      return {
        i,
        text,
        person: {
          card: {
            orgId,
            role,
            industry: null,
            experience: null,
            interests,
            skills,
            learning,
            languages,
            offersMentoring: rnd() < 0.2,
            seeksMentoring: rnd() < 0.2,
            openToCollaborate: rnd() < 0.5,
          },
          constraints,
          window,
          durationMinutes,
          waitingSince: now - (n - i) * 1_000,
          vector: hashedEmbedding(text),
        },
      };
    });
    const ids = await t.run(async (ctx) => {
      const out: Id<"users">[] = [];
      for (const { i, text, person } of chunk) {
        const userId = await ctx.db.insert("users", {
          tokenIdentifier: `bench|u${i}`,
          subject: `u${i}`,
          issuer: "bench",
          name: `Person ${i}`,
          orgId: person.card.orgId,
          createdAt: now,
          updatedAt: now,
        });
        const card = { ...person.card, userId };
        await ctx.db.insert("matchQueue", {
          userId,
          status: "waiting",
          card,
          constraints: person.constraints,
          window: person.window,
          durationMinutes: person.durationMinutes,
          waitingSince: person.waitingSince,
          expiresAt: entryExpiresAt(person.window, person.durationMinutes),
          shard: shardOf(userId),
          updatedAt: now,
        });
        await ctx.db.insert("embeddings", {
          userId,
          modelKey: LOCAL_MODEL_KEY,
          dimensions: EMBEDDING_DIMENSIONS,
          vector: person.vector,
          textHash: textHash(text),
          ...poolKeys(LOCAL_MODEL_KEY, true, card),
          updatedAt: now,
        });
        out.push(userId);
      }
      return out;
    });
    for (const [j, { person }] of chunk.entries()) {
      userIds.push(ids[j]!);
      people.push({ ...person, card: { ...person.card, userId: ids[j]! } });
    }
  }
  return { people, userIds };
}

/** Read back one person's queue status (sanity checks). */
export async function statusOf(t: InprocConvex, userId: Id<"users">): Promise<string | null> {
  return await t.run(async (ctx) => (await entryOf(ctx, userId))?.status ?? null);
}
