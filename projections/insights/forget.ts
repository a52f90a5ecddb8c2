/**
 * Erasure (issue 18) of one person from another participant's insights: the
 * person's names in every text become a placeholder, an action item they own
 * names the placeholder, a recommendation to connect with them goes, and a
 * transcript source pointing at them points at nobody. Pure.
 */
import type { StoredParticipantInsights } from "./stored";

/** Who is forgotten and what stands in for their name. */
export type Forgotten = { userId: string; names: readonly string[]; placeholder: string };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `text` with every (case-insensitive, whole-word) occurrence of the person's names replaced. */
export function scrubNames(text: string, who: Forgotten): string {
  const names = who.names.map((n) => n.trim()).filter((n) => n.length > 0);
  if (names.length === 0) return text;
  // Longest first, so "Pia Example" goes before "Pia".
  const pattern = names
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|");
  // Whole words only: "Pia" goes, "Piano" stays.
  return text.replace(
    new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, "giu"),
    who.placeholder,
  );
}

type Sourced = {
  source:
    | { kind: "transcript"; at: number; speakerId: string }
    | { kind: "note"; line: number }
    | null;
};

function scrubSource<T extends Sourced>(item: T, who: Forgotten): T {
  const s = item.source;
  if (s?.kind === "transcript" && s.speakerId === who.userId)
    return { ...item, source: { ...s, speakerId: "" } };
  return item;
}

/** `insights` (someone else's) with the person forgotten. */
export function forgetInInsights<T extends StoredParticipantInsights>(
  insights: T,
  who: Forgotten,
): T {
  const text = <T extends Sourced & { text: string }>(item: T): T =>
    scrubSource({ ...item, text: scrubNames(item.text, who) }, who);
  return {
    ...insights,
    summary: scrubNames(insights.summary, who),
    actionItems: insights.actionItems.map((a) => {
      const item = text(a);
      if (a.owner !== who.userId)
        return { ...item, ownerName: a.ownerName && scrubNames(a.ownerName, who) };
      return { ...item, owner: null, ownerName: who.placeholder };
    }),
    keyTakeaways: insights.keyTakeaways.map(text),
    decisions: insights.decisions.map(text),
    followUps: insights.followUps.map(text),
    recommendations: insights.recommendations.filter((r) => r.userId !== who.userId).map(text),
  };
}
