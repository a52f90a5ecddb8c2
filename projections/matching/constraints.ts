/**
 * Hard constraints of a pair: both sides' constraints hold in both
 * directions, neither blocked the other, a repeat is wanted by both, and
 * their windows share a slot long enough for the meeting. Pure: the earliest
 * start a slot may have arrives as data.
 */
import type { PairHistory, QueuedPerson, TimeWindow } from "./types";

/** Why a pair cannot meet (the first failed check). */
export type HardFailure =
  | "self"
  | "blocked"
  | "repeat"
  | "org"
  | "roles"
  | "interests"
  | "languages"
  | "noCommonLanguage"
  | "window";

/** The outcome of {@link hardCheck}. */
export type HardCheck = { ok: true; slot: TimeWindow } | { ok: false; failure: HardFailure };

/** Why 5 minutes: meetings start on a 5-minute mark, as people schedule them. */
export const SLOT_GRANULARITY_MS = 5 * 60_000;

function intersects(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const set = new Set(a);
  return b.some((x) => set.has(x));
}

/** Does `other` satisfy the one-directional constraints of `me`? */
function satisfies(me: QueuedPerson, other: QueuedPerson): HardFailure | null {
  const c = me.constraints;
  const mine = me.card.orgId;
  const theirs = other.card.orgId;
  if (c.org === "sameOrg" && (mine === null || mine !== theirs)) return "org";
  if (c.org === "otherOrgs" && mine !== null && mine === theirs) return "org";
  if (c.roles.length > 0 && (other.card.role === null || !c.roles.includes(other.card.role)))
    return "roles";
  if (c.interests.length > 0 && !intersects(c.interests, other.card.interests)) return "interests";
  if (c.languages.length > 0 && !intersects(c.languages, other.card.languages)) return "languages";
  return null;
}

/**
 * The earliest common slot: `min(durations)` minutes, starting on a 5-minute
 * mark at or after both windows' starts and `earliestStart`, ending inside
 * both windows; null when there is none.
 */
export function commonSlot(
  a: Pick<QueuedPerson, "window" | "durationMinutes">,
  b: Pick<QueuedPerson, "window" | "durationMinutes">,
  earliestStart: number,
): TimeWindow | null {
  const length = Math.min(a.durationMinutes, b.durationMinutes) * 60_000;
  const from = Math.max(a.window.start, b.window.start, earliestStart);
  const start = Math.ceil(from / SLOT_GRANULARITY_MS) * SLOT_GRANULARITY_MS;
  const end = start + length;
  if (!(length > 0) || end > Math.min(a.window.end, b.window.end)) return null;
  return { start, end };
}

/**
 * Check every hard constraint of the pair (symmetric). `earliestStart` is the
 * soonest a meeting may begin (after the answer deadline).
 */
export function hardCheck(
  a: QueuedPerson,
  b: QueuedPerson,
  pair: PairHistory,
  earliestStart: number,
): HardCheck {
  if (a.card.userId === b.card.userId) return { ok: false, failure: "self" };
  if (pair.blocked) return { ok: false, failure: "blocked" };
  if (pair.proposals > 0 && !(a.constraints.allowRepeat && b.constraints.allowRepeat))
    return { ok: false, failure: "repeat" };
  const failure = satisfies(a, b) ?? satisfies(b, a);
  if (failure) return { ok: false, failure };
  if (
    a.card.languages.length > 0 &&
    b.card.languages.length > 0 &&
    !intersects(a.card.languages, b.card.languages)
  )
    return { ok: false, failure: "noCommonLanguage" };
  const slot = commonSlot(a, b, earliestStart);
  return slot ? { ok: true, slot } : { ok: false, failure: "window" };
}
