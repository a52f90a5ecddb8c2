/**
 * Insights quality on the labelled meetings of `bench/data/` (issue 16), end
 * to end through the embedded engine with the real Convex client: each
 * person signs in, the host schedules and starts the meeting, people join,
 * the notes are typed as a Yjs document and pushed, every transcript line is
 * sent by its speaker as an interim chunk and then the final one (plus a
 * dangling interim fragment that is never finalized), the host ends the
 * meeting, and the insights the backend generates (with whatever provider
 * the engine's environment configures: the local one by default, an LLM
 * with `INSIGHTS_PROVIDER=llm` and `AI_LLM_*`) are scored against the gold
 * labels (`bench/lib/insights-score.ts`). Tuning and held-out splits are
 * reported apart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConvexHttpClient } from "convex/browser";
import * as Y from "yjs";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { startEngine } from "../../engine/engine";
import { fullNameOf, type LabelledMeeting, loadLabelledMeetings } from "../lib/insights-dataset";
import {
  type Counts,
  ratios,
  type ScoredInsights,
  scoreMeeting,
  sumCounts,
} from "../lib/insights-score";
import type { Cell, Headline, Table } from "../lib/report-types";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { VirtualClock } from "../lib/virtual-clock";

/** Why: a line every 8 s of meeting time reads like a real conversation's pace. */
const LINE_MS = 8_000;
/** Why: generation waits for the views to settle; a minute is far past that. */
const WAIT_MS = 60_000;

type Person = { client: ConvexHttpClient; userId: Id<"users">; name: string };

async function signIn(
  url: string,
  mint: (c: { subject: string; name: string }) => Promise<string>,
  subject: string,
  name: string,
): Promise<Person> {
  const client = new ConvexHttpClient(url, { logger: false });
  client.setAuth(await mint({ subject, name }));
  const user = await client.mutation(api.users.ensure, {});
  return { client, userId: user._id, name };
}

function notesUpdate(lines: readonly string[], clientId: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const fragment = doc.getXmlFragment("default");
  fragment.insert(
    0,
    lines.map((line) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(line)]);
      return p;
    }),
  );
  return Y.encodeStateAsUpdate(doc);
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}

