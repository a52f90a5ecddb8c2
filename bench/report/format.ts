/** Number formatting shared by the Markdown tables and the charts. */

/** Human-readable number: thousands separators, 1–3 significant decimals for small values. */
export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "—";
  const a = Math.abs(n);
  if (a === 0) return "0";
  if (a >= 1000 || Number.isInteger(n)) return Math.round(n).toLocaleString("en-US");
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  return n.toPrecision(2);
}

/** A ratio as "1.23×". */
export function fmtRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return "—";
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}
