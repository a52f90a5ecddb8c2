/** Renders a {@link Report} as `bench/REPORT.md`. */
import type { Cell, Report, Table } from "../lib/report-types";
import { fmt, fmtRatio } from "./format";

function cell(c: Cell): string {
  if (c === null) return "—";
  if (typeof c === "number") return fmt(c);
  return c.replace(/\|/g, "\\|");
}

/** One Markdown table followed by its method. */
export function tableMd(t: Table): string {
  const head = `| ${t.columns.join(" | ")} |\n| ${t.columns.map(() => "---").join(" | ")} |`;
  const rows = t.rows.map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
  return `#### ${t.title}\n\n${head}\n${rows}\n\n*Method.* ${t.method}\n`;
}

/** The whole report; `chartPath(id)` is where each chart's PNG was written, relative to the report. */
export function reportMd(r: Report, chartPath: (id: string) => string): string {
  const out: string[] = [];
  const minutes = (r.totalDurationMs / 60_000).toFixed(1);
  out.push("# Benchmark report\n");
  out.push(
    `Generated ${r.generatedAt} by \`npm run bench${r.mode === "quick" ? " -- --quick" : ""}\` ` +
      `(mode **${r.mode}**, ${minutes} min). Raw numbers: \`bench/out/report.json\`. ` +
      "Benchmarks report; they never pass or fail on timing. Times are wall-clock ms on this machine; " +
      "every ratio divides by a baseline measured in the same run.\n",
  );
  if (r.mode === "quick") {
    out.push(
      "> **Quick mode**: every suite ran small (trace prefix, short runs). Use the full run's numbers for decisions.\n",
    );
  }
  out.push("## Machine\n");
  out.push("| key | value |\n| --- | --- |");
  for (const [k, v] of Object.entries(r.machine)) out.push(`| ${k} | ${v} |`);
  out.push("");
  const heads = r.suites.flatMap((s) => s.headlines);
  out.push("## Headlines\n");
  if (heads.length === 0) {
    out.push("No headline measured.\n");
  } else {
    out.push("| measure | ours | baseline | ratio | goal |\n| --- | --- | --- | --- | --- |");
    for (const h of heads) {
      out.push(`| ${h.measure} | ${h.ours} | ${h.baseline} | ${fmtRatio(h.ratio)} | ${h.goal} |`);
    }
    out.push("");
  }
  const missing = r.suites.flatMap((s) =>
    s.notMeasured.map((m) => `- **${s.title}**: not measured: ${m}`),
  );
  if (missing.length > 0) {
    out.push("## Not measured\n");
    out.push(missing.join("\n"));
    out.push("");
  }
  for (const s of r.suites) {
    out.push(`## ${s.title}\n`);
    out.push(`Status: ${s.status} (${(s.durationMs / 1000).toFixed(1)} s).\n`);
    if (s.run) {
      const load = `load average ${s.run.machine.loadAvg1m ?? "?"} (1 min) / ${s.run.machine.loadAvg5m ?? "?"} (5 min) at its start`;
      out.push(
        `Measured in a separate run (mode ${s.run.mode}, ${s.run.generatedAt}, commit ${s.run.machine.gitCommit ?? "?"}, ${load}) and merged into this report.\n`,
      );
    }
    for (const m of s.notMeasured) out.push(`- Not measured: ${m}`);
    if (s.notMeasured.length > 0) out.push("");
    for (const t of s.tables) out.push(tableMd(t));
    for (const c of s.charts) out.push(`![${c.title}](${chartPath(c.id)})\n`);
  }
  return `${out.join("\n")}\n`;
}
