/**
 * L2-regularized logistic regression fitted by Newton's method, for the insights action filter
 * (`bench/insights-train.ts`). Hand-written (~60 lines) rather than `ml-logistic-regression`:
 * that package fits by plain gradient descent with no regularization, which on a few hundred
 * examples over forty sparse binary features over-fits the rare ones; and the run time needs no
 * library at all (a dot product, `projections/insights/actionModel.ts`). Deterministic: zero
 * start, fixed iterations, no randomness.
 */

/** One example: feature values by name and a 0/1 label. */
export type Example = { f: Record<string, number>; y: number };

/** Weights by feature name ("bias" is not penalized). */
export function fitLogistic(data: readonly Example[], lambda: number, iterations = 25) {
  const names = [...new Set(data.flatMap((e) => Object.keys(e.f)))].sort();
  const d = names.length;
  const idx = new Map(names.map((n, i) => [n, i]));
  const rows = data.map((e) => {
    const at: number[] = [];
    const val: number[] = [];
    for (const [k, v] of Object.entries(e.f))
      if (v !== 0) {
        at.push(idx.get(k)!);
        val.push(v);
      }
    return { at, val };
  });
  const w = new Float64Array(d);
  for (let it = 0; it < iterations; it++) {
    const g = new Float64Array(d);
    const h = Array.from({ length: d }, () => new Float64Array(d));
    for (const [r, x] of rows.entries()) {
      let z = 0;
      for (let a = 0; a < x.at.length; a++) z += w[x.at[a]!]! * x.val[a]!;
      const p = 1 / (1 + Math.exp(-z));
      const err = p - data[r]!.y;
      const s = p * (1 - p);
      for (let a = 0; a < x.at.length; a++) {
        const j = x.at[a]!;
        g[j]! += err * x.val[a]!;
        for (let b = 0; b < x.at.length; b++) h[j]![x.at[b]!]! += s * x.val[a]! * x.val[b]!;
      }
    }
    for (let j = 0; j < d; j++) {
      const pen = names[j] === "bias" ? 1e-6 : lambda;
      g[j]! += pen * w[j]!;
      h[j]![j]! += pen;
    }
    const step = solve(h, g);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      w[j]! -= step[j]!;
      moved = Math.max(moved, Math.abs(step[j]!));
    }
    if (moved < 1e-6) break;
  }
  return Object.fromEntries(names.map((n, j) => [n, w[j]!]));
}

/** Solves `a x = b` by Gaussian elimination with partial pivoting (a is small and positive definite). */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    for (let r = c + 1; r < n; r++) {
      const k = m[r]![c]! / piv;
      if (k === 0) continue;
      for (let j = c; j <= n; j++) m[r]![j]! -= k * m[c]![j]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let j = r + 1; j < n; j++) s -= m[r]![j]! * x[j]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
