/**
 * The bench harness: its math (quantiles, summaries, ratios) against values
 * computed by hand from the definition, and a tiny `--quick`-style run that
 * must yield a well-formed report object, Markdown and PNG charts.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compactChart, runBench } from "./lib/runner";
import { quantile, ratio, summarize } from "./lib/stats";
import { chartSvg, svgToPng } from "./report/charts";
import { reportMd } from "./report/markdown";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

describe("harness math", () => {
  it("median interpolates between the two middle samples", () => {
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
    expect(summarize([5, 1, 3]).median).toBe(3);
  });
  it("p95/p99 use linear interpolation between closest ranks (R-7)", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    // rank (n-1)q = 94.05 → 95 + 0.05 × (96 − 95)
    expect(summarize(xs).p95).toBeCloseTo(95.05, 10);
    expect(summarize(xs).p99).toBeCloseTo(99.01, 10);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
  });
  it("summaries are order-independent and bounded by min/max", () => {
    const a = summarize([9, 2, 7, 1, 5]);
    const b = summarize([1, 2, 5, 7, 9]);
    expect(a).toEqual(b);
    expect(a.min).toBe(1);
    expect(a.max).toBe(9);
    expect(a.mean).toBe(4.8);
  });
  it("ratio divides by a positive baseline and refuses meaningless ones", () => {
    expect(ratio(30, 12)).toBe(2.5);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
    expect(ratio(Number.NaN, 3)).toBeNull();
  });
  it("refuses to summarize nothing", () => {
    expect(() => summarize([])).toThrow();
    expect(() => quantile([1], 1.5)).toThrow();
  });
});

describe("quick report", () => {
  it("produces a well-formed report object, Markdown and PNG charts", async () => {
    const report = await runBench({
      root,
      mode: "quick",
      only: [],
      progress: () => {},
      sizes: {
        traceKeystrokes: 2_000,
        fastRuns: 2,
        slowRuns: 1,
        clientCounts: [2],
        latencySeconds: 0.5,
      },
    });
    expect(report.schemaVersion).toBe(1);
    expect(report.mode).toBe("quick");
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.suites.map((s) => s.id)).toEqual(expect.arrayContaining(["yjs", "hocuspocus"]));
    for (const s of report.suites) {
      expect(["measured", "partial", "not-measured"]).toContain(s.status);
      if (s.status !== "measured") expect(s.notMeasured.length).toBeGreaterThan(0);
      for (const t of s.tables) {
        expect(t.method.length).toBeGreaterThan(20);
        for (const row of t.rows) expect(row.length).toBe(t.columns.length);
      }
    }
    const yjs = report.suites.find((s) => s.id === "yjs");
    if (!yjs) throw new Error("the yjs baseline suite is missing from the report");
    expect(yjs.status).toBe("measured");
    const perKey = (yjs.data as { updateBytes: { mean: number } }).updateBytes.mean;
    expect(perKey).toBeGreaterThan(10);
    expect(perKey).toBeLessThan(100);
    // JSON round trip: the report file must hold every number.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const md = reportMd(report, (id) => `out/charts/${id}.png`);
    expect(md).toContain("# Benchmark report");
    expect(md).toContain("*Method.*");
    const charts = report.suites.flatMap((s) => s.charts);
    expect(charts.length).toBeGreaterThan(0);
    const png = svgToPng(chartSvg(charts[0]!));
    expect(Array.from(png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  });
});

describe("chart compaction", () => {
  it("keeps a CDF's quantiles when it has more samples than points", () => {
    const values = Array.from({ length: 5000 }, (_, i) => 4999 - i);
    const c = compactChart({
      kind: "cdf",
      id: "x",
      title: "x",
      unit: "ms",
      series: [{ label: "a", values }],
    });
    if (c.kind !== "cdf") throw new Error("kind changed");
    const v = c.series[0]!.values;
    expect(v.length).toBe(1001);
    expect(v[0]).toBe(0);
    expect(v[1000]).toBe(4999);
    expect(v[500]).toBeCloseTo(summarize(values).median, 10);
  });
});
