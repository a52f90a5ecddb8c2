/**
 * The stored shape of one participant's insights: what a provider found, each
 * item carrying the participant's own state of it (kept across regenerations).
 * `convex/tables/projections.ts` checks its `insights` fields against this type.
 */
import type { ActionItem, InsightItem, ParticipantInsights, Recommendation } from "./provider";

/** A participant's own state of an item: dismissed, or edited by them. */
export type ItemState = { status: "open" | "dismissed"; edited: boolean };

/** One participant's insights as stored: every item with its {@link ItemState}. */
export type StoredParticipantInsights = Omit<
  ParticipantInsights,
  "actionItems" | "keyTakeaways" | "decisions" | "followUps" | "recommendations"
> & {
  actionItems: (ActionItem & ItemState)[];
  keyTakeaways: (InsightItem & ItemState)[];
  decisions: (InsightItem & ItemState)[];
  followUps: (InsightItem & ItemState)[];
  recommendations: (Recommendation & ItemState)[];
};
