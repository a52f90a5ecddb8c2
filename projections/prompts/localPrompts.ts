/**
 * The local (deterministic, no network) prompt provider: conversation
 * starters and an agenda before a call from the participants' profiles,
 * interests, goals and shared history; one in-call prompt from the recent
 * transcript, notes, topics and who is present. Templates over the data, not
 * a language model: named `local-templates` wherever it shows.
 */
import { keyPhrases } from "../core/keyPhrases";
import type { IncallInput, PrecallInput, PrecallPerson, PromptDraft } from "./types";

/** The local prompt provider's name. */
export const LOCAL_PROMPTS_NAME = "local-templates";

/** Why: a handful of starters and agenda points is what a person reads before a call. */
export const MAX_STARTERS = 4;
/** Why: an agenda longer than five points does not fit a 30-minute call. */
export const MAX_AGENDA = 5;

function first(p: PrecallPerson): string {
  return p.name.replace(/^(?:dr|prof|mr|mrs|ms)\.?\s+/i, "").split(/\s+/)[0] ?? p.name;
}
function list(xs: readonly string[]): string {
  if (xs.length <= 1) return xs.join("");
  return `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}
function norm(s: string): string {
  return s.trim().toLowerCase();
}
function dateLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Interests (and skills/goals words) two or more people share, most shared first. */
function sharedInterests(
  people: readonly PrecallPerson[],
): { label: string; who: PrecallPerson[] }[] {
  const by = new Map<string, { label: string; who: PrecallPerson[] }>();
  for (const p of people) {
    for (const i of new Set(p.interests.map((x) => x.trim()).filter(Boolean))) {
      const e = by.get(norm(i)) ?? { label: i, who: [] };
      if (!e.who.includes(p)) e.who.push(p);
      by.set(norm(i), e);
    }
  }
  return [...by.values()]
    .filter((e) => e.who.length >= 2)
    .sort((a, b) => b.who.length - a.who.length || (a.label < b.label ? -1 : 1));
}

/** Conversation starters and agenda points for a scheduled meeting. Deterministic. */
export function precallLocally(input: PrecallInput): {
  starters: PromptDraft[];
  agenda: PromptDraft[];
} {
  // Names in a stable order whatever order the ids come in (ids are random).
  const people = [...input.people].sort(
    (a, b) =>
      a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  const starters: PromptDraft[] = [];
  const push = (d: PromptDraft) => {
    if (!starters.some((s) => norm(s.content) === norm(d.content))) starters.push(d);
  };
  for (const s of sharedInterests(people).slice(0, 2)) {
    push({
      content: `${list(s.who.map(first))} share an interest in ${s.label}: what drew each of you to it, and what are you working on there now?`,
      tags: ["starter", "shared-interest", s.label.toLowerCase()],
      relevance: Math.min(0.95, 0.6 + 0.1 * s.who.length),
    });
  }
  const last = [...input.history].sort((a, b) => b.at - a.at)[0];
  if (last) {
    const decided = last.decisions[0];
    push({
      content: decided
        ? `Last time ("${last.title}", ${dateLabel(last.at)}) you decided: ${decided.replace(/[.!]+$/, "")}. How has that worked out?`
        : `Pick up where "${last.title}" (${dateLabel(last.at)}) left off: what has changed since?`,
      tags: ["starter", "history"],
      relevance: 0.85,
    });
  }
  for (const p of people) {
    if (starters.length >= MAX_STARTERS) break;
    const role = [p.jobTitle, p.company ? `at ${p.company}` : null].filter(Boolean).join(" ");
    const goal = p.goals[0];
    if (goal) {
      push({
        content: `${first(p)} wants to ${goal.replace(/^to\s+/i, "").replace(/[.!]+$/, "")}: ask what would help most right now.`,
        tags: ["starter", "goal"],
        relevance: 0.75,
      });
    } else if (role || p.headline) {
      push({
        content: `Ask ${first(p)} about their work${role ? ` as ${role}` : ""}${p.headline && !role ? ` (${p.headline})` : ""}: what is the hardest problem on their desk this month?`,
        tags: ["starter", "profile"],
        relevance: 0.6,
      });
    } else if (p.interests[0]) {
      push({
        content: `Ask ${first(p)} about ${p.interests[0]}: what got them into it?`,
        tags: ["starter", "interest"],
        relevance: 0.5,
      });
    }
  }
  if (starters.length === 0) {
    push({
      content: `Open with introductions: what does each of you hope to get out of "${input.title}"?`,
      tags: ["starter", "generic"],
      relevance: 0.4,
    });
  }

  const agenda: PromptDraft[] = [];
  const add = (content: string, tags: string[], relevance: number) => {
    // The last point is kept for the closing.
    if (agenda.length < MAX_AGENDA - 1)
      agenda.push({ content, tags: ["agenda", ...tags], relevance });
  };
  add(
    input.history.length > 0
      ? "Quick check-in: what has moved since you last met"
      : `Introductions: ${list(people.map((p) => [first(p), p.jobTitle ?? p.headline].filter(Boolean).join(", ")))}`,
    ["opening"],
    0.7,
  );
  const open = input.history.flatMap((h) => h.openItems).slice(0, 2);
  for (const item of open) {
    add(
      `Follow up: ${item.ownerName ? `${item.ownerName.split(" ")[0]} — ` : ""}${item.text.replace(/[.!]+$/, "")}`,
      ["follow-up"],
      0.8,
    );
  }
  add(`Discuss ${input.title.replace(/[.!?]+$/, "")}`, ["topic"], 0.7);
  const topicSource = [input.description ?? "", ...people.flatMap((p) => p.goals)].filter(Boolean);
  for (const t of keyPhrases(topicSource, 1, [input.title])) add(`Discuss ${t}`, ["topic"], 0.65);
  const goals = people.filter((p) => p.goals.length > 0).slice(0, 2);
  for (const p of goals)
    add(`${first(p)}'s goal: ${p.goals[0]!.replace(/[.!]+$/, "")}`, ["goal"], 0.7);
  agenda.push({
    content: "Agree on next steps: who does what, by when",
    tags: ["agenda", "closing"],
    relevance: 0.6,
  });
  return { starters: starters.slice(0, MAX_STARTERS), agenda };
}

