/**
 * The labelled meetings of `bench/data/meetings-*.txt` (format and labelling
 * rules in `bench/data/README.md`), parsed into what the benchmark replays
 * and the gold answers it scores against.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One labelled action item. */
export type GoldAction = { owner: string | null; due: string | null; text: string };

/** One labelled meeting. */
export type LabelledMeeting = {
  id: string;
  split: "tune" | "heldout";
  title: string;
  /** Start of the meeting (UTC ms). */
  startAt: number;
  /** Full names as the people list gives them. */
  people: string[];
  notes: string[];
  /** Transcript lines: speaker's first name and text. */
  lines: { speaker: string; text: string }[];
  gold: { actions: GoldAction[]; decisions: string[]; summary: string[] };
};

function parseOne(block: string, split: LabelledMeeting["split"]): LabelledMeeting {
  const lines = block.split("\n");
  const head = lines[0]!.split("|").map((s) => s.trim());
  const [id, title, start] = head;
  if (!id || !title || !start) throw new Error(`bad meeting header: ${lines[0]}`);
  const m: LabelledMeeting = {
    id,
    split,
    title,
    startAt: Date.parse(`${start}:00Z`),
    people: [],
    notes: [],
    lines: [],
    gold: { actions: [], decisions: [], summary: [] },
  };
  let section = "";
  for (const raw of lines.slice(1)) {
    const line = raw.trimEnd();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("people:")) {
      m.people = line
        .slice(7)
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      continue;
    }
    if (/^(notes|transcript|gold):$/.test(line)) {
      section = line.slice(0, -1);
      continue;
    }
    if (section === "notes") m.notes.push(line);
    else if (section === "transcript") {
      const i = line.indexOf(":");
      if (i < 0) throw new Error(`${id}: transcript line without a speaker: ${line}`);
      m.lines.push({ speaker: line.slice(0, i).trim(), text: line.slice(i + 1).trim() });
    } else if (section === "gold") {
      const i = line.indexOf(":");
      const kind = line.slice(0, i);
      const value = line.slice(i + 1).trim();
      if (kind === "action") {
        const [owner, due, ...text] = value.split("|").map((s) => s.trim());
        m.gold.actions.push({
          owner: owner && owner !== "-" ? owner : null,
          due: due && due !== "-" ? due : null,
          text: text.join("|"),
        });
      } else if (kind === "decision") m.gold.decisions.push(value);
      else if (kind === "summary") m.gold.summary.push(value);
      else throw new Error(`${id}: unknown gold line ${line}`);
    }
  }
  return m;
}

/** Every labelled meeting of `dir` (tuning split first). */
export function loadLabelledMeetings(dir: string): LabelledMeeting[] {
  const out: LabelledMeeting[] = [];
  for (const [file, split] of [
    ["meetings-tune.txt", "tune"],
    ["meetings-heldout.txt", "heldout"],
  ] as const) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const block of text.split(/^=== /m).slice(1)) out.push(parseOne(block, split));
  }
  return out;
}

/** The participant a transcript speaker's first name refers to (titles ignored). */
export function fullNameOf(m: LabelledMeeting, speaker: string): string {
  const hit = m.people.find((p) =>
    p
      .split(/\s+/)
      .filter((w) => !/^(?:dr|prof|mr|mrs|ms)\.?$/i.test(w))
      .includes(speaker),
  );
  if (!hit) throw new Error(`${m.id}: speaker ${speaker} is not in the people list`);
  return hit;
}
