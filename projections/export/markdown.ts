/**
 * A meeting as one Markdown document: header, notes (the view's Markdown,
 * rendered from the ProseMirror document), decisions, action items and the
 * transcript. Pure; every user text is escaped where Markdown would read it
 * as markup in a line context (headings and list items are ours).
 */

/** A transcript turn for the export. */
export type MarkdownTurn = { speaker: string; at: number; text: string };
/** An action item for the export. */
export type MarkdownAction = { text: string; owner: string | null; due: string | null };

/** What a meeting's Markdown is made of. */
export type MeetingMarkdownInput = {
  title: string;
  status: string;
  scheduledAt: number;
  startedAt: number | null;
  endedAt: number | null;
  people: Array<{ name: string; role: string }>;
  notesMarkdown: string;
  decisions: string[];
  actionItems: MarkdownAction[];
  summary: string | null;
  transcript: MarkdownTurn[];
  /** Set when the transcript was cut (more turns than the export reads). */
  transcriptTruncated: boolean;
};

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function clock(ms: number, from: number): string {
  const s = Math.max(0, Math.floor((ms - from) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

/** Escape a one-line user text so it reads as text, not Markdown markup. */
export function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, " ");
}

/** Render the meeting as Markdown. */
export function meetingMarkdown(m: MeetingMarkdownInput): string {
  const lines: string[] = [`# ${escapeInline(m.title)}`, ""];
  lines.push(`- Scheduled: ${iso(m.scheduledAt)}`);
  if (m.startedAt !== null) lines.push(`- Started: ${iso(m.startedAt)}`);
  if (m.endedAt !== null) lines.push(`- Ended: ${iso(m.endedAt)}`);
  lines.push(`- Status: ${m.status}`);
  if (m.people.length > 0)
    lines.push(
      `- People: ${m.people.map((p) => `${escapeInline(p.name)} (${p.role})`).join(", ")}`,
    );
  lines.push("", "## Notes", "", m.notesMarkdown.trim() || "_No notes._", "");
  if (m.summary) lines.push("## Summary", "", escapeInline(m.summary), "");
  lines.push("## Decisions", "");
  if (m.decisions.length === 0) lines.push("_None recorded._");
  for (const d of m.decisions) lines.push(`- ${escapeInline(d)}`);
  lines.push("", "## Action items", "");
  if (m.actionItems.length === 0) lines.push("_None recorded._");
  for (const a of m.actionItems) {
    const who = a.owner ? ` — ${escapeInline(a.owner)}` : "";
    const due = a.due ? ` (due ${escapeInline(a.due)})` : "";
    lines.push(`- [ ] ${escapeInline(a.text)}${who}${due}`);
  }
  lines.push("", "## Transcript", "");
  if (m.transcript.length === 0) lines.push("_No transcript._");
  const from = m.startedAt ?? m.transcript[0]?.at ?? 0;
  for (const t of m.transcript)
    lines.push(`- **${escapeInline(t.speaker)}** [${clock(t.at, from)}]: ${escapeInline(t.text)}`);
  if (m.transcriptTruncated) lines.push("", "_The transcript is longer; this export stops here._");
  return `${lines.join("\n")}\n`;
}
