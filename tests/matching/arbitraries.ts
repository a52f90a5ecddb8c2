/**
 * Bounded fast-check arbitraries for matching: small queues of people with
 * random profiles, constraints and windows, random blocks and history, and
 * random similarities. Small vocabularies so constraints often bite.
 */
import fc from "fast-check";
import type { Role } from "../../projections/matching/catalogue";
import type { OrgConstraint, QueuedPerson } from "../../projections/matching/types";

export const ROLES_USED: Role[] = ["engineering", "design", "founder"];
export const INTERESTS = ["ai", "climate", "design", "music", "health"];
export const LANGS = ["en", "de", "fr"];
export const SKILLS = ["ts", "go", "sales", "ux"];
const ORGS = ["org_a", "org_b", null] as const;
const HOUR = 3_600_000;
/** The instant every generated window is relative to (a multiple of 5 minutes). */
export const T0 = 1_700_000_100_000 - (1_700_000_100_000 % 300_000);

/** The value type of an arbitrary. */
export type ArbOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const subset = <T>(xs: readonly T[], max = xs.length) => fc.subarray([...xs], { maxLength: max });

/** One queued person (user id assigned by the caller). */
export const personArb = fc.record({
  role: fc.option(fc.constantFrom(...ROLES_USED), { nil: null }),
  orgId: fc.constantFrom(...ORGS),
  interests: subset(INTERESTS, 3),
  languages: subset(LANGS, 2),
  skills: subset(SKILLS, 2),
  learning: subset(SKILLS, 2),
  offersMentoring: fc.boolean(),
  seeksMentoring: fc.boolean(),
  wantInterests: fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: subset(INTERESTS, 2) },
  ),
  wantRoles: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Role[]>([]) },
    { weight: 1, arbitrary: subset(ROLES_USED, 2) },
  ),
  wantLanguages: fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: subset(LANGS, 1) },
  ),
  org: fc.constantFrom<OrgConstraint>("any", "any", "sameOrg", "otherOrgs"),
  allowRepeat: fc.boolean(),
  startHours: fc.integer({ min: 0, max: 6 }),
  lengthHalfHours: fc.integer({ min: 1, max: 8 }),
  duration: fc.constantFrom(15, 30, 60),
  waitedMinutes: fc.integer({ min: 0, max: 120 }),
});

/** Turn a generated record into a queued person with `userId`. */
export function toQueued(userId: string, p: ArbOf<typeof personArb>): QueuedPerson {
  const start = T0 + p.startHours * HOUR;
  return {
    card: {
      userId,
      orgId: p.orgId,
      role: p.role,
      industry: null,
      experience: null,
      interests: p.interests,
      skills: p.skills,
      learning: p.learning,
      languages: p.languages,
      offersMentoring: p.offersMentoring,
      seeksMentoring: p.seeksMentoring,
      openToCollaborate: false,
    },
    constraints: {
      interests: p.wantInterests,
      roles: p.wantRoles,
      languages: p.wantLanguages,
      org: p.org,
      allowRepeat: p.allowRepeat,
    },
    window: { start, end: start + p.lengthHalfHours * 30 * 60_000 },
    durationMinutes: p.duration,
    waitingSince: T0 - p.waitedMinutes * 60_000,
  };
}

/** A queue: 2–10 people, blocked pairs, past pairs, and who is already in a proposal. */
export const queueArb = fc.array(personArb, { minLength: 2, maxLength: 10 }).chain((people) => {
  const n = people.length;
  const pairArb = fc
    .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }))
    .filter(([a, b]) => a !== b);
  return fc.record({
    people: fc.constant(people),
    blocks: fc.array(pairArb, { maxLength: n }),
    history: fc.array(pairArb, { maxLength: n }),
    busy: fc.subarray(
      Array.from({ length: n }, (_, i) => i),
      { maxLength: Math.floor(n / 3) },
    ),
    similarity: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
      minLength: n * n,
      maxLength: n * n,
    }),
    cycles: fc.integer({ min: 1, max: 3 }),
    batchSize: fc.integer({ min: 1, max: 10 }),
    applyOrder: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  });
});
