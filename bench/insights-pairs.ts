/**
 * The reader-judged action-item figures (issue 16, sixth pass). The lexical scorer
 * (`lib/insights-score.ts`) matches words; a reader matches tasks. This script sets each of the
 * local provider's items against the gold items of the same owner that share a content word with
 * it (or that the scorer matched), and:
 * - `ask`: writes the pairs no reader has judged yet for a blind reader: two texts per pair in an
 *   order fixed by a hash, so the reader cannot tell which is gold; the key goes to a separate file;
 * - `take`: adds the reader's verdicts (`id<TAB>SAME|DIFFERENT`) to `data/judged-pairs.tsv`;
 * - `score`: reports action precision / recall by the reader's verdicts (a one-to-one matching over
 *   SAME pairs) next to the lexical scorer's, and how often the two agree.
 * `npx tsx bench/insights-pairs.ts ask|take|score [tune|heldout] [--ids=PREFIX] [--dir=DIR]`.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeLocally } from "../projections/insights/localProvider";
import { loadLabelledMeetings } from "./lib/insights-dataset";
import { directInput } from "./lib/insights-input";
import { judgedMatch, type Verdicts } from "./lib/insights-judged";
import { match, personKey, similarity } from "./lib/insights-score";

const [verb = "score", splitArg = "tune"] = process.argv.slice(2);
const split = splitArg === "heldout" ? "heldout" : "tune";
const prefix = process.argv.find((a) => a.startsWith("--ids="))?.slice(6) ?? "";
const dir = process.argv.find((a) => a.startsWith("--dir="))?.slice(6) ?? "/tmp/insights-pairs";
const store = join(import.meta.dirname, "data", "judged-pairs.tsv");

/** The stored verdicts, keyed by owner, gold text and predicted text. */
function loadVerdicts(): Verdicts {
  const v: Verdicts = new Map();
  if (!existsSync(store)) return v;
  for (const line of readFileSync(store, "utf8").split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const [owner, gold, pred, verdict] = line.split("\t");
    v.set(pairKey(owner!, gold!, pred!), verdict === "SAME");
  }
  return v;
}
const pairKey = (owner: string, gold: string, pred: string) => `${owner}\t${gold}\t${pred}`;
const hash = (s: string) => createHash("sha256").update(s).digest();

const meetings = loadLabelledMeetings(join(import.meta.dirname, "data")).filter(
  (x) => x.split === split && x.id.startsWith(prefix),
);
const verdicts = loadVerdicts();

if (verb === "take") {
  const key = JSON.parse(readFileSync(join(dir, "key.json"), "utf8")) as Record<string, string[]>;
  const lines: string[] = [];
  for (const line of readFileSync(join(dir, "verdicts.tsv"), "utf8").split("\n")) {
    const [id, verdict] = line.trim().split("\t");
    if (!id) continue;
    if (verdict !== "SAME" && verdict !== "DIFFERENT") throw new Error(`bad verdict: ${line}`);
    const k = key[id];
    if (!k) throw new Error(`unknown pair ${id}`);
    if (!verdicts.has(pairKey(k[0]!, k[1]!, k[2]!))) lines.push([...k, verdict].join("\t"));
  }
  const head = existsSync(store)
    ? ""
    : "# owner\tgold text\tpredicted text\tverdict of a blind reader (bench/insights-pairs.ts)\n";
  writeFileSync(store, `${head}${lines.join("\n")}\n`, { flag: "a" });
  console.log(`${lines.length} verdicts added to ${store}`);
} else {
  const ask: { id: string; owner: string; a: string; b: string }[] = [];
  const key: Record<string, string[]> = {};
  let lexTp = 0;
  let judgedTp = 0;
  let pred = 0;
  let gold = 0;
  let agree = 0;
  let judgedPairs = 0;
  let missing = 0;
  for (const m of meetings) {
    const got = analyzeLocally(directInput(m)).actionItems;
    const lex = match(
      m.gold.actions.map((g) => g.text),
      got.map((p) => p.text),
    );
    lexTp += lex.length;
    pred += got.length;
    gold += m.gold.actions.length;
    const candidates: { g: number; p: number; same: boolean | undefined }[] = [];
    for (const [pi, p] of got.entries())
      for (const [gi, g] of m.gold.actions.entries()) {
        const owner = personKey(g.owner) ?? "";
        if (owner !== personKey(p.ownerName)) continue;
        if (similarity(g.text, p.text) === 0) continue;
        const k = pairKey(owner, g.text, p.text);
        const same = verdicts.get(k);
        candidates.push({ g: gi, p: pi, same });
        if (same === undefined) {
          missing++;
          const id = hash(`${m.id}|${k}`).toString("hex").slice(0, 8);
          const goldFirst = (hash(id)[0]! & 1) === 0;
          const first = owner.split(" ")[0] ?? owner;
          ask.push({
            id,
            owner: first,
            a: goldFirst ? g.text : p.text,
            b: goldFirst ? p.text : g.text,
          });
          key[id] = [owner, g.text, p.text];
        } else {
          judgedPairs++;
          const lexical = lex.some(([g2, p2]) => g2 === gi && p2 === pi);
          if (lexical === same) agree++;
        }
      }
    judgedTp += judgedMatch(candidates);
  }
  if (verb === "ask") {
    mkdirSync(dir, { recursive: true });
    ask.sort((x, y) => (x.id < y.id ? -1 : 1));
    writeFileSync(
      join(dir, "pairs.tsv"),
      `${ask.map((p) => [p.id, p.owner, p.a, p.b].join("\t")).join("\n")}\n`,
    );
    writeFileSync(join(dir, "key.json"), `${JSON.stringify(key)}\n`);
    console.log(`${ask.length} pairs to judge in ${dir}/pairs.tsv`);
  } else {
    const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
    console.log(
      `${split}${prefix ? ` ${prefix}*` : ""} (${meetings.length}): lexical P ${pct(lexTp, pred)} R ${pct(lexTp, gold)} (${lexTp}/${pred}/${gold}); judged P ${pct(judgedTp, pred)} R ${pct(judgedTp, gold)} (${judgedTp}/${pred}/${gold}); ${judgedPairs} pairs judged, ${missing} not yet; scorer agrees with the reader on ${pct(agree, judgedPairs)}`,
    );
  }
}
