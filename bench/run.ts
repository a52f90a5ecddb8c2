/**
 * `npm run bench [-- --quick] [-- --only a,b]`: runs every benchmark suite in
 * order, then writes `bench/out/report.json`, `bench/out/charts/*.png` and
 * `bench/REPORT.md`. Bounded: full ≈ 15 min on 2 cores, quick ≈ 3 min.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { runBench } from "./lib/runner";
import { chartSvg, svgToPng } from "./report/charts";
import { reportMd } from "./report/markdown";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv: string[]): { quick: boolean; only: string[] | null; outDir: string } {
  const quick = argv.includes("--quick");
  const onlyIdx = argv.indexOf("--only");
  const only = onlyIdx >= 0 ? (argv[onlyIdx + 1] ?? "").split(",").filter(Boolean) : null;
  const outIdx = argv.indexOf("--out");
  const outDir = outIdx >= 0 ? resolve(argv[outIdx + 1] ?? "") : join(root, "bench");
  return { quick, only, outDir };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const report = await runBench({
    root,
    mode: args.quick ? "quick" : "full",
    only: args.only,
    progress: (m) =>
      process.stderr.write(`[bench +${((performance.now() - started) / 1000).toFixed(0)}s] ${m}\n`),
  });
  const outDir = join(args.outDir, "out");
  const chartsDir = join(outDir, "charts");
  mkdirSync(chartsDir, { recursive: true });
  writeFileSync(join(outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
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
