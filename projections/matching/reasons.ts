/**
 * The "why" of a proposal in words, from the stored factors, for one side
 * (the viewer), and a few conversation openers for the meeting it becomes.
 * Pure.
 */
import { swapSides } from "./score";
import type { MatchFactors } from "./types";

/** One reason, with the factor it comes from (the UI may group or style by it). */
export type Reason = {
  factor: "sharedInterests" | "complementarySkills" | "mentoring" | "similarity" | "history";
  text: string;
};

/** Why 3: a reason line names a few items and counts the rest. */
const LIST_ITEMS = 3;

/** "machine-learning" → "machine learning" (keys are canonical, see catalogue.ts). */
export function humanize(key: string): string {
  return key
    .replace(/-plus-plus\b/g, "++")
    .replace(/-sharp\b/g, "#")
    .replace(/-/g, " ");
}

function list(keys: readonly string[], label: (k: string) => string): string {
  const names = keys.slice(0, LIST_ITEMS).map(label);
  const more = keys.length - names.length;
  const head =
    names.length <= 1
      ? (names[0] ?? "")
      : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return more > 0 ? `${names.join(", ")} and ${more} more` : head;
}

/**
 * The reasons as `viewer` ("a" or "b" of the stored factors) reads them, the
 * strongest first. `label` names an interest or skill key (default: humanized).
 */
export function reasonsFor(
  stored: MatchFactors,
  viewer: "a" | "b",
  label: (key: string) => string = humanize,
): Reason[] {
  const f = viewer === "a" ? stored : swapSides(stored);
  const out: Reason[] = [];
  if (f.sharedInterests.length > 0)
    out.push({
      factor: "sharedInterests",
      text: `You share ${f.sharedInterests.length === 1 ? "an interest" : `${f.sharedInterests.length} interests`}: ${list(f.sharedInterests, label)}`,
    });
  if (f.bTeachesA.length > 0)
    out.push({
      factor: "complementarySkills",
      text: `They know ${list(f.bTeachesA, label)}, which you want to learn`,
    });
  if (f.aTeachesB.length > 0)
    out.push({
      factor: "complementarySkills",
      text: `You know ${list(f.aTeachesB, label)}, which they want to learn`,
    });
  if (f.mentoring === "bMentorsA")
    out.push({ factor: "mentoring", text: "They offer mentoring, and you are looking for it" });
  if (f.mentoring === "aMentorsB")
    out.push({ factor: "mentoring", text: "You offer mentoring, and they are looking for it" });
  if (f.similarity >= 0.2)
    out.push({
      factor: "similarity",
      text: `Your profiles are ${Math.round(f.similarity * 100)}% alike`,
    });
  if (f.repeat)
    out.push({
      factor: "history",
      text:
        f.history >= 0.75
          ? "You met before and rated it well"
          : "You met before, and both of you asked to meet people again",
    });
  else out.push({ factor: "history", text: "You have not met yet" });
  if (f.collaborate)
    out.push({ factor: "complementarySkills", text: "Both of you are open to collaborating" });
  return out;
}

/** A few openers for the meeting's description, from the factors (a's view). */
export function conversationStarters(
  f: MatchFactors,
  label: (key: string) => string = humanize,
): string[] {
  const out: string[] = [];
  for (const k of f.sharedInterests.slice(0, 2))
    out.push(`What got each of you into ${label(k)}, and what are you working on in it now?`);
  for (const k of [...f.aTeachesB, ...f.bTeachesA].slice(0, 2))
    out.push(`Swap notes on ${label(k)}: what would you tell someone starting out?`);
  if (f.mentoring) out.push("Agree on what a useful next conversation would look like.");
  if (f.collaborate) out.push("Is there a small project you could try together?");
  if (out.length === 0) out.push("What are you each hoping to get out of meeting new people?");
  return out;
}
