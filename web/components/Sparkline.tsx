/**
 * A small line chart of one series over time (SVG, no axes beyond a min/max
 * label), for console panels where a trend reads faster than a table.
 * Hand-written: a few lines of SVG; a chart library would add far more to
 * the page than it draws here.
 */
export function Sparkline({
  label,
  points,
  unit = "",
  width = 320,
  height = 56,
}: {
  label: string;
  /** `[x, y]` pairs in x order (x is usually a time); non-finite y values are skipped. */
  points: readonly (readonly [number, number])[];
  unit?: string;
  width?: number;
  height?: number;
}) {
  const finite = points.filter(([, y]) => Number.isFinite(y));
  if (finite.length === 0) return <p className="muted">{label}: no data yet.</p>;
  const xs = finite.map(([x]) => x);
  const ys = finite.map(([, y]) => y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [0, Math.max(...ys, 1)];
  const px = (x: number) => (x1 === x0 ? width / 2 : ((x - x0) / (x1 - x0)) * (width - 4) + 2);
  const py = (y: number) => height - 2 - ((y - y0) / (y1 - y0)) * (height - 4);
  const path = finite
    .map(([x, y], i) => `${i === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
    .join(" ");
  const last = ys[ys.length - 1]!;
  const top = Math.max(...ys);
  return (
    <figure className="sparkline" style={{ margin: "0.5rem 0" }}>
      <figcaption className="muted">
        {label}: now {Math.round(last)}
        {unit}, max {Math.round(top)}
        {unit}
      </figcaption>
      <svg
        role="img"
        aria-label={`${label} chart`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
      >
        <line x1={0} y1={height - 1} x2={width} y2={height - 1} stroke="#d0d4dc" />
        <path d={path} fill="none" stroke="#2563eb" strokeWidth={1.5} />
        {finite.length === 1 ? (
          <circle cx={px(xs[0]!)} cy={py(ys[0]!)} r={2} fill="#2563eb" />
        ) : null}
      </svg>
    </figure>
  );
}
