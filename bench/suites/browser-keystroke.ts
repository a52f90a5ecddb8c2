/**
 * Issue 20 goal 1: keystroke → the other person's screen in real Chromium,
 * the room's TipTap editor over our notes provider through the embedded
 * engine, and the same editor over Hocuspocus side by side (same browser,
 * same typing, same run). Two pages (separate browser contexts) open one
 * document; the bench types into the first with real key events at a human
 * rate and each page timestamps on the browser's shared clock: the keydown in
 * the writer, the character on screen in the reader (an editor transaction
 * updates the DOM synchronously).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../tests/e2e/browser";
import type { PageApi, PageConfig } from "../browser/editor-page";
import { startChildServer } from "../lib/child-server";
import type { Cell, Headline } from "../lib/report-types";
import { ratio, type Summary, summarize } from "../lib/stats";
import type { Suite, SuiteContext, SuiteOutput } from "../lib/suite";
import { sleep } from "../lib/timing";
import { insertedChars } from "../lib/trace";
import { fmt } from "../report/format";
import type { SeededInfo } from "../servers/engine-server";
import { startBenchEngine } from "./engine-handle";

/** Why 10 keys/s: a fast typist (≈ 120 words a minute); each key a real keydown. */
const KEYS_PER_SECOND = 10;
/** Longest wait for the last keystroke to arrive before counting the rest missing. */
const DRAIN_MS = 10_000;

