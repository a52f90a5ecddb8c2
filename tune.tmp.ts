import { loadLabelledMeetings, fullNameOf } from "./bench/lib/insights-dataset";
import { scoreMeeting, sumCounts, ratios } from "./bench/lib/insights-score";
import { analyzeLocally } from "./projections/insights/localProvider";
const split = process.argv[2] ?? "tune";
const verbose = process.argv.includes("-v");
const ms = loadLabelledMeetings("bench/data").filter((m) => m.split === split);
const counts = [];
for (const m of ms) {
  const participants = m.people.map((p, i) => ({ userId: `user_${m.id}_${i}`, name: p }));
  const idOf = (n: string) => participants.find((p) => p.name === n)!.userId;
  const input = { title: m.title, meetingAt: m.startAt, notesText: m.notes.join("\n"),
    transcript: m.lines.map((l, i) => { const n = fullNameOf(m, l.speaker); return { speakerId: idOf(n), speaker: n, text: l.text, at: m.startAt + i * 10000 }; }), participants };
  const r = analyzeLocally(input);
  const got = { summary: r.summary, actionItems: r.actionItems, decisions: r.decisions, keyTakeaways: r.keyTakeaways, allText: [r.summary, ...r.actionItems.map(a=>a.text), ...r.decisions.map(d=>d.text), ...r.keyTakeaways.map(t=>t.text), ...r.recommendations.map(x=>x.text)] };
  const c = scoreMeeting(m.gold, got, participants.map(p=>p.userId));
  counts.push(c);
  if (process.argv.includes("-fp")) {
    const gold = m.gold.actions.map((g) => g.text);
    const { contentWords } = await import("./projections/core/keywords");
    const stem = (w: string) => w.replace(/(?:ing|ed|es|s)$/, "").slice(0, 6);
    const bag = (t: string) => new Set(contentWords(t).map(stem));
    const ov = (g: string, p: string) => { const G = bag(g), P = bag(p); let h = 0; for (const w of G) if (P.has(w)) h++; return G.size ? h / G.size : 0; };
    for (const a of r.actionItems) if (!gold.some((g) => ov(g, a.text) >= 0.5)) console.log(`FP ${m.id} [${a.ownerName}] ${a.text}`);
    for (const g of m.gold.actions) if (!r.actionItems.some((a) => ov(g.text, a.text) >= 0.5)) console.log(`FN ${m.id} [${g.owner}] ${g.text}`);
    for (const d of r.decisions) if (!m.gold.decisions.some((g) => ov(g, d.text) >= 0.5)) console.log(`DFP ${m.id} ${d.text}`);
    for (const g of m.gold.decisions) if (!r.decisions.some((d) => ov(g, d.text) >= 0.5)) console.log(`DFN ${m.id} ${g}`);
  }
  if (verbose) {
    console.log(`\n== ${m.id} tp=${c.actionTp}/${c.actionPred} gold=${c.actionGold} owner=${c.ownerRight} due=${c.dueRight} dec=${c.decisionTp}/${c.decisionPred}/${c.decisionGold} sum=${c.summaryCovered}/${c.summaryGold}`);
    for (const a of r.actionItems) console.log(`  A [${a.ownerName}] [${a.dueDate}] ${a.text}`);
    for (const g of m.gold.actions) console.log(`  G [${g.owner}] [${g.due}] ${g.text}`);
    for (const d of r.decisions) console.log(`  D ${d.text}`);
    for (const d of m.gold.decisions) console.log(`  GD ${d}`);
    if (process.argv.includes("-s")) { console.log("  S " + r.summary); for (const t of r.keyTakeaways) console.log("  T " + t.text); for (const x of r.recommendations) console.log(`  R ${x.type} ${x.confidence} ${x.text}`); }
  }
}
const s = sumCounts(counts);
console.log(JSON.stringify(s)); console.log(JSON.stringify(ratios(s), null, 1));
