/** Action items stated in a notes line: "Alan: update …", "Karen to chase …", "TODO: …". */
import type { People } from "./people";
import type { InsightsParticipant } from "./provider";
import { startsWithVerb } from "./sentences";

/** A task that reports a state ("still running", "done") is not an action. */
const STATUS =
  /\b(?:still|already|done|finished|in progress|running|slipped|blocked|delayed|pending)\b/i;

/** A notes line that states an item: "Alan: update …", "Karen to chase …", "TODO: …". */
export function noteActionLine(
  line: string,
  people: People,
): { task: string; owner: InsightsParticipant | null } | null {
  const l = line.replace(/^(?:[-*•]\s*)?(?:\[[ xX]?\]\s*)?/, "");
  if (/\?\s*$/.test(l)) return null;
  const labelled = /^(?:action items?|actions?|todo|to do|next steps?|ai)\s*[:\-–]\s*(.+)$/i.exec(
    l,
  );
  const body = labelled ? labelled[1]! : l;
  const named = new RegExp(
    `^(${people.pattern})\\s*(?:[:\\-–]\\s*|\\s+(?:to|will|should|needs to|is going to)\\s+)(.+)$`,
  ).exec(body);
  if (named) {
    const owner = people.named(named[1]!);
    const task = named[2]!;
    if (owner && startsWithVerb(task) && !/^\S+ing\b/i.test(task) && !STATUS.test(task))
      return { task, owner };
    if (owner && labelled) return { task, owner };
    return null;
  }
  const at = /@(\p{L}+)/u.exec(body);
  if (labelled)
    return { task: body.replace(/@\p{L}+\s*/u, ""), owner: at ? people.named(at[1]!) : null };
  return null;
}
