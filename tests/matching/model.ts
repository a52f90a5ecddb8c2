/**
 * An independent statement of who may be proposed to whom, written apart
 * from `projections/matching/constraints.ts` so the property tests compare
 * the matcher against it rather than against itself.
 */
import type { Constraints, MatchCard, TimeWindow } from "../../projections/matching/types";

/** What the model needs of a person. */
export type ModelPerson = {
  card: MatchCard;
  constraints: Constraints;
  window: TimeWindow;
  durationMinutes: number;
};

function accepts(me: ModelPerson, them: ModelPerson): boolean {
  const c = me.constraints;
  if (c.org === "sameOrg" && !(me.card.orgId !== null && me.card.orgId === them.card.orgId))
    return false;
  if (c.org === "otherOrgs" && me.card.orgId !== null && me.card.orgId === them.card.orgId)
    return false;
  if (c.roles.length && !c.roles.some((r) => r === them.card.role)) return false;
  if (c.interests.length && !c.interests.some((i) => them.card.interests.includes(i))) return false;
  if (c.languages.length && !c.languages.some((l) => them.card.languages.includes(l))) return false;
  return true;
}

/** Do the two share a language (or does one not say)? */
function canTalk(a: ModelPerson, b: ModelPerson): boolean {
  if (!a.card.languages.length || !b.card.languages.length) return true;
  return a.card.languages.some((l) => b.card.languages.includes(l));
}

/** Is `slot` a meeting both can attend, of the shorter length, not before `earliest`? */
export function slotFits(
  a: ModelPerson,
  b: ModelPerson,
  slot: TimeWindow,
  earliest: number,
): boolean {
  const length = Math.min(a.durationMinutes, b.durationMinutes) * 60_000;
  return (
    slot.end - slot.start === length &&
    slot.start >= earliest &&
    slot.start >= a.window.start &&
    slot.start >= b.window.start &&
    slot.end <= a.window.end &&
    slot.end <= b.window.end
  );
}

/** Could any slot of the shorter length fit both windows after `earliest` (on 5-minute marks)? */
export function someSlotFits(a: ModelPerson, b: ModelPerson, earliest: number): boolean {
  const length = Math.min(a.durationMinutes, b.durationMinutes) * 60_000;
  const from = Math.ceil(Math.max(a.window.start, b.window.start, earliest) / 300_000) * 300_000;
  return from + length <= Math.min(a.window.end, b.window.end);
}

/** May the two be proposed (ignoring blocks and history, which the caller checks)? */
export function modelCompatible(a: ModelPerson, b: ModelPerson, earliest: number): boolean {
  return (
    a.card.userId !== b.card.userId &&
    accepts(a, b) &&
    accepts(b, a) &&
    canTalk(a, b) &&
    someSlotFits(a, b, earliest)
  );
}
