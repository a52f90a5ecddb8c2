/**
 * Charts as hand-written SVG (no native canvas), rasterized to PNG with
 * @resvg/resvg-js. Two kinds: latency CDFs (log-scale x) and bar charts.
 */
import { Resvg } from "@resvg/resvg-js";
import type { BarChart, CdfChart, Chart } from "../lib/report-types";
import { fmt } from "./format";

const W = 760;
const H = 420;
const M = { left: 70, right: 24, top: 44, bottom: 56 };
/** Colour-blind-safe palette (Okabe–Ito). */
const COLORS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#F0E442",
  "#000000",
];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function frame(title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">` +
    `<rect width="${W}" height="${H}" fill="#ffffff"/>` +
    `<text x="${W / 2}" y="26" font-size="16" text-anchor="middle" fill="#111">${esc(title)}</text>` +
    body +
    "</svg>"
  );
}

/** An empirical CDF per series; x is log10 of the value. */
export function cdfSvg(c: CdfChart): string {
  const all = c.series.flatMap((s) => s.values).filter((v) => v > 0);
  if (all.length === 0) return frame(c.title, "");
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  lo = 10 ** Math.floor(Math.log10(lo));
  hi = 10 ** Math.ceil(Math.log10(hi));
  if (hi <= lo) hi = lo * 10;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (v: number) =>
    M.left +
    ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * pw;
  const y = (p: number) => M.top + (1 - p) * ph;
  let body = "";
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    const xx = x(d);
    body += `<line x1="${xx}" y1="${M.top}" x2="${xx}" y2="${M.top + ph}" stroke="#ddd"/>`;
    body += `<text x="${xx}" y="${M.top + ph + 18}" font-size="12" text-anchor="middle">${fmt(d)}</text>`;
  }
  for (const p of [0, 0.25, 0.5, 0.75, 0.95, 1]) {
    body += `<line x1="${M.left}" y1="${y(p)}" x2="${M.left + pw}" y2="${y(p)}" stroke="#eee"/>`;
    body += `<text x="${M.left - 8}" y="${y(p) + 4}" font-size="12" text-anchor="end">${Math.round(p * 100)}%</text>`;
  }
  body += `<text x="${M.left + pw / 2}" y="${H - 14}" font-size="13" text-anchor="middle">${esc(c.unit)} (log scale)</text>`;
  body += `<text x="16" y="${M.top + ph / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 16 ${M.top + ph / 2})">share of samples ≤ x</text>`;
  c.series.forEach((s, i) => {
    const sorted = [...s.values].sort((a, b) => a - b);
    const color = COLORS[i % COLORS.length]!;
    // Downsample to ≤ 400 points: the curve's shape is what matters.
    const step = Math.max(1, Math.floor(sorted.length / 400));
    const pts: string[] = [];
    for (let k = 0; k < sorted.length; k += step)
      pts.push(`${x(sorted[k]!).toFixed(1)},${y((k + 1) / sorted.length).toFixed(1)}`);
    pts.push(`${x(sorted[sorted.length - 1]!).toFixed(1)},${y(1).toFixed(1)}`);
    body += `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(" ")}"/>`;
    // Legend bottom-right: CDFs rise from the bottom-left, so that corner stays clear.
    const ly = M.top + ph - 12 - (c.series.length - 1 - i) * 18;
    const lx = M.left + pw - 220;
    body += `<rect x="${lx}" y="${ly - 6}" width="14" height="4" fill="${color}"/>`;
    body += `<text x="${lx + 20}" y="${ly}" font-size="12">${esc(s.label)}</text>`;
  });
  body += `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`;
  return frame(c.title, body);
}

/** Horizontal bars, linear scale, value printed at each bar's end. */
export function barSvg(c: BarChart): string {
  const left = 260;
  const pw = W - left - 90;
  const barH = Math.min(32, (H - M.top - M.bottom) / Math.max(1, c.bars.length) - 8);
  const max = Math.max(1e-9, ...c.bars.map((b) => b.value).filter(Number.isFinite));
  let body = "";
  c.bars.forEach((b, i) => {
    const yy = M.top + 10 + i * (barH + 8);
    const wv = Number.isFinite(b.value) ? (b.value / max) * pw : 0;
    body += `<text x="${left - 8}" y="${yy + barH / 2 + 4}" font-size="12" text-anchor="end">${esc(b.label)}</text>`;
    body += `<rect x="${left}" y="${yy}" width="${wv.toFixed(1)}" height="${barH}" fill="${COLORS[i % COLORS.length]}"/>`;
    body += `<text x="${left + wv + 6}" y="${yy + barH / 2 + 4}" font-size="12">${fmt(b.value)}</text>`;
  });
  body += `<text x="${left + pw / 2}" y="${H - 14}" font-size="13" text-anchor="middle">${esc(c.unit)}</text>`;
  return frame(c.title, body);
}

/** SVG for any chart. */
export function chartSvg(c: Chart): string {
  return c.kind === "cdf" ? cdfSvg(c) : barSvg(c);
}

/** Rasterize an SVG to PNG bytes (system fonts; text falls back silently if none). */
export function svgToPng(svg: string): Uint8Array {
  const r = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
  return r.render().asPng();
}
