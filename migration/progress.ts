/**
 * Progress per table for long imports: a bar per table with rows/s and ETA
 * (`cli-progress`) on a terminal; elsewhere (CI, pipes, tests) one line per
 * table every few seconds and when it finishes. Rate = rows handled in this
 * process over its time (resumed rows are counted as done, not as speed).
 */
import { MultiBar, Presets, type SingleBar } from "cli-progress";

/** Why: often enough to see a long import move, rarely enough not to flood a log. */
const LINE_EVERY_MS = 5_000;

/** What the importer reports to. */
export type Progress = {
  start(table: string, total: number, done: number): void;
  update(table: string, done: number): void;
  finish(table: string, summary: string): void;
  stop(): void;
};

/** `ms` as `12s` / `3m04s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Rows/s and ETA of a table from its start. */
export function rateAndEta(startDone: number, done: number, total: number, elapsedMs: number) {
  const rate = elapsedMs > 0 ? ((done - startDone) * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? ((total - done) / rate) * 1000 : Number.POSITIVE_INFINITY;
  return { rate: Math.round(rate), eta: formatDuration(eta) };
}

/** A progress display; `interactive` draws bars on stderr, else lines go to `log`. */
export function createProgress(o: { interactive: boolean; log: (line: string) => void }): Progress {
  const multi = o.interactive
    ? new MultiBar(
        {
          format: " {table} {bar} {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta}",
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      )
    : null;
  const state = new Map<
    string,
    { bar?: SingleBar; total: number; startDone: number; t0: number; lastLine: number }
  >();
  const padded = (t: string) => t.padEnd(10);
  return {
    start(table, total, done) {
      const s = { total, startDone: done, t0: Date.now(), lastLine: Date.now() } as const;
      const bar = multi?.create(Math.max(total, 1), Math.min(done, total), {
        table: padded(table),
        rate: 0,
        eta: "?",
      });
      state.set(table, { ...s, ...(bar ? { bar } : {}) });
      if (!multi) o.log(`${table}: ${done}/${total} rows done, starting`);
    },
    update(table, done) {
      const s = state.get(table);
      if (!s) return;
      const now = Date.now();
      const { rate, eta } = rateAndEta(s.startDone, done, s.total, now - s.t0);
      if (s.bar) s.bar.update(Math.min(done, s.total), { table: padded(table), rate, eta });
      else if (now - s.lastLine >= LINE_EVERY_MS) {
        s.lastLine = now;
        o.log(`${table}: ${done}/${s.total} rows | ${rate} rows/s | ETA ${eta}`);
      }
    },
    finish(table, summary) {
      const s = state.get(table);
      if (s?.bar) s.bar.update(s.total, { table: padded(table), rate: "-", eta: "0s" });
      const elapsed = s ? Date.now() - s.t0 : 0;
      const line = `${table}: ${summary} in ${formatDuration(elapsed)}`;
      if (multi) multi.log(`${line}\n`);
      else o.log(line);
    },
    stop() {
      multi?.stop();
    },
  };
}
