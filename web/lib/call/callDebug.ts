/** The call's signaling debug log (browser only). */

/** Why 300: enough to follow a few negotiations back; bounded memory. */
const DEBUG_LOG_LINES = 300;

/**
 * The call's recent signaling events (ring buffer on `window.connvoCallLog`,
 * for diagnosing a failed connection), echoed to the console when
 * `localStorage.connvoCallDebug` is set.
 */
export function debug(...args: unknown[]): void {
  if (typeof window === "undefined") return;
  const line = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
  const w = window as unknown as { connvoCallLog?: string[] };
  w.connvoCallLog ??= [];
  w.connvoCallLog.push(`${Math.round(performance.now())} ${line}`);
  if (w.connvoCallLog.length > DEBUG_LOG_LINES) w.connvoCallLog.shift();
  try {
    if (localStorage.getItem("connvoCallDebug")) console.info("[call]", line);
  } catch {
    // No storage (private mode): no console echo.
  }
}
