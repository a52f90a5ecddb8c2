"use client";

import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { Sparkline } from "../../components/Sparkline";
import { when } from "../../lib/format";

function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return Number.isFinite(v) ? `≤ ${v} ms` : "> 10 s";
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "—" : `${((100 * part) / whole).toFixed(1)}%`;
}

/**
 * The operator's view of the deployment (operator token): the scheduled health checks (every
 * 60 s) with round-trip charts, call counters, and function latency and errors as the web app
 * timed them over the last hour.
 */
export function OpsPanels({ token }: { token: string }) {
  const view = useQuery(api.ops.console.overview, { adminToken: token });
  if (view === undefined) return <p className="muted">Loading the health checks…</p>;
  const [latest] = view.runs;
  const oldestFirst = [...view.runs].reverse();
  const failing = latest ? latest.results.filter((r) => !r.ok) : [];
  const roundTrip = (name: string) =>
    oldestFirst.map(
      (r) => [r.at, r.results.find((x) => x.name === name)?.ms ?? Number.NaN] as const,
    );
  return (
    <>
      <section className="panel" aria-labelledby="health-h" data-testid="health-checks">
        <h2 id="health-h">Health checks</h2>
        {!latest ? (
          <p className="muted">
            No run yet: the first runs within a minute of the deployment starting.
          </p>
        ) : (
          <>
            <p data-testid="health-status">
              {failing.length === 0 ? "All checks pass" : `${failing.length} failing`} · last run{" "}
              {when(latest.at)} · {view.runs.length} run{view.runs.length === 1 ? "" : "s"} in the
              last hour
            </p>
            <Sparkline label="query round trip" unit=" ms" points={roundTrip("query round trip")} />
            <Sparkline
              label="mutation round trip"
              unit=" ms"
              points={roundTrip("mutation round trip")}
            />
            <table>
              <tbody>
                {latest.results.map((r) => (
                  <tr key={r.name}>
                    <td>{r.ok ? "✓" : "✗"}</td>
                    <td>{r.name}</td>
                    <td>{r.ms !== undefined ? `${r.ms} ms` : ""}</td>
                    <td className={r.ok ? "muted" : undefined}>{r.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="rtc-h" data-testid="rtc-counters">
        <h2 id="rtc-h">Calls (WebRTC)</h2>
        {!latest ? (
          <p className="muted">No run yet.</p>
        ) : (
          <>
            <p>
              {latest.rtc.liveSessions} people in calls now · last 5 minutes: {latest.rtc.connected}{" "}
              connections ({latest.rtc.relayed} through TURN), {latest.rtc.failed} failed,{" "}
              {latest.rtc.iceRestarts} ICE restarts{latest.rtc.truncated ? " (at least)" : ""}
            </p>
            <Sparkline
              label="people in calls"
              points={oldestFirst.map((r) => [r.at, r.rtc.liveSessions] as const)}
            />
            <Sparkline
              label="failed connections (5 min)"
              points={oldestFirst.map((r) => [r.at, r.rtc.failed] as const)}
            />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="fn-h" data-testid="function-latency">
        <h2 id="fn-h">Function latency and errors (last hour)</h2>
        <p className="muted">
          Round trips of mutations and actions as people's browsers timed them (reported each
          minute; client-reported, so a signed-in person could skew their own share). Percentiles
          are bucket bounds.
        </p>
        <Sparkline
          label="calls per minute"
          points={view.perMinute.map((m) => [m.minute, m.count] as const)}
        />
        <Sparkline
          label="p95 per minute"
          unit=" ms"
          points={view.perMinute.map((m) => [m.minute, m.p95Ms ?? Number.NaN] as const)}
        />
        {view.functions.length === 0 ? (
          <p className="muted">No calls reported in the last hour.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>function</th>
                <th>calls</th>
                <th>errors</th>
                <th>refused</th>
                <th>p50</th>
                <th>p95</th>
              </tr>
            </thead>
            <tbody>
              {view.functions.map((f) => (
                <tr key={f.fn}>
                  <td>{f.fn}</td>
                  <td>{f.count}</td>
                  <td>{pct(f.errors, f.count)}</td>
                  <td>{pct(f.refusals, f.count)}</td>
                  <td>{ms(f.p50Ms)}</td>
                  <td>{ms(f.p95Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.truncated ? (
          <p className="muted">More rows than one read: the newest minutes shown.</p>
        ) : null}
      </section>
    </>
  );
}
