/**
 * Pairs of action items for a blind reader's judgement of the scorer (issue 16, sixth pass).
 * For each labelled meeting of a split, the local provider's items are set against the gold
 * items of the same owner: pairs the lexical scorer matched, pairs it left unmatched (both
 * sides unmatched), and decoys (a matched prediction against another gold item of the same
 * owner). Each pair is written as two texts in an order fixed by a hash, so the reader cannot
 * tell which is the gold one; the key (which is which, and what the scorer said) goes to a
 * separate file. `npx tsx bench/insights-pairs.ts [tune|heldout] --out=DIR [--ids=PREFIX]`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeLocally } from "../projections/insights/localProvider";
import { loadLabelledMeetings } from "./lib/insights-dataset";
import { directInput } from "./lib/insights-input";
import { match, personKey } from "./lib/insights-score";

const split = process.argv[2] === "heldout" ? "heldout" : "tune";
const out = process.argv.find((a) => a.startsWith("--out="))?.slice(6);
const prefix = process.argv.find((a) => a.startsWith("--ids="))?.slice(6) ?? "";
if (!out) throw new Error("--out=DIR is required");

type Kind = "matched" | "unmatched" | "decoy";
const pairs: { id: string; owner: string; a: string; b: string }[] = [];
const key: { id: string; meeting: string; kind: Kind; goldFirst: boolean; gold: string; pred: string }[] =
  [];

const hash = (s: string) => createHash("sha256").update(s).digest();
for (const m of loadLabelledMeetings(join(import.meta.dirname, "data")).filter(
  (x) => x.split === split && x.id.startsWith(prefix),
)) {
  const got = analyzeLocally(directInput(m)).actionItems;
  const gold = m.gold.actions;
  const pm = match(
    gold.map((g) => g.text),
    got.map((p) => p.text),
  );
  const goldMatched = new Set(pm.map(([g]) => g));
  const predMatched = new Map(pm.map(([g, p]) => [p, g]));
  for (const [pi, p] of got.entries()) {
    for (const [gi, g] of gold.entries()) {
      if (personKey(g.owner) !== personKey(p.ownerName)) continue;
      const matchedTo = predMatched.get(pi);
      const kind: Kind | null =
        matchedTo === gi
          ? "matched"
          : matchedTo === undefined && !goldMatched.has(gi)
            ? "unmatched"
            : matchedTo !== undefined && !goldMatched.has(gi)
              ? null
              : "decoy";
      if (!kind) continue;
      const id = hash(`${m.id}|${gi}|${pi}`).toString("hex").slice(0, 8);
      const goldFirst = (hash(id)[0]! & 1) === 0;
      const owner = (g.owner ?? "").split(/\s+/).filter((w) => !/\.$/.test(w))[0] ?? "";
      pairs.push({ id, owner, a: goldFirst ? g.text : p.text, b: goldFirst ? p.text : g.text });
      key.push({ id, meeting: m.id, kind, goldFirst, gold: g.text, pred: p.text });
    }
  }
}
/** Why: the reader's time goes to the unmatched pairs; samples of the others (by hash) calibrate. */
const SAMPLE = { matched: 100, decoy: 80 } as const;
const kept = new Set<string>();
for (const kind of ["matched", "decoy", "unmatched"] as const) {
  const ids = key
    .filter((k) => k.kind === kind)
    .map((k) => k.id)
    .sort();
  for (const id of kind === "unmatched" ? ids : ids.slice(0, SAMPLE[kind])) kept.add(id);
}
for (let i = pairs.length - 1; i >= 0; i--) if (!kept.has(pairs[i]!.id)) pairs.splice(i, 1);
for (let i = key.length - 1; i >= 0; i--) if (!kept.has(key[i]!.id)) key.splice(i, 1);
pairs.sort((x, y) => (x.id < y.id ? -1 : 1));
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "pairs.tsv"),
  `${pairs.map((p) => [p.id, p.owner, p.a, p.b].join("\t")).join("\n")}\n`,
);
writeFileSync(join(out, "key.json"), `${JSON.stringify(key, null, 1)}\n`);
const by = (k: Kind) => key.filter((x) => x.kind === k).length;
console.log(
  `${pairs.length} pairs: ${by("matched")} matched, ${by("unmatched")} unmatched, ${by("decoy")} decoys`,
);
