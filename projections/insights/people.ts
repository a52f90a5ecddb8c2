/**
 * Who a name in the meeting refers to: participants by full name, first name
 * or (when unambiguous) last name, ignoring titles ("Dr.", "Ms."); only
 * capitalized words count, so "will" or "grace period" never name anyone.
 */

/** One participant as the provider sees it. */
export type InsightsParticipant = { userId: string; name: string };

const TITLES = /^(?:dr|prof|mr|mrs|ms|mx|miss|sir|dame)\.?$/i;

/** The name words of a participant, titles removed. */
export function nameWords(name: string): string[] {
  return name
    .split(/\s+/)
    .filter((w) => w && !TITLES.test(w))
    .map((w) => w.replace(/[^\p{L}'’-]/gu, ""))
    .filter(Boolean);
}

/** Resolves names to participants. */
export type People = {
  /** The participant `word` (a capitalized name, possibly possessive) names, or null. */
  named(word: string): InsightsParticipant | null;
  /** The display name of a userId. */
  nameOf(userId: string): string | null;
  /** Regex source matching any participant's name (first, last or full). */
  pattern: string;
  all: readonly InsightsParticipant[];
};

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Name resolution for `participants`. */
export function peopleOf(participants: readonly InsightsParticipant[]): People {
  const byKey = new Map<string, InsightsParticipant | null>();
  const put = (key: string, p: InsightsParticipant) => {
    const k = key.toLowerCase();
    const prev = byKey.get(k);
    // Two people sharing a first name: that name alone names nobody.
    byKey.set(k, prev === undefined || prev === p ? p : null);
  };
  for (const p of participants) {
    const words = nameWords(p.name);
    if (words.length === 0) continue;
    put(words.join(" "), p);
    put(words[0]!, p);
    if (words.length > 1) put(words[words.length - 1]!, p);
  }
  const keys = [...byKey.keys()].filter((k) => byKey.get(k)).sort((a, b) => b.length - a.length);
  const pattern =
    keys.length === 0
      ? "(?!)"
      : keys
          .map((k) =>
            k
              .split(" ")
              .map((w) => escapeRegex(w[0]!.toUpperCase() + w.slice(1)))
              .join("\\s+"),
          )
          .join("|");
  return {
    named(word) {
      const w = word.trim().replace(/['’]s$/, "");
      if (!/^\p{Lu}/u.test(w)) return null;
      return byKey.get(w.toLowerCase().replace(/\s+/g, " ")) ?? null;
    },
    nameOf(userId) {
      return participants.find((p) => p.userId === userId)?.name ?? null;
    },
    pattern,
    all: participants,
  };
}