async function runMeeting(
  url: string,
  mint: (c: { subject: string; name: string }) => Promise<string>,
  m: LabelledMeeting,
  run: number,
): Promise<{ counts: Counts; provider: string; fallback: string | null; ms: number }> {
  const started = performance.now();
  const people: Person[] = [];
  for (const [i, name] of m.people.entries())
    people.push(await signIn(url, mint, `bench-ai-${run}-${m.id}-${i}`, name));
  const host = people[0]!;
  const s = await host.client.mutation(api.meetings.schedule, {
    title: m.title,
    // The labelled day: due dates ("by Friday") are said against it.
    scheduledAt: m.startAt,
    durationMinutes: 30,
    invitees: people.slice(1).map((p) => ({ userId: p.userId, role: "participant" as const })),
  });
  if (!s.ok) throw new Error(`${m.id}: schedule refused: ${s.message}`);
  const meetingId = s.meetingId;
  const startRes = await host.client.mutation(api.meetings.start, { meetingId });
  if (!startRes.ok) throw new Error(`${m.id}: start refused: ${startRes.message}`);
  for (const p of people.slice(1)) await p.client.mutation(api.participants.join, { meetingId });
  if (m.notes.length > 0) {
    const clientId = 1000 + run;
    await host.client.mutation(api.notes.registerClient, { meetingId, clientId });
    const r = await host.client.mutation(api.notes.push, {
      meetingId,
      clientId,
      clientSeq: 1,
      update: toArrayBuffer(notesUpdate(m.notes, clientId)),
    });
    if (!r.ok) throw new Error(`${m.id}: notes refused: ${r.message}`);
  }
  const byName = new Map(people.map((p) => [p.name, p]));
  for (const [i, line] of m.lines.entries()) {
    const who = byName.get(fullNameOf(m, line.speaker))!;
    const words = line.text.split(" ");
    const base = {
      utteranceId: `${m.id}-${i}`,
      confidence: 0.92,
      startMs: i * LINE_MS,
      endMs: i * LINE_MS + 5_000,
    };
    const r = await who.client.mutation(api.transcripts.ingest, {
      meetingId,
      chunks: [
        {
          ...base,
          idempotencyKey: `${m.id}-${i}-i`,
          text: words.slice(0, Math.ceil(words.length / 2)).join(" "),
          isFinal: false,
        },
        { ...base, idempotencyKey: `${m.id}-${i}-f`, text: line.text, isFinal: true },
      ],
    });
    if (!r.ok) throw new Error(`${m.id}: transcript refused: ${r.message}`);
  }
  // A half-spoken interim that never becomes final: it must never reach the insights.
  await host.client.mutation(api.transcripts.ingest, {
    meetingId,
    chunks: [
      {
        utteranceId: `${m.id}-dangling`,
        idempotencyKey: `${m.id}-dangling`,
        text: "and I will send the contract to",
        confidence: 0.4,
        startMs: m.lines.length * LINE_MS,
        endMs: m.lines.length * LINE_MS + 1_000,
        isFinal: false,
      },
    ],
  });
  const end = await host.client.mutation(api.meetings.end, { meetingId });
  if (!end.ok) throw new Error(`${m.id}: end refused: ${end.message}`);
  const deadline = Date.now() + WAIT_MS;
  let view = await host.client.query(api.insights.forMeeting, { meetingId });
  while (view.status !== "done" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    view = await host.client.query(api.insights.forMeeting, { meetingId });
  }
  if (view.status !== "done" || !view.mine)
    throw new Error(`${m.id}: insights not generated (status ${view.status})`);
  // Meeting-level items: the union of every participant's copy (each holds their own and unassigned items).
  const items = new Map<string, (typeof view.all)[number]["actionItems"][number]>();
  for (const r of view.all) for (const a of r.actionItems) items.set(a.id, a);
  const mine = view.mine;
  const got: ScoredInsights = {
    summary: mine.summary,
    actionItems: [...items.values()],
    decisions: mine.decisions,
    keyTakeaways: mine.keyTakeaways,
    allText: [
      ...view.all.map((r) => r.summary),
      ...[...items.values()].map((a) => `${a.text} ${a.ownerName ?? ""}`),
      ...mine.decisions.map((d) => d.text),
      ...mine.keyTakeaways.map((d) => d.text),
      ...mine.recommendations.map((d) => d.text),
      ...mine.followUps.map((d) => d.text),
    ],
  };
  const ids = [...people.map((p) => String(p.userId)), String(meetingId)];
  const counts = scoreMeeting(m.gold, got, ids);
  // The dangling interim must not surface as anything.
  const fragmentsFromInterim = got.allText.filter((t) => /send the contract to/.test(t)).length;
  counts.fragments += fragmentsFromInterim;
  return {
    counts,
    provider: mine.provider,
    fallback: mine.fallbackReason,
    ms: performance.now() - started,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function row(label: string, c: Counts): Cell[] {
  const r = ratios(c);
  return [
    label,
    pct(r.actionPrecision),
    pct(r.actionRecall),
    pct(r.ownerAccuracy),
    pct(r.dueAccuracy),
    pct(r.decisionPrecision),
    pct(r.decisionRecall),
    pct(r.summaryCoverage),
    c.idsShown,
    c.fragments,
    c.questionsAsItems,
  ];
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const meetings = loadLabelledMeetings(join(ctx.root, "bench/data"));
  const dataDir = mkdtempSync(join(tmpdir(), "connvo-bench-ai-"));
  const engine = await startEngine({
    port: 0,
    dataDir,
    reset: true,
    functionsDir: join(ctx.root, "convex"),
    logLevel: "silent",
    crons: false,
  });
  // Tokens are minted on the shifted clock (below) but verified against the real one: their
  // lifetime covers the shift.
  const mint = (c: { subject: string; name: string }) =>
    engine.mintDevToken({
      ...c,
      email: `${c.subject}@example.com`,
      orgId: "org_bench",
      expiresInSeconds:
        Math.ceil((performance.timeOrigin + performance.now() - Date.now()) / 1000) + 3600,
    });
  const results: {
    m: LabelledMeeting;
    counts: Counts;
    provider: string;
    fallback: string | null;
    ms: number;
  }[] = [];
  try {
    for (const [i, m] of meetings.entries()) {
      ctx.progress(`insights-quality: ${m.id} (${i + 1}/${meetings.length}, ${m.split})`);
      // The labelled day is in the past, and `meetings.schedule` refuses the past: the run
      // happens on that day by the wall clock (`Date.now` shifted; timings use performance.now).
      const clock = new VirtualClock().install();
      clock.advance(m.startAt - 60_000 - Date.now());
      try {
        results.push({ m, ...(await runMeeting(engine.url, mint, m, i)) });
      } finally {
        clock.uninstall();
      }
    }
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const of = (split: string | null) =>
    sumCounts(results.filter((r) => split === null || r.m.split === split).map((r) => r.counts));
  const tune = of("tune");
  const held = of("heldout");
  const all = of(null);
  const providers = [...new Set(results.map((r) => r.provider))].join(", ");
  const fallbacks = results.filter((r) => r.fallback).length;
  const columns = [
    "split",
    "action precision",
    "action recall",
    "owner accuracy",
    "due-date accuracy",
    "decision precision",
    "decision recall",
    "summary coverage",
    "ids shown",
    "fragments",
    "questions as items",
  ];
  const method =
    "Each labelled meeting replayed through the embedded engine with the real Convex HTTP client (sign-in, schedule, start, join, notes pushed as a Yjs update, transcript as interim + final chunks per speaker plus one never-finalized interim, end), then the generated insights scored against hand-written gold labels: an item matches when half of the gold text's content words appear in it, or when it has two or more content words (its due-date words aside) all found in the gold text (one-to-one, best overlap first); owner and due-date accuracy over matched action items; summary coverage over the summary and key takeaways; defects counted over every text a person reads.";
  const summaryTable: Table = {
    title: `Insights quality by split (provider: ${providers}; ${results.length} meetings, ${fallbacks} fell back to local)`,
    columns,
    rows: [
      row(`tuning (${results.filter((r) => r.m.split === "tune").length})`, tune),
      row(`held-out (${results.filter((r) => r.m.split === "heldout").length})`, held),
      row("all", all),
    ],
    method,
  };
  const perMeeting: Table = {
    title: "Per meeting",
    columns: [
      "meeting",
      "split",
      "items found / predicted / gold",
      "owners right",
      "dues right",
      "decisions found / predicted / gold",
      "summary points",
      "defects",
      "ms",
    ],
    rows: results.map((r) => [
      `${r.m.id} ${r.m.title}`,
      r.m.split,
      `${r.counts.actionTp} / ${r.counts.actionPred} / ${r.counts.actionGold}`,
      `${r.counts.ownerRight} / ${r.counts.actionTp}`,
      `${r.counts.dueRight} / ${r.counts.actionTp}`,
      `${r.counts.decisionTp} / ${r.counts.decisionPred} / ${r.counts.decisionGold}`,
      `${r.counts.summaryCovered} / ${r.counts.summaryGold}`,
      r.counts.idsShown + r.counts.fragments + r.counts.questionsAsItems,
      Math.round(r.ms),
    ]),
    method: "Counts per meeting (found = matched to gold).",
  };
  const h = ratios(held);
  const a = ratios(all);
  const headlines: Headline[] = [
    {
      measure: "action-item precision / recall, held-out (all)",
      ours: `${pct(h.actionPrecision)} / ${pct(h.actionRecall)} (${pct(a.actionPrecision)} / ${pct(a.actionRecall)})`,
      baseline: "gold labels",
      ratio: null,
      goal: "≥ 90% / ≥ 80%",
    },
    {
      measure: "owner accuracy, held-out (all)",
      ours: `${pct(h.ownerAccuracy)} (${pct(a.ownerAccuracy)})`,
      baseline: "gold labels",
      ratio: null,
      goal: "≥ 90%",
    },
    { measure: "ids shown", ours: String(all.idsShown), baseline: "—", ratio: null, goal: "0" },
  ];
  return {
    status: "measured",
    notMeasured: providers.includes("llm")
      ? []
      : [
          "LLM provider: not configured in this run (set INSIGHTS_PROVIDER=llm and AI_LLM_* to measure it)",
        ],
    tables: [summaryTable, perMeeting],
    charts: [],
    headlines,
    data: { tune, heldout: held, all, providers, fallbacks },
  };
}

/** The insights quality suite (`npm run bench -- --only insights-quality`). */
export const insightsQualitySuite: Suite = {
  id: "insights-quality",
  title: "Insights quality on labelled meetings (issue 16)",
  run,
};