async function bundle(root: string): Promise<string> {
  const out = await build({
    entryPoints: [join(root, "bench/browser/editor-page.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    write: false,
    logLevel: "error",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return out.outputFiles[0]!.text;
}

async function openPage(browser: Browser, script: string, config: PageConfig): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const html =
    `<!doctype html><html><body><script>window.BENCH_CONFIG=${JSON.stringify(config)}</script>` +
    `<script>${script.replaceAll("</script", "<\\/script")}</script></body></html>`;
  await page.setContent(html);
  await page.evaluate(() => (window as unknown as { bench: PageApi }).bench.ready);
  return page;
}

type Outcome = {
  sent: number;
  samples: number[];
  missing: number;
  pushes: number | null;
  converged: boolean;
};

/** Type `chars` into `writer` at the human rate; pair keydowns with arrivals in `reader`. */
async function typeAndMeasure(writer: Page, reader: Page, chars: string): Promise<Outcome> {
  const api = (p: Page) =>
    p.evaluate(() => {
      const b = (window as unknown as { bench: PageApi }).bench;
      return { typedAt: b.typedAt, arrivedAt: b.arrivedAt, pushes: b.pushes(), text: b.text() };
    });
  await writer.getByTestId("editor").click();
  const before = await api(writer);
  const base = (await api(reader)).arrivedAt.length;
  const interval = 1000 / KEYS_PER_SECOND;
  const t0 = performance.now();
  for (let k = 0; k < chars.length; k++) {
    const wait = t0 + k * interval - performance.now();
    if (wait > 1) await sleep(wait);
    await writer.keyboard.type(chars[k]!);
  }
  const end = performance.now() + DRAIN_MS;
  let r = await api(reader);
  while (r.arrivedAt.length < base + chars.length && performance.now() < end) {
    await sleep(50);
    r = await api(reader);
  }
  const w = await api(writer);
  const typed = w.typedAt.slice(before.typedAt.length);
  const samples: number[] = [];
  for (let k = 0; k < typed.length; k++) {
    const at = r.arrivedAt[base + k];
    if (at !== undefined) samples.push(at - typed[k]!);
  }
  return {
    sent: typed.length,
    samples,
    missing: typed.length - samples.length,
    pushes: w.pushes === null || before.pushes === null ? null : w.pushes - before.pushes,
    converged: r.text === w.text,
  };
}

function notMeasured(why: string): SuiteOutput {
  return {
    status: "not-measured",
    notMeasured: [why],
    tables: [],
    charts: [],
    headlines: [],
    data: {},
  };
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium))
    return notMeasured(`no Chromium at ${chromium} (apt-get install chromium)`);
  const keys = ctx.mode === "quick" ? 40 : 200;
  const chars = insertedChars(ctx.trace, keys).replace(/\s/g, "x");
  const script = await bundle(ctx.root);
  const engine = await startBenchEngine(ctx, {
    meetings: [{ label: "browser", people: 2 }],
    coldKeystrokes: 0,
    coldKeysPerSecond: KEYS_PER_SECOND,
  });
  const hocuspocus = await startChildServer(ctx.root, "bench/servers/hocuspocus-server.ts");
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const m = engine.info.meetings[0] as SeededInfo["meetings"][number];
    const results: Record<string, Outcome & { summary: Summary }> = {};
    const systems: [string, (i: number) => PageConfig][] = [
      [
        "ours (engine)",
        (i) => ({
          kind: "ours",
          url: engine.info.url,
          token: m.people[i]!.token,
          meetingId: m.meetingId,
          name: `person ${i}`,
        }),
      ],
      [
        "Hocuspocus",
        (i) => ({
          kind: "hocuspocus",
          url: `ws://127.0.0.1:${hocuspocus.port}`,
          document: "browser-keystroke",
          name: `person ${i}`,
        }),
      ],
    ];
    for (const [label, config] of systems) {
      ctx.progress(`browser keystroke: ${label}, ${chars.length} keys at ${KEYS_PER_SECOND}/s`);
      const writer = await openPage(browser, script, config(0));
      const reader = await openPage(browser, script, config(1));
      const o = await typeAndMeasure(writer, reader, chars);
      results[label] = {
        ...o,
        summary: summarize(o.samples.length > 0 ? o.samples : [Number.NaN]),
      };
      await writer.context().close();
      await reader.context().close();
    }
    const ours = results["ours (engine)"]!;
    const theirs = results.Hocuspocus!;
    const rows: Cell[][] = Object.entries(results).map(([label, r]) => [
      label,
      r.sent,
      r.samples.length,
      r.missing,
      r.converged ? "yes" : "NO",
      r.pushes === null ? null : r.pushes / Math.max(1, r.sent),
      r.summary.median,
      r.summary.p95,
      r.summary.p99,
      r.summary.max,
    ]);
    const headlines: Headline[] = [
      {
        measure: `keystroke → the other person's screen in Chromium, median / p95 (${KEYS_PER_SECOND} keys/s)`,
        ours: `${fmt(ours.summary.median)} / ${fmt(ours.summary.p95)} ms`,
        baseline: `Hocuspocus ${fmt(theirs.summary.median)} / ${fmt(theirs.summary.p95)} ms`,
        ratio: ratio(ours.summary.median, theirs.summary.median),
        goal: "median ≤ 50 ms, p95 ≤ 100 ms",
      },
    ];
    return {
      status: "measured",
      notMeasured: [],
      headlines,
      charts: [
        {
          kind: "cdf",
          id: "browser-keystroke",
          title: `Chromium, TipTap: keystroke → the other page's screen (${KEYS_PER_SECOND} keys/s)`,
          unit: "ms",
          series: Object.entries(results).map(([label, r]) => ({ label, values: r.samples })),
        },
      ],
      tables: [
        {
          title: "Keystroke → the other person's screen, real Chromium and the room's editor",
          columns: [
            "system",
            "keys typed",
            "arrivals",
            "missing",
            "converged",
            "pushes/keystroke",
            "median ms",
            "p95 ms",
            "p99 ms",
            "max ms",
          ],
          rows,
          method:
            "Debian's Chromium (headless, playwright-core) with two pages in separate browser contexts, each running " +
            "the room's TipTap editor (StarterKit without its undo, Collaboration on the `default` fragment, " +
            "CollaborationCaret) bundled by esbuild: ours over crdt/ NotesProvider + AwarenessBridge through the " +
            "unmodified ConvexClient to the embedded engine (child process, dev-issuer tokens, OCC simulation on); " +
            "Hocuspocus 4.7 (child process) with its own provider. The bench types the trace's characters (spaces " +
            `as 'x') into the first page with real key events at ${KEYS_PER_SECOND} keys/s; each page stamps on the ` +
            "browser's shared clock (timeOrigin + now) the keydown it types and the moment its editor first holds " +
            "each character count (an editor transaction updates the DOM synchronously). Latency = arrival in the " +
            "other page − keydown. Ours delivers only what was stored (durable first); Hocuspocus relays before it " +
            "stores (2–10 s later).",
        },
      ],
      data: { results },
    };
  } finally {
    await browser?.close();
    await hocuspocus.stop();
    await engine.stop();
  }
}

/** The browser keystroke suite (Chromium, ours vs Hocuspocus). */
export const browserKeystrokeSuite: Suite = {
  id: "browser-keystroke",
  title: "Keystroke to the other person's screen in Chromium (ours vs Hocuspocus)",
  run,
};