const QUESTION = /\?\s*$/;

/** One in-call prompt for the moment described by `input`. Deterministic. */
export function incallLocally(input: IncallInput): PromptDraft {
  const topic =
    input.topics[0] ??
    keyPhrases(
      input.recent.map((r) => r.text),
      1,
    )[0] ??
    null;
  const quiet = [...input.present].sort((a, b) => a.speakingMs - b.speakingMs)[0];
  const loud = [...input.present].sort((a, b) => b.speakingMs - a.speakingMs)[0];
  const unanswered = [...input.recent]
    .reverse()
    .find(
      (r, i, arr) =>
        QUESTION.test(r.text) &&
        r.text.split(/\s+/).length >= 4 &&
        (i === 0 || arr[i - 1]!.speaker === r.speaker),
    );
  const candidates: PromptDraft[] = [];
  if (input.trigger === "topic_shift" && input.previousTopics.length > 0) {
    const old =
      input.previousTopics.find((t) => !input.topics.includes(t)) ?? input.previousTopics[0]!;
    candidates.push({
      content: `The talk moved on from ${old}${topic ? ` to ${topic}` : ""}. Before it goes: is there a decision or an owner to note for ${old}?`,
      tags: ["topic-shift", "capture"],
      relevance: 0.8,
    });
  }
  if (unanswered) {
    candidates.push({
      content: `Still open: “${unanswered.text.trim()}”${quiet && quiet.name !== unanswered.speaker ? ` — ${quiet.name.split(" ")[0]}, what do you think?` : ""}`,
      tags: ["open-question"],
      relevance: 0.75,
    });
  }
  if (
    quiet &&
    loud &&
    input.present.length > 1 &&
    loud.speakingMs > 2 * Math.max(quiet.speakingMs, 1)
  ) {
    candidates.push({
      content: `${quiet.name.split(" ")[0]} has said the least so far${topic ? `: ask how ${topic} looks from their side` : ": ask for their view"}.`,
      tags: ["inclusion"],
      relevance: 0.7,
    });
  }
  if (topic) {
    candidates.push({
      content: `On ${topic}: what is the next concrete step, who owns it, and by when?`,
      tags: ["next-step"],
      relevance: 0.6,
    });
  }
  if (input.trigger === "request" && input.recent.length > 0) {
    candidates.push({
      content: `Recap so far: ${list(input.topics.slice(0, 3)) || "no clear topic yet"}. What should the rest of "${input.title}" settle?`,
      tags: ["recap"],
      relevance: 0.65,
    });
  }
  candidates.push({
    content: `What would make "${input.title}" worth everyone's time from here?`,
    tags: ["reset"],
    relevance: 0.4,
  });
  const fresh = candidates.filter((c) => !input.shown.some((s) => norm(s) === norm(c.content)));
  return (fresh.length > 0 ? fresh : candidates)[0]!;
}
