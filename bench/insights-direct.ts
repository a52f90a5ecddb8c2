/**
 * A quick loop for developing the local insights rules: the labelled meetings of `data/` run
 * straight through `analyzeLocally` (no engine, no Convex), scored like the `insights-quality`
 * suite. The reported figures come from that suite, which replays each meeting end to end;
 * this one only shortens the edit-measure loop while tuning (`npx tsx bench/insights-direct.ts
 * [tune|heldout] [-v] [--decisions] [--rules] [--ids=PREFIX[,PREFIX…]]`; `--rules` skips the
 * learned filter; `-v` prints each meeting's action-item misses and extras, `--decisions` its
 * decisions instead; `--ids=s` keeps only the meetings whose id starts with `s`, `--ids=u,s` those
 * of either prefix, so a fresh held-out set or a dev-check part of the tuning split can be
 * measured apart).
 */
import { join } from "node:path";
import { analyzeLocally } from "../projections/insights/localProvider";
import { loadLabelledMeetings } from "./lib/insights-dataset";
import { directInput } from "./lib/insights-input";
import { type Counts, match, ratios, scoreMeeting, sumCounts } from "./lib/insights-score";

const split = process.argv[2] === "heldout" ? "heldout" : "tune";
const verbose = process.argv.includes("-v");
/** `--decisions`: print each meeting's decisions (found, extra, missed) instead of its action items. */
const decisionsOnly = process.argv.includes("--decisions");
/** `--rules`: the rules alone, without the learned filter (`actionModel.ts`). */
const rulesOnly = process.argv.includes("--rules");
const prefix = process.argv.find((a) => a.startsWith("--ids="))?.slice(6) ?? "";
/** `--ids=m,h,k`: several prefixes. */
const prefixes = prefix.split(",");
const meetings = loadLabelledMeetings(join(import.meta.dirname, "data")).filter(
  (m) => m.split === split && prefixes.some((p) => m.id.startsWith(p)),
);
const all: Counts[] = [];
for (const m of meetings) {
  const input = directInput(m);
  const participants = input.participants;
  const got = analyzeLocally(input, rulesOnly ? null : undefined);
  const counts = scoreMeeting(
    m.gold,
    {
      summary: got.summary,
      actionItems: got.actionItems,
      decisions: got.decisions,
      keyTakeaways: got.keyTakeaways,
      allText: got.actionItems.map((a) => a.text),
    },
    participants.map((p) => p.userId),
  );
  all.push(counts);
  if (decisionsOnly) {
    console.log(
      `\n${m.id} ${m.title}: ${counts.decisionTp}/${counts.decisionPred}/${counts.decisionGold}`,
    );
    const pairs = match(
      m.gold.decisions,
      got.decisions.map((d) => d.text),
    );
    for (const [i, d] of got.decisions.entries())
      console.log(`  ${pairs.some((p) => p[1] === i) ? "ok  " : "XTRA"} ${d.text}`);
    for (const [i, d] of m.gold.decisions.entries())
      if (!pairs.some((p) => p[0] === i)) console.log(`  MISS ${d}`);
  } else if (verbose) {
    console.log(
      `\n${m.id} ${m.title}: ${counts.actionTp}/${counts.actionPred}/${counts.actionGold}`,
    );
    const pairs = match(
      m.gold.actions.map((a) => a.text),
      got.actionItems.map((a) => a.text),
    );
    for (const [i, a] of got.actionItems.entries())
      console.log(
        `  ${pairs.some((p) => p[1] === i) ? "ok  " : "XTRA"} ${a.ownerName ?? "-"} | ${a.dueDate ?? "-"} | ${a.text}`,
      );
    for (const [i, a] of m.gold.actions.entries())
      if (!pairs.some((p) => p[0] === i))
        console.log(`  MISS ${a.owner ?? "-"} | ${a.due ?? "-"} | ${a.text}`);
    for (const [g, p] of pairs) {
      const want = m.gold.actions[g]!.due ?? null;
      const have = got.actionItems[p]!.dueDate ?? null;
      if (want !== have)
        console.log(`  DUE  want ${want ?? "-"}, got ${have ?? "-"}: ${got.actionItems[p]!.text}`);
    }
  }
}
const t = sumCounts(all);
const r = ratios(t);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(
  `${split}${prefix ? ` ${prefix}*` : ""} (${meetings.length}): action P ${pct(r.actionPrecision)} R ${pct(r.actionRecall)} (${t.actionTp}/${t.actionPred}/${t.actionGold}), owner ${pct(r.ownerAccuracy)}, due ${pct(r.dueAccuracy)}, decisions P ${pct(r.decisionPrecision)} R ${pct(r.decisionRecall)} (${t.decisionTp}/${t.decisionPred}/${t.decisionGold}), summary ${pct(r.summaryCoverage)}, fragments ${t.fragments}, questions ${t.questionsAsItems}`,
);
