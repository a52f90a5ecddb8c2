/**
 * `npm run bench [-- --quick] [-- --only a,b]`: runs every benchmark suite in
 * order, then writes `bench/out/report.json`, `bench/out/charts/*.png` and
 * `bench/REPORT.md`. Bounded: full ≈ 15 min on 2 cores, quick ≈ 3 min.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Report } from "./lib/report-types";
import { compactChart, runBench } from "./lib/runner";
import { chartSvg, svgToPng } from "./report/charts";
import { reportMd } from "./report/markdown";
import { allSuites } from "./suites/all";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv: string[]): {
  quick: boolean;
  only: string[] | null;
  outDir: string;
  render: string | null;
  merge: boolean;
} {
  const quick = argv.includes("--quick");
  const onlyIdx = argv.indexOf("--only");
  const only = onlyIdx >= 0 ? (argv[onlyIdx + 1] ?? "").split(",").filter(Boolean) : null;
  const outIdx = argv.indexOf("--out");
  const outDir = outIdx >= 0 ? resolve(argv[outIdx + 1] ?? "") : join(root, "bench");
  const renderIdx = argv.indexOf("--render");
  const render = renderIdx >= 0 ? resolve(argv[renderIdx + 1] ?? "") : null;
  const merge = argv.includes("--merge");
  if (merge && !only) throw new Error("--merge needs --only <suites>: it replaces those suites");
  return { quick, only, outDir, render, merge };
}

/** JSON has no bigint: commit timestamps are written as decimal strings. */
function bigIntToString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * `--merge`: keep the earlier report in `file` and replace (or add) only the suites this run
 * measured, each stamped with this run's time, mode and machine so the Markdown says so.
 */
function mergeInto(report: Report, file: string, only: string[]): void {
  const earlier = JSON.parse(readFileSync(file, "utf8")) as Report;
  for (const s of earlier.suites) s.charts = s.charts.map(compactChart);
  const stamp = { generatedAt: report.generatedAt, mode: report.mode, machine: report.machine };
  const fresh = new Map(
    report.suites.filter((s) => only.includes(s.id)).map((s) => [s.id, { ...s, run: stamp }]),
  );
  const suites = earlier.suites.map((s) => fresh.get(s.id) ?? s);
  for (const [id, s] of fresh) if (!earlier.suites.some((e) => e.id === id)) suites.push(s);
  const order = allSuites.map((s) => s.id);
  suites.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  Object.assign(report, { ...earlier, suites });
}

/**
 * Sections of runs that are not suites of this runner (`npm run bench:migration`, a suite run
 * alone with its own notes), kept in `bench/sections/*.md` and appended to every rendering in
 * file-name order, so re-rendering never drops them.
 */
function handWrittenSections(): string {
  const dir = join(root, "bench", "sections");
  if (!existsSync(dir)) return "";
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `\n${readFileSync(join(dir, f), "utf8").trimEnd()}\n`)
    .join("");
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  // --render <report.json>: re-render REPORT.md and the charts from an earlier run's JSON.
  const loaded: Report | null = args.render
    ? (JSON.parse(readFileSync(args.render, "utf8")) as Report)
    : null;
  if (loaded) {
    for (const s of loaded.suites) s.charts = s.charts.map(compactChart);
  }
  const report =
    loaded ??
    (await runBench({
      root,
      mode: args.quick ? "quick" : "full",
      only: args.only,
      progress: (m) =>
        process.stderr.write(
          `[bench +${((performance.now() - started) / 1000).toFixed(0)}s] ${m}\n`,
        ),
    }));
  if (args.merge && !loaded) {
    mergeInto(report, join(args.outDir, "out", "report.json"), args.only ?? []);
  }
  const outDir = join(args.outDir, "out");
  const chartsDir = join(outDir, "charts");
  mkdirSync(chartsDir, { recursive: true });
  writeFileSync(join(outDir, "report.json"), `${JSON.stringify(report, bigIntToString, 2)}\n`);
  for (const s of report.suites) {
    for (const c of s.charts) writeFileSync(join(chartsDir, `${c.id}.png`), svgToPng(chartSvg(c)));
  }
  writeFileSync(
    join(args.outDir, "REPORT.md"),
    reportMd(report, (id) => `out/charts/${id}.png`) + handWrittenSections(),
  );
  process.stderr.write(
    `[bench] wrote ${join(args.outDir, "REPORT.md")} in ${(report.totalDurationMs / 1000).toFixed(0)} s\n`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(
      `[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  },
);
