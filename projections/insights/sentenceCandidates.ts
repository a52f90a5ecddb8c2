/**
 * Action-item candidates the rules did not make, one per transcript sentence in the two general
 * shapes of a task: said by its owner in the first person ("I'll book the simulator for the
 * 20th") or put to someone named first ("Louise, put the order in by Friday"). Worded as said,
 * without the lead ("Book the simulator for the 20th"); no pronoun is resolved. They are only
 * offered to the learned filter (`actionModel.ts`), which keeps the few it finds likely; the
 * rules' own items come first, so a sentence the rules read is never read twice.
 */
import type { People } from "./people";
import { type ActionItem, itemId } from "./provider";
import { clean, type Sentence } from "./sentences";
import { dueOf, tidy } from "./taskText";

const FIRST =
  /^(?:i'll|i will|i'm going to|i am going to|i'm gonna|let me|i can|i'm happy to|happy to|i need to|i have to|i must)\s+(?:also\s+|still\s+|just\s+|definitely\s+)?(.+)$/i;
const ASK =
  /^(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?|please\s+|you\s+(?:could\s+|should\s+|need\s+to\s+)?)?(.+)$/i;

/** Generic candidates from the sentences none of `items` came from. */
export function sentenceCandidates(
  all: readonly Sentence[],
  people: People,
  meetingAt: number,
  items: readonly ActionItem[],
): ActionItem[] {
  const taken = new Set(
    items.flatMap((a) => (a.source?.kind === "transcript" ? [a.source.at] : [])),
  );
  const lead = new RegExp(`^(${people.pattern})\\s*,\\s*(.+)$`, "u");
  const out: ActionItem[] = [];
  for (const s of all) {
    if (s.fromNotes || s.source.kind !== "transcript" || taken.has(s.source.at)) continue;
    if (/\?\s*$/.test(s.text)) continue;
    const said = clean(s.text);
    let owner: string | null = null;
    let task: string | null = null;
    const first = FIRST.exec(said);
    const named = lead.exec(said);
    if (first) {
      owner = s.speakerId;
      task = first[1]!;
    } else if (named) {
      const who = people.named(named[1]!);
      if (!who || who.userId === s.speakerId) continue;
      owner = who.userId;
      task = ASK.exec(clean(named[2]!))?.[1] ?? null;
    }
    if (!owner || !task) continue;
    const text = tidy(task);
    if (text.split(/\s+/).length < 2) continue;
    const due = dueOf(text, meetingAt);
    out.push({
      id: itemId("action", `${owner} ${text}`),
      text,
      owner,
      ownerName: people.nameOf(owner),
      due: due?.phrase ?? null,
      dueDate: due?.date ?? null,
      source: s.source,
    });
  }
  return out;
}
