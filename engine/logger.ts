/** A small leveled logger for the engine (`--log-level`). One line per call at `info`. */

/** The levels, least to most verbose. */
export const LOG_LEVELS = ["silent", "error", "warn", "info", "debug"] as const;
/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The logger the engine's parts share. */
export type Logger = {
  level: LogLevel;
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  /** One line per function call: kind, path, duration, outcome. */
  call(kind: string, path: string, ms: number, outcome: string, via: string): void;
};

/** A logger writing to stderr (errors) and stdout (the rest) at `level`. */
export function createLogger(level: LogLevel = "info"): Logger {
  const rank = (l: LogLevel) => LOG_LEVELS.indexOf(l);
  const at = (l: LogLevel) => rank(level) >= rank(l);
  const stamp = () => new Date().toISOString().slice(11, 23);
  return {
    level,
    error: (m) => at("error") && void console.error(`${stamp()} ERROR ${m}`),
    warn: (m) => at("warn") && void console.warn(`${stamp()} WARN  ${m}`),
    info: (m) => at("info") && void console.log(`${stamp()} INFO  ${m}`),
    debug: (m) => at("debug") && void console.log(`${stamp()} DEBUG ${m}`),
    call(kind, path, ms, outcome, via) {
      const line = `${stamp()} ${kind.padEnd(8)} ${path} ${ms.toFixed(1)}ms ${outcome} (${via})`;
      if (outcome !== "ok" && at("warn")) console.warn(line);
      else if (outcome === "ok" && at("info")) console.log(line);
    },
  };
}
