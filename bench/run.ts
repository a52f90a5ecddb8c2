/**
 * `npm run bench [-- --quick] [-- --only a,b]`: runs every benchmark suite in
 * order, then writes `bench/out/report.json`, `bench/out/charts/*.png` and
 * `bench/REPORT.md`. Bounded: full ≈ 15 min on 2 cores, quick ≈ 3 min.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Report } from "./lib/report-types";
import { compactChart, runBench } from "./lib/runner";
import { chartSvg, svgToPng } from "./report/charts";
import { reportMd } from "./report/markdown";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv: string[]): {
  quick: boolean;
  only: string[] | null;
  outDir: string;
  render: string | null;
} {
  const quick = argv.includes("--quick");
  const onlyIdx = argv.indexOf("--only");
  const only = onlyIdx >= 0 ? (argv[onlyIdx + 1] ?? "").split(",").filter(Boolean) : null;
  const outIdx = argv.indexOf("--out");
  const outDir = outIdx >= 0 ? resolve(argv[outIdx + 1] ?? "") : join(root, "bench");
  const renderIdx = argv.indexOf("--render");
  const render = renderIdx >= 0 ? resolve(argv[renderIdx + 1] ?? "") : null;
  return { quick, only, outDir, render };
}

/** JSON has no bigint: commit timestamps are written as decimal strings. */
function bigIntToString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
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
  const outDir = join(args.outDir, "out");
  const chartsDir = join(outDir, "charts");
  mkdirSync(chartsDir, { recursive: true });
  writeFileSync(join(outDir, "report.json"), `${JSON.stringify(report, bigIntToString, 2)}\n`);
  for (const s of report.suites) {
    for (const c of s.charts) writeFileSync(join(chartsDir, `${c.id}.png`), svgToPng(chartSvg(c)));
  }
  writeFileSync(
    join(args.outDir, "REPORT.md"),
    reportMd(report, (id) => `out/charts/${id}.png`),
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
