/**
 * The shapes the matcher works on. Pure data: ids are strings, times are ms
 * since the epoch and arrive as data (never read from a clock here).
 */
import type { ExperienceLevel, Role } from "./catalogue";

/** What matching knows of a person (copied onto their queue entry when they enter). */
export type MatchCard = {
  userId: string;
  orgId: string | null;
  role: Role | null;
  industry: string | null;
  experience: ExperienceLevel | null;
  /** Canonical interest keys. */
  interests: string[];
  /** Canonical keys of what they know well. */
  skills: string[];
  /** Canonical keys of what they want to learn. */
  learning: string[];
  /** Language codes they meet in. */
  languages: string[];
  offersMentoring: boolean;
  seeksMentoring: boolean;
  openToCollaborate: boolean;
};

/** Whom a person agrees to meet, by organisation. */
export const ORG_CONSTRAINTS = ["any", "sameOrg", "otherOrgs"] as const;
/** An organisation constraint. */
export type OrgConstraint = (typeof ORG_CONSTRAINTS)[number];

/** A queue entry's hard constraints on the other person (empty list = no constraint). */
export type Constraints = {
  /** The other must share at least one of these interests. */
  interests: string[];
  /** The other's role must be one of these. */
  roles: Role[];
  /** The other must speak one of these languages. */
  languages: string[];
  org: OrgConstraint;
  /** Meet someone again (a pair that was proposed before); both sides must allow it. */
  allowRepeat: boolean;
};

/** An availability window [start, end) in ms. */
export type TimeWindow = { start: number; end: number };

/** A waiting person as the matcher sees them. */
export type QueuedPerson = {
  card: MatchCard;
  constraints: Constraints;
  window: TimeWindow;
  /** The meeting length they asked for. */
  durationMinutes: number;
  /** When they started waiting (kept across declined and expired proposals). */
  waitingSince: number;
};

/** What the pair's past says: blocks in either direction and earlier proposals. */
export type PairHistory = {
  /** Either person blocked the other, or put them on their do-not-match list. */
  blocked: boolean;
  /** Proposals between them before (any outcome). */
  proposals: number;
  /** Mean rating (1–5) they gave meetings with each other, or null. */
  meanRating: number | null;
};

/** A pair that never met and is not blocked. */
export const NEW_PAIR: PairHistory = { blocked: false, proposals: 0, meanRating: null };

/** The factors of a pair's score, stored with the proposal so each side sees why. */
export type MatchFactors = {
  /** Interests both have (keys). */
  sharedInterests: string[];
  /** Jaccard overlap of the interests, 0–1. */
  interestOverlap: number;
  /** Skills `a` has that `b` wants to learn. */
  aTeachesB: string[];
  /** Skills `b` has that `a` wants to learn. */
  bTeachesA: string[];
  /** One offers mentoring, the other seeks it (and is not more senior). */
  mentoring: "aMentorsB" | "bMentorsA" | null;
  /** Complementarity of skills and mentoring, 0–1. */
  complementarity: number;
  /** Profile similarity from the embeddings (cosine clamped to 0–1). */
  similarity: number;
  /** History factor, 0–1: 1 for a new pair, from past ratings for a repeat. */
  history: number;
  /** Proposed to each other before. */
  repeat: boolean;
  /** Both open to collaborating. */
  collaborate: boolean;
};

/** The weights of the four scored features (positive, summing to 1). */
export type Weights = {
  sharedInterests: number;
  complementarySkills: number;
  similarity: number;
  history: number;
};

/** Feature names in the order of {@link featureVector}. */
export const FEATURES = [
  "sharedInterests",
  "complementarySkills",
  "similarity",
  "history",
] as const;
/** A feature name. */
export type Feature = (typeof FEATURES)[number];
